"""What the parity report runs: every public layer, loss and optimizer, with its arguments, its inputs and
the tolerance its torch and jax results must agree to.

A tolerance is on the scale-relative difference: ``max |torch - jax| / max |jax|`` over an output (or a
gradient), so one float32 rounding is about 1e-7 and a layer that sums a few hundred terms stays near
1e-6. ``DEFAULT_TOLERANCE`` holds unless a case states its own, with the reason beside it.
"""

from __future__ import annotations

import dataclasses

DEFAULT_TOLERANCE = 1e-5


@dataclasses.dataclass(frozen=True)
class LayerCase:
    name: str                      # the public class in keras.layers
    shapes: tuple                  # one input shape, or several (``call`` says how they are passed)
    kwargs: dict = dataclasses.field(default_factory=dict)
    call: str = "one"              # "one": layer(x); "list": layer([a, b]); "tuple": layer((a, b)); "args": layer(a, b)
    dtype: str = "float32"         # "float32" (normal); "image" (uniform in [0, 255)); "int" (integers in
                                   # [0, high)); "str" (words); "sentence" (three words a row)
    high: int = 10
    grads: bool = True             # compare gradients (weights and float inputs)
    tolerance: float = DEFAULT_TOLERANCE
    note: str = ""
    label: str = ""                # the row's name when one class has several cases

    @property
    def key(self) -> str:
        return self.label or self.name


def L(name, *shapes, **options):
    known = {f.name for f in dataclasses.fields(LayerCase)}
    kwargs = {k: v for k, v in options.items() if k not in known}
    rest = {k: v for k, v in options.items() if k in known}
    return LayerCase(name, shapes, kwargs, **rest)


INFERENCE = "random in training: compared in inference"
IMAGE = (2, 8, 8, 3)

