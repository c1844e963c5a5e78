"""``brickwork.layers``: every public layer, re-exported from its own file."""

from brickwork.layers.activations.elu import ELU  # noqa: F401
from brickwork.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from brickwork.layers.activations.prelu import PReLU  # noqa: F401
from brickwork.layers.activations.relu import ReLU  # noqa: F401
from brickwork.layers.activations.softmax import Softmax  # noqa: F401
from brickwork.layers.attention.additive_attention import AdditiveAttention  # noqa: F401
from brickwork.layers.attention.attention import Attention  # noqa: F401
from brickwork.layers.attention.grouped_query_attention import GroupedQueryAttention, GroupQueryAttention  # noqa: F401
from brickwork.layers.attention.multi_head_attention import MultiHeadAttention  # noqa: F401
from brickwork.layers.convolutional.conv1d import Conv1D, Convolution1D  # noqa: F401
from brickwork.layers.convolutional.conv1d_transpose import Conv1DTranspose, Convolution1DTranspose  # noqa: F401
from brickwork.layers.convolutional.conv2d import Conv2D, Convolution2D  # noqa: F401
from brickwork.layers.convolutional.conv2d_transpose import Conv2DTranspose, Convolution2DTranspose  # noqa: F401
from brickwork.layers.convolutional.conv3d import Conv3D, Convolution3D  # noqa: F401
from brickwork.layers.convolutional.conv3d_transpose import Conv3DTranspose, Convolution3DTranspose  # noqa: F401
from brickwork.layers.convolutional.depthwise_conv1d import DepthwiseConv1D  # noqa: F401
from brickwork.layers.convolutional.depthwise_conv2d import DepthwiseConv2D  # noqa: F401
from brickwork.layers.convolutional.separable_conv1d import SeparableConv1D, SeparableConvolution1D  # noqa: F401
from brickwork.layers.convolutional.separable_conv2d import SeparableConv2D, SeparableConvolution2D  # noqa: F401
from brickwork.layers.core.activation import Activation  # noqa: F401
from brickwork.layers.core.dense import Dense  # noqa: F401
from brickwork.layers.core.einsum_dense import EinsumDense  # noqa: F401
from brickwork.layers.core.embedding import Embedding  # noqa: F401
from brickwork.layers.core.identity import Identity  # noqa: F401
from brickwork.layers.core.input_layer import Input, InputLayer  # noqa: F401
from brickwork.layers.core.lambda_layer import Lambda  # noqa: F401
from brickwork.layers.core.masking_layer import Masking  # noqa: F401
from brickwork.layers.core.reversible_embedding import ReversibleEmbedding  # noqa: F401
from brickwork.layers.core.wrapper import Wrapper  # noqa: F401
from brickwork.layers.input_spec import InputSpec  # noqa: F401
from brickwork.layers.layer import Layer  # noqa: F401
from brickwork.layers.serialization import deserialize, serialize  # noqa: F401
from brickwork.layers.merging.add import Add, add  # noqa: F401
from brickwork.layers.merging.average import Average, average  # noqa: F401
from brickwork.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from brickwork.layers.merging.dot import Dot, dot  # noqa: F401
from brickwork.layers.merging.maximum import Maximum, maximum  # noqa: F401
from brickwork.layers.merging.minimum import Minimum, minimum  # noqa: F401
from brickwork.layers.merging.multiply import Multiply, multiply  # noqa: F401
from brickwork.layers.merging.subtract import Subtract, subtract  # noqa: F401
from brickwork.layers.native import FlaxLayer, JaxLayer, TFSMLayer, TorchModuleWrapper  # noqa: F401
from brickwork.layers.normalization.batch_normalization import BatchNormalization  # noqa: F401
from brickwork.layers.normalization.group_normalization import GroupNormalization  # noqa: F401
from brickwork.layers.normalization.layer_normalization import LayerNormalization  # noqa: F401
from brickwork.layers.normalization.rms_normalization import RMSNormalization  # noqa: F401
from brickwork.layers.normalization.spectral_normalization import SpectralNormalization  # noqa: F401
from brickwork.layers.normalization.unit_normalization import UnitNormalization  # noqa: F401
from brickwork.layers.pooling.adaptive_average_pooling1d import AdaptiveAveragePooling1D  # noqa: F401
from brickwork.layers.pooling.adaptive_average_pooling2d import AdaptiveAveragePooling2D  # noqa: F401
from brickwork.layers.pooling.adaptive_average_pooling3d import AdaptiveAveragePooling3D  # noqa: F401
from brickwork.layers.pooling.adaptive_max_pooling1d import AdaptiveMaxPooling1D  # noqa: F401
from brickwork.layers.pooling.adaptive_max_pooling2d import AdaptiveMaxPooling2D  # noqa: F401
from brickwork.layers.pooling.adaptive_max_pooling3d import AdaptiveMaxPooling3D  # noqa: F401
from brickwork.layers.pooling.average_pooling1d import AveragePooling1D, AvgPool1D  # noqa: F401
from brickwork.layers.pooling.average_pooling2d import AveragePooling2D, AvgPool2D  # noqa: F401
from brickwork.layers.pooling.average_pooling3d import AveragePooling3D, AvgPool3D  # noqa: F401
from brickwork.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D, GlobalAvgPool1D  # noqa: F401
from brickwork.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D, GlobalAvgPool2D  # noqa: F401
from brickwork.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D, GlobalAvgPool3D  # noqa: F401
from brickwork.layers.pooling.global_max_pooling1d import GlobalMaxPool1D, GlobalMaxPooling1D  # noqa: F401
from brickwork.layers.pooling.global_max_pooling2d import GlobalMaxPool2D, GlobalMaxPooling2D  # noqa: F401
from brickwork.layers.pooling.global_max_pooling3d import GlobalMaxPool3D, GlobalMaxPooling3D  # noqa: F401
from brickwork.layers.pooling.max_pooling1d import MaxPool1D, MaxPooling1D  # noqa: F401
from brickwork.layers.pooling.max_pooling2d import MaxPool2D, MaxPooling2D  # noqa: F401
from brickwork.layers.pooling.max_pooling3d import MaxPool3D, MaxPooling3D  # noqa: F401
from brickwork.layers.preprocessing.aug_mix import AugMix  # noqa: F401
from brickwork.layers.preprocessing.auto_contrast import AutoContrast  # noqa: F401
from brickwork.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from brickwork.layers.preprocessing.center_crop import CenterCrop  # noqa: F401
from brickwork.layers.preprocessing.clahe import ContrastLimitedAdaptiveHistogramEqualization  # noqa: F401
from brickwork.layers.preprocessing.cut_mix import CutMix  # noqa: F401
from brickwork.layers.preprocessing.discretization import Discretization  # noqa: F401
from brickwork.layers.preprocessing.equalization import Equalization  # noqa: F401
from brickwork.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from brickwork.layers.preprocessing.hashing import Hashing  # noqa: F401
from brickwork.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from brickwork.layers.preprocessing.max_num_bounding_boxes import MaxNumBoundingBoxes  # noqa: F401
from brickwork.layers.preprocessing.mel_spectrogram import MelSpectrogram  # noqa: F401
from brickwork.layers.preprocessing.mix_up import MixUp  # noqa: F401
from brickwork.layers.preprocessing.normalization import Normalization  # noqa: F401
from brickwork.layers.preprocessing.pipeline import Pipeline  # noqa: F401
from brickwork.layers.preprocessing.rand_augment import RandAugment  # noqa: F401
from brickwork.layers.preprocessing.random_brightness import RandomBrightness  # noqa: F401
from brickwork.layers.preprocessing.random_color_degeneration import RandomColorDegeneration  # noqa: F401
from brickwork.layers.preprocessing.random_color_jitter import RandomColorJitter  # noqa: F401
from brickwork.layers.preprocessing.random_contrast import RandomContrast  # noqa: F401
from brickwork.layers.preprocessing.random_crop import RandomCrop  # noqa: F401
from brickwork.layers.preprocessing.random_elastic_transform import RandomElasticTransform  # noqa: F401
from brickwork.layers.preprocessing.random_erasing import RandomErasing  # noqa: F401
from brickwork.layers.preprocessing.random_flip import RandomFlip  # noqa: F401
from brickwork.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur  # noqa: F401
from brickwork.layers.preprocessing.random_grayscale import RandomGrayscale  # noqa: F401
from brickwork.layers.preprocessing.random_hue import RandomHue  # noqa: F401
from brickwork.layers.preprocessing.random_invert import RandomInvert  # noqa: F401
from brickwork.layers.preprocessing.random_perspective import RandomPerspective  # noqa: F401
from brickwork.layers.preprocessing.random_posterization import RandomPosterization  # noqa: F401
from brickwork.layers.preprocessing.random_rotation import RandomRotation  # noqa: F401
from brickwork.layers.preprocessing.random_saturation import RandomSaturation  # noqa: F401
from brickwork.layers.preprocessing.random_sharpness import RandomSharpness  # noqa: F401
from brickwork.layers.preprocessing.random_shear import RandomShear  # noqa: F401
from brickwork.layers.preprocessing.random_translation import RandomTranslation  # noqa: F401
from brickwork.layers.preprocessing.random_zoom import RandomZoom  # noqa: F401
from brickwork.layers.preprocessing.rescaling import Rescaling  # noqa: F401
from brickwork.layers.preprocessing.resizing import Resizing  # noqa: F401
from brickwork.layers.preprocessing.solarization import Solarization  # noqa: F401
from brickwork.layers.preprocessing.stft_spectrogram import STFTSpectrogram  # noqa: F401
from brickwork.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from brickwork.layers.preprocessing.text_vectorization import TextVectorization  # noqa: F401
from brickwork.layers.regularization.activity_regularization import ActivityRegularization  # noqa: F401
from brickwork.layers.regularization.alpha_dropout import AlphaDropout  # noqa: F401
from brickwork.layers.regularization.dropout import Dropout  # noqa: F401
from brickwork.layers.regularization.gaussian_dropout import GaussianDropout  # noqa: F401
from brickwork.layers.regularization.gaussian_noise import GaussianNoise  # noqa: F401
from brickwork.layers.regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D  # noqa: F401
from brickwork.layers.reshaping.cropping1d import Cropping1D  # noqa: F401
from brickwork.layers.reshaping.cropping2d import Cropping2D  # noqa: F401
from brickwork.layers.reshaping.cropping3d import Cropping3D  # noqa: F401
from brickwork.layers.reshaping.flatten import Flatten  # noqa: F401
from brickwork.layers.reshaping.permute import Permute  # noqa: F401
from brickwork.layers.reshaping.repeat_vector import RepeatVector  # noqa: F401
from brickwork.layers.reshaping.reshape import Reshape  # noqa: F401
from brickwork.layers.reshaping.up_sampling1d import UpSampling1D  # noqa: F401
from brickwork.layers.reshaping.up_sampling2d import UpSampling2D  # noqa: F401
from brickwork.layers.reshaping.up_sampling3d import UpSampling3D  # noqa: F401
from brickwork.layers.reshaping.zero_padding1d import ZeroPadding1D  # noqa: F401
from brickwork.layers.reshaping.zero_padding2d import ZeroPadding2D  # noqa: F401
from brickwork.layers.reshaping.zero_padding3d import ZeroPadding3D  # noqa: F401
from brickwork.layers.rnn.bidirectional import Bidirectional  # noqa: F401
from brickwork.layers.rnn.conv_lstm1d import ConvLSTM1D  # noqa: F401
from brickwork.layers.rnn.conv_lstm2d import ConvLSTM2D  # noqa: F401
from brickwork.layers.rnn.conv_lstm3d import ConvLSTM3D  # noqa: F401
from brickwork.layers.rnn.gru import GRU, GRUCell  # noqa: F401
from brickwork.layers.rnn.lstm import LSTM, LSTMCell  # noqa: F401
from brickwork.layers.rnn.rnn import RNN  # noqa: F401
from brickwork.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell  # noqa: F401
from brickwork.layers.rnn.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from brickwork.layers.rnn.time_distributed import TimeDistributed  # noqa: F401