LAYERS = [
    # core
    L("Dense", (3, 5), units=4, activation="tanh"),
    L("EinsumDense", (3, 5), equation="ab,bc->ac", output_shape=4, bias_axes="c"),
    L("Embedding", (3, 6), dtype="int", input_dim=10, output_dim=4, grads=True),
    L("ReversibleEmbedding", (3, 6), dtype="int", input_dim=10, output_dim=4),
    L("Identity", (3, 5)),
    L("Masking", (2, 4, 3), mask_value=0.0),
    # activations
    L("Activation", (3, 5), activation="gelu"),
    L("ELU", (3, 5)), L("LeakyReLU", (3, 5)), L("PReLU", (3, 5)), L("ReLU", (3, 5), max_value=1.0),
    L("Softmax", (3, 5)),
    # convolution
    L("Conv1D", (2, 9, 3), filters=4, kernel_size=3, padding="same"),
    L("Conv2D", IMAGE, filters=4, kernel_size=3, strides=2),
    L("Conv3D", (2, 5, 5, 5, 2), filters=3, kernel_size=2),
    L("Conv1DTranspose", (2, 6, 3), filters=4, kernel_size=3, strides=2),
    L("Conv2DTranspose", (2, 5, 5, 3), filters=4, kernel_size=3, strides=2),
    L("Conv3DTranspose", (2, 3, 3, 3, 2), filters=2, kernel_size=2, strides=2),
    L("DepthwiseConv1D", (2, 9, 3), kernel_size=3, depth_multiplier=2),
    L("DepthwiseConv2D", IMAGE, kernel_size=3, depth_multiplier=2),
    L("SeparableConv1D", (2, 9, 3), filters=4, kernel_size=3),
    L("SeparableConv2D", IMAGE, filters=4, kernel_size=3),
    # pooling
    L("MaxPooling1D", (2, 8, 3)), L("MaxPooling2D", IMAGE), L("MaxPooling3D", (2, 4, 4, 4, 2)),
    L("AveragePooling1D", (2, 8, 3)), L("AveragePooling2D", IMAGE), L("AveragePooling3D", (2, 4, 4, 4, 2)),
    L("GlobalMaxPooling1D", (2, 8, 3)), L("GlobalMaxPooling2D", IMAGE), L("GlobalMaxPooling3D", (2, 4, 4, 4, 2)),
    L("GlobalAveragePooling1D", (2, 8, 3)), L("GlobalAveragePooling2D", IMAGE),
    L("GlobalAveragePooling3D", (2, 4, 4, 4, 2)),
    L("AdaptiveAveragePooling1D", (2, 9, 3), output_size=4), L("AdaptiveAveragePooling2D", IMAGE, output_size=3),
    L("AdaptiveAveragePooling3D", (2, 5, 5, 5, 2), output_size=2),
    L("AdaptiveMaxPooling1D", (2, 9, 3), output_size=4), L("AdaptiveMaxPooling2D", IMAGE, output_size=3),
    L("AdaptiveMaxPooling3D", (2, 5, 5, 5, 2), output_size=2),
    # normalization
    L("BatchNormalization", (4, 5)), L("LayerNormalization", (3, 6)), L("RMSNormalization", (3, 6)),
    L("GroupNormalization", (2, 4, 6), groups=3), L("UnitNormalization", (3, 5)),
    L("SpectralNormalization", (3, 5), layer=("Dense", {"units": 4}),
      tolerance=1e-4, note="power iteration: a few float32 matrix-vector products in sequence"),
    # recurrent
    L("SimpleRNN", (2, 5, 3), units=4, return_sequences=True),
    L("LSTM", (2, 5, 3), units=4), L("GRU", (2, 5, 3), units=4),
    L("GRU", (2, 5, 3), units=4, reset_after=False, label="GRU (reset_after=False)"),
    L("ConvLSTM1D", (2, 3, 6, 2), filters=3, kernel_size=3),
    L("ConvLSTM2D", (2, 3, 5, 5, 2), filters=3, kernel_size=3),
    L("ConvLSTM3D", (2, 2, 4, 4, 4, 1), filters=2, kernel_size=2),
    L("RNN", (2, 5, 3), cell=("SimpleRNNCell", {"units": 4})),
    L("Bidirectional", (2, 5, 3), layer=("LSTM", {"units": 3})),
    L("TimeDistributed", (2, 4, 5), layer=("Dense", {"units": 3})),
    # attention
    L("Attention", (2, 4, 3), (2, 5, 3), call="list"),
    L("AdditiveAttention", (2, 4, 3), (2, 5, 3), call="list"),
    L("MultiHeadAttention", (2, 4, 6), (2, 5, 6), call="args", num_heads=2, key_dim=3),
    L("GroupedQueryAttention", (2, 4, 6), (2, 5, 6), call="args", head_dim=3, num_query_heads=4,
      num_key_value_heads=2),
    # merging
    *[L(name, (3, 4), (3, 4), call="list") for name in ("Add", "Subtract", "Multiply", "Average", "Maximum",
                                                           "Minimum")],
    L("Concatenate", (3, 4), (3, 2), call="list"),
    L("Dot", (3, 4), (3, 4), call="list", axes=1),
    # reshaping
    L("Flatten", (2, 3, 4)), L("Reshape", (2, 3, 4), target_shape=(4, 3)), L("Permute", (2, 3, 4), dims=(2, 1)),
    L("RepeatVector", (2, 3), n=3),
    L("Cropping1D", (2, 8, 3), cropping=(1, 2)), L("Cropping2D", IMAGE, cropping=1),
    L("Cropping3D", (2, 4, 4, 4, 2), cropping=1),
    L("ZeroPadding1D", (2, 5, 3)), L("ZeroPadding2D", IMAGE), L("ZeroPadding3D", (2, 3, 3, 3, 2)),
    L("UpSampling1D", (2, 4, 3)), L("UpSampling2D", (2, 4, 4, 3)),
    L("UpSampling2D", (2, 4, 4, 3), interpolation="bilinear", label="UpSampling2D (bilinear)"),
    L("UpSampling3D", (2, 2, 2, 2, 3)),
    # regularization (inference: the identity; the layers' training behaviour is random)
    *[L(name, (2, 4, 6), rate=0.3, note=INFERENCE) for name in ("Dropout", "AlphaDropout", "GaussianDropout")],
    L("GaussianNoise", (2, 4, 6), stddev=0.3, note=INFERENCE),
    L("SpatialDropout1D", (2, 4, 6), rate=0.3, note=INFERENCE),
    L("SpatialDropout2D", (2, 4, 4, 3), rate=0.3, note=INFERENCE),
    L("SpatialDropout3D", (2, 3, 3, 3, 2), rate=0.3, note=INFERENCE),
    L("ActivityRegularization", (3, 5), l1=0.01),
    # preprocessing: numerical
    L("Normalization", (3, 4), mean=[0.5, -1.0, 2.0, 0.0], variance=[1.0, 4.0, 0.25, 2.0]),
    L("Rescaling", IMAGE, scale=1 / 255, offset=-0.5),
    L("Discretization", (3, 5), bin_boundaries=[-1.0, 0.0, 1.0], grads=False),
    L("CategoryEncoding", (3, 4), dtype="int", high=6, num_tokens=6, output_mode="multi_hot", grads=False),
    L("Hashing", (3, 4), dtype="int", high=100, num_bins=7, grads=False),
    L("HashedCrossing", (3,), (3,), call="tuple", dtype="int", high=20, num_bins=5, grads=False),
    L("IntegerLookup", (3, 4), dtype="int", high=6, vocabulary=[1, 2, 3, 4], grads=False),
    L("StringLookup", (3, 4), dtype="str", vocabulary=["a", "b", "c"], grads=False),
    L("TextVectorization", (3,), dtype="sentence", vocabulary=["a", "b", "c"], output_sequence_length=4,
      grads=False),
    L("MelSpectrogram", (2, 256), fft_length=64, sequence_stride=32, num_mel_bins=8,
      tolerance=1e-4, note="an FFT, then a log: float32 roundings add up"),
    L("STFTSpectrogram", (2, 256, 1), frame_length=32, frame_step=16, fft_length=32,
      tolerance=1e-4, note="an FFT: float32 roundings add up"),
    # preprocessing: image
    L("Resizing", IMAGE, height=5, width=6), L("CenterCrop", IMAGE, height=5, width=6),
    L("ContrastLimitedAdaptiveHistogramEqualization", (2, 16, 16, 3), dtype="image", tile_grid_size=(4, 4),
      grads=False, tolerance=1e-4, note="histograms of pixel values: a value on a bin edge may round either way"),
    *[L(name, IMAGE, note=INFERENCE, grads=False, **kwargs) for name, kwargs in (
        ("RandomFlip", {}), ("RandomRotation", {"factor": 0.2}), ("RandomTranslation", {"height_factor": 0.2,
                                                                                       "width_factor": 0.2}),
        ("RandomZoom", {"height_factor": 0.2}), ("RandomContrast", {"factor": 0.2}),
        ("RandomBrightness", {"factor": 0.2}), ("RandomCrop", {"height": 8, "width": 8}),
        ("RandomHue", {"factor": 0.2}), ("RandomSaturation", {"factor": 0.2}),
        ("RandomGrayscale", {}), ("RandomSharpness", {"factor": 0.2}), ("RandomShear", {"x_factor": 0.2}),
        ("RandomColorDegeneration", {"factor": 0.2}), ("RandomColorJitter", {}),
        ("RandomGaussianBlur", {}), ("RandomInvert", {}), ("RandomPerspective", {}),
        ("RandomPosterization", {"factor": (4, 6)}), ("RandomErasing", {}), ("RandomElasticTransform", {}),
        ("AugMix", {}), ("CutMix", {}), ("MixUp", {}), ("RandAugment", {}), ("Solarization", {}),
        ("AutoContrast", {}), ("Equalization", {}), ("MaxNumBoundingBoxes", {"max_number": 3}),
    )],
]

# Public names the report leaves out, with the reason (aliases of a class already listed are found by identity).
NOT_RUN = {
    "Layer": "the base class",
    "InputLayer": "a placeholder, no computation",
    "Wrapper": "an abstract base",
    "Lambda": "runs the user's function",
    "Pipeline": "runs the layers it is given",
    "JaxLayer": "wraps a jax function: jax only",
    "FlaxLayer": "wraps a flax module: jax only",
    "TorchModuleWrapper": "wraps a torch module: torch only",
    "TFSMLayer": "calls a SavedModel's endpoint: tensorflow only (tests/layers/native/test_tfsm_layer.py)",
    "Loss": "the base class of losses", "LossFunctionWrapper": "wraps the user's function",
    "Optimizer": "the base class of optimizers", "LossScaleOptimizer": "wraps another optimizer",
    "MultiOptimizer": "a container of optimizers",
    "SimpleRNNCell": "run inside RNN",
    "LSTMCell": "run inside LSTM",
    "GRUCell": "run inside GRU",
    "StackedRNNCells": "a container of cells",
}


@dataclasses.dataclass(frozen=True)
class LossCase:
    name: str
    target: str = "float"          # "float", "prob" (one-hot / probabilities), "binary", "sparse", "sign"
    prediction: str = "float"      # "float", "prob", "positive", "logits"
    kwargs: dict = dataclasses.field(default_factory=dict)
    tolerance: float = DEFAULT_TOLERANCE
    note: str = ""


LOSSES = [
    LossCase("MeanSquaredError"), LossCase("MeanAbsoluteError"),
    LossCase("MeanAbsolutePercentageError", target="positive"),
    LossCase("MeanSquaredLogarithmicError", target="positive", prediction="positive"),
    LossCase("Huber"), LossCase("LogCosh"), LossCase("CosineSimilarity"),
    LossCase("BinaryCrossentropy", target="binary", prediction="unit"),
    LossCase("BinaryCrossentropy", target="binary", prediction="float", kwargs={"from_logits": True}),
    LossCase("BinaryFocalCrossentropy", target="binary", prediction="unit"),
    LossCase("CategoricalCrossentropy", target="prob", prediction="prob"),
    LossCase("CategoricalCrossentropy", target="prob", kwargs={"from_logits": True, "label_smoothing": 0.1}),
    LossCase("CategoricalFocalCrossentropy", target="prob", prediction="prob"),
    LossCase("CategoricalGeneralizedCrossEntropy", target="sparse", prediction="prob"),
    LossCase("SparseCategoricalCrossentropy", target="sparse", prediction="prob"),
    LossCase("SparseCategoricalCrossentropy", target="sparse", kwargs={"from_logits": True}),
    LossCase("KLDivergence", target="prob", prediction="prob"),
    LossCase("Poisson", target="positive", prediction="positive"),
    LossCase("Hinge", target="sign"), LossCase("SquaredHinge", target="sign"),
    LossCase("CategoricalHinge", target="prob"),
    LossCase("Dice", target="binary", prediction="unit"), LossCase("Tversky", target="binary", prediction="unit"),
    LossCase("Circle", target="sparse", prediction="float"),
    LossCase("CTC", target="ctc", prediction="logits", tolerance=1e-4,
             note="a log-space recursion over time steps"),
]


@dataclasses.dataclass(frozen=True)
class OptimizerCase:
    name: str
    kwargs: dict = dataclasses.field(default_factory=dict)
    tolerance: float = DEFAULT_TOLERANCE
    note: str = ""


OPTIMIZERS = [
    OptimizerCase("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    OptimizerCase("Adam", {"learning_rate": 0.01, "amsgrad": True}), OptimizerCase("AdamW", {"learning_rate": 0.01}),
    OptimizerCase("Adamax", {"learning_rate": 0.01}), OptimizerCase("Nadam", {"learning_rate": 0.01}),
    OptimizerCase("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}),
    OptimizerCase("Adagrad", {"learning_rate": 0.1}), OptimizerCase("Adadelta", {"learning_rate": 1.0}),
    OptimizerCase("Adafactor", {"learning_rate": 0.01}), OptimizerCase("Ftrl", {"learning_rate": 0.1}),
    OptimizerCase("Lamb", {"learning_rate": 0.01}), OptimizerCase("Lion", {"learning_rate": 0.01}),
    OptimizerCase("Muon", {"learning_rate": 0.01}, tolerance=1e-4,
                  note="Newton-Schulz iterations: five matrix products in sequence"),
    OptimizerCase("ScheduleFreeAdamW", {"learning_rate": 0.01}),
    OptimizerCase("SGD", {"learning_rate": 0.1, "clipnorm": 0.5, "weight_decay": 0.01}),
]
