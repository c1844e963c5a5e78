"""The one reviewed map from Keras's internal modules (``keras.src.*``) to brickwork's.

Keras's own test files and libraries built on Keras (KerasHub imports about ten ``keras.src`` modules)
reach past the public API into ``keras.src``. Each such module resolves here to the brickwork module
that holds the same names. The map only names places: it never defines behaviour, and a Keras module
that is missing from it is an ImportError that names this file.

``SAME_PATH`` lists the modules whose brickwork twin has the same dotted path below ``brickwork``
(``keras.src.layers.core.dense`` is ``brickwork.layers.core.dense``); ``RENAMED`` the ones that live
elsewhere. ``tests/compat/test_keras_src_map.py`` imports every target.

Example:
    >>> from brickwork.compat.keras_src_map import brickwork_module_for
    >>> brickwork_module_for("keras.src.layers.core.dense")
    'brickwork.layers.core.dense'
"""

from __future__ import annotations

PREFIX = "keras.src"

SAME_PATH: frozenset[str] = frozenset((
    # activations
    "activations", "activations.activations",
    # applications
    "applications", "applications.convnext", "applications.densenet", "applications.efficientnet",
    "applications.efficientnet_v2", "applications.imagenet_utils", "applications.inception_resnet_v2",
    "applications.inception_v3", "applications.mobilenet", "applications.mobilenet_v2", "applications.mobilenet_v3",
    "applications.nasnet", "applications.resnet", "applications.resnet_v2", "applications.vgg16", "applications.vgg19",
    "applications.xception",
    # backend
    "backend", "backend.common", "backend.common.backend_utils", "backend.common.dtypes", "backend.common.global_state",
    "backend.common.keras_tensor", "backend.common.masking", "backend.common.name_scope",
    "backend.common.remat", "backend.common.stateless_scope", "backend.common.symbolic_scope",
    "backend.common.variables", "backend.config", "backend.jax",
    "backend.jax.core", "backend.jax.distribution_lib", "backend.jax.export", "backend.jax.image",
    "backend.jax.linalg", "backend.jax.math", "backend.jax.nn", "backend.jax.numpy", "backend.jax.random",
    "backend.jax.rnn", "backend.jax.trainer", "backend.numpy", "backend.numpy.core", "backend.numpy.export",
    "backend.numpy.image", "backend.numpy.linalg", "backend.numpy.math", "backend.numpy.nn", "backend.numpy.numpy",
    "backend.numpy.random", "backend.numpy.rnn", "backend.numpy.trainer", "backend.torch", "backend.torch.core",
    "backend.torch.export", "backend.torch.image", "backend.torch.linalg", "backend.torch.math", "backend.torch.nn",
    "backend.torch.numpy", "backend.torch.optimizers", "backend.torch.random", "backend.torch.rnn",
    "backend.torch.trainer", "backend.tensorflow", "backend.tensorflow.core", "backend.tensorflow.export",
    "backend.tensorflow.image", "backend.tensorflow.linalg", "backend.tensorflow.math", "backend.tensorflow.nn",
    "backend.tensorflow.numpy", "backend.tensorflow.optimizers", "backend.tensorflow.random",
    "backend.tensorflow.rnn", "backend.tensorflow.trainer",
    # callbacks
    "callbacks", "callbacks.backup_and_restore", "callbacks.callback", "callbacks.callback_list",
    "callbacks.csv_logger", "callbacks.early_stopping", "callbacks.history", "callbacks.lambda_callback",
    "callbacks.learning_rate_scheduler", "callbacks.model_checkpoint", "callbacks.monitor_callback",
    "callbacks.orbax_checkpoint",
    "callbacks.progbar_logger", "callbacks.reduce_lr_on_plateau", "callbacks.swap_ema_weights",
    "callbacks.tensorboard", "callbacks.terminate_on_nan",
    # constraints
    "constraints", "constraints.constraints",
    # datasets
    "datasets", "datasets.boston_housing", "datasets.california_housing", "datasets.cifar10", "datasets.cifar100",
    "datasets.fashion_mnist", "datasets.imdb", "datasets.mnist", "datasets.npz_utils", "datasets.reuters",
    # distillation (keras.src.distillation.distillation_loss: RENAMED)
    "distillation", "distillation.distiller",
    # distribution
    "distribution", "distribution.distribution_lib",
    # dtype_policies
    "dtype_policies", "dtype_policies.dtype_policy", "dtype_policies.dtype_policy_map",
    # initializers
    "initializers", "initializers.constant_initializers", "initializers.initializer",
    "initializers.random_initializers",
    # layers
    "layers", "layers.activations", "layers.activations.elu", "layers.activations.leaky_relu",
    "layers.activations.prelu", "layers.activations.relu", "layers.activations.softmax", "layers.attention",
    "layers.attention.additive_attention", "layers.attention.attention", "layers.attention.grouped_query_attention",
    "layers.attention.multi_head_attention", "layers.convolutional", "layers.convolutional.base_conv",
    "layers.convolutional.base_conv_transpose", "layers.convolutional.base_depthwise_conv",
    "layers.convolutional.base_separable_conv", "layers.convolutional.conv1d",
    "layers.convolutional.conv1d_transpose", "layers.convolutional.conv2d", "layers.convolutional.conv2d_transpose",
    "layers.convolutional.conv3d", "layers.convolutional.conv3d_transpose", "layers.convolutional.depthwise_conv1d",
    "layers.convolutional.depthwise_conv2d", "layers.convolutional.separable_conv1d",
    "layers.convolutional.separable_conv2d", "layers.core", "layers.core.dense", "layers.core.einsum_dense",
    "layers.core.embedding", "layers.core.identity", "layers.core.input_layer", "layers.core.lambda_layer",
    "layers.core.reversible_embedding", "layers.core.wrapper", "layers.input_spec", "layers.layer", "layers.merging",
    "layers.merging.add", "layers.merging.average", "layers.merging.base_merge", "layers.merging.concatenate",
    "layers.merging.dot", "layers.merging.maximum", "layers.merging.minimum", "layers.merging.multiply",
    "layers.merging.subtract", "layers.normalization", "layers.normalization.batch_normalization",
    "layers.normalization.group_normalization", "layers.normalization.layer_normalization",
    "layers.normalization.rms_normalization", "layers.normalization.spectral_normalization",
    "layers.normalization.unit_normalization", "layers.pooling", "layers.pooling.average_pooling1d",
    "layers.pooling.adaptive_average_pooling1d", "layers.pooling.adaptive_average_pooling2d",
    "layers.pooling.adaptive_average_pooling3d", "layers.pooling.adaptive_max_pooling1d",
    "layers.pooling.adaptive_max_pooling2d", "layers.pooling.adaptive_max_pooling3d",
    "layers.pooling.average_pooling2d", "layers.pooling.average_pooling3d", "layers.pooling.base_adaptive_pooling",
    "layers.pooling.base_global_pooling",
    "layers.pooling.base_pooling", "layers.pooling.global_average_pooling1d",
    "layers.pooling.global_average_pooling2d", "layers.pooling.global_average_pooling3d",
    "layers.pooling.global_max_pooling1d", "layers.pooling.global_max_pooling2d",
    "layers.pooling.global_max_pooling3d", "layers.pooling.max_pooling1d", "layers.pooling.max_pooling2d",
    "layers.pooling.max_pooling3d", "layers.preprocessing", "layers.preprocessing.category_encoding",
    "layers.preprocessing.discretization", "layers.preprocessing.hashed_crossing", "layers.preprocessing.hashing",
    "layers.preprocessing.index_lookup", "layers.preprocessing.integer_lookup",
    "layers.preprocessing.mel_spectrogram", "layers.preprocessing.normalization", "layers.preprocessing.pipeline",
    "layers.preprocessing.rescaling", "layers.preprocessing.stft_spectrogram", "layers.preprocessing.string_lookup",
    "layers.preprocessing.text_vectorization", "layers.regularization",
    "layers.regularization.activity_regularization", "layers.regularization.alpha_dropout",
    "layers.regularization.dropout", "layers.regularization.gaussian_dropout",
    "layers.regularization.gaussian_noise", "layers.regularization.spatial_dropout", "layers.reshaping",
    "layers.reshaping.cropping1d", "layers.reshaping.cropping2d", "layers.reshaping.cropping3d",
    "layers.reshaping.flatten", "layers.reshaping.permute", "layers.reshaping.repeat_vector",
    "layers.reshaping.reshape", "layers.reshaping.up_sampling1d", "layers.reshaping.up_sampling2d",
    "layers.reshaping.up_sampling3d", "layers.reshaping.zero_padding1d", "layers.reshaping.zero_padding2d",
    "layers.reshaping.zero_padding3d", "layers.rnn", "layers.rnn.bidirectional", "layers.rnn.conv_lstm",
    "layers.rnn.conv_lstm1d", "layers.rnn.conv_lstm2d", "layers.rnn.conv_lstm3d", "layers.rnn.dropout_rnn_cell",
    "layers.rnn.gru", "layers.rnn.lstm", "layers.rnn.rnn", "layers.rnn.simple_rnn", "layers.rnn.stacked_rnn_cells",
    "layers.rnn.time_distributed",
    # legacy (Keras 2's config format and the .h5 whole-model format)
    "legacy", "legacy.saving", "legacy.saving.legacy_h5_format", "legacy.saving.saving_utils",
    # losses
    "losses", "losses.loss", "losses.losses",
    # metrics
    "metrics", "metrics.accuracy_metrics", "metrics.confusion_metrics", "metrics.correlation_metrics",
    "metrics.f_score_metrics", "metrics.hinge_metrics", "metrics.iou_metrics", "metrics.metric",
    "metrics.metrics_utils", "metrics.probabilistic_metrics", "metrics.reduction_metrics", "metrics.regression_metrics",
    # models
    "models", "models.cloning", "models.functional", "models.model", "models.sequential",
    # ops
    "ops.einops",
    "ops.core", "ops.function", "ops.image", "ops.linalg", "ops.math", "ops.nn", "ops.node", "ops.numpy",
    "ops.operation", "ops.operation_utils",
    # optimizers
    "optimizers", "optimizers.adadelta", "optimizers.adafactor", "optimizers.adagrad", "optimizers.adam",
    "optimizers.adamax", "optimizers.adamw", "optimizers.base_optimizer", "optimizers.ftrl", "optimizers.lamb",
    "optimizers.lion", "optimizers.loss_scale_optimizer", "optimizers.multi_optimizer", "optimizers.muon",
    "optimizers.nadam", "optimizers.rmsprop", "optimizers.schedule_free_adamw", "optimizers.schedules",
    "optimizers.schedules.learning_rate_schedule", "optimizers.sgd",
    # quantizers (keras.src.quantizers.quantizers: RENAMED)
    "quantizers", "quantizers.awq", "quantizers.awq_config", "quantizers.gptq", "quantizers.gptq_config",
    "quantizers.quantization_config",
    # random
    "random", "random.random", "random.seed_generator",
    # regularizers
    "regularizers", "regularizers.regularizers",
    # saving
    "saving", "saving.file_editor", "saving.object_registration", "saving.saving_api", "saving.saving_lib",
    "saving.serialization_lib",
    # testing
    "testing", "testing.test_case", "testing.test_utils",
    # trainers
    "trainers", "trainers.compile_utils", "trainers.data_adapters", "trainers.data_adapters.array_data_adapter",
    "trainers.data_adapters.data_adapter", "trainers.data_adapters.data_adapter_utils",
    "trainers.data_adapters.generator_data_adapter", "trainers.data_adapters.grain_dataset_adapter",
    "trainers.data_adapters.py_dataset_adapter", "trainers.data_adapters.tf_dataset_adapter",
    "trainers.data_adapters.torch_data_loader_adapter",
    "trainers.epoch_iterator", "trainers.trainer",
    # tree
    "tree", "tree.tree_api",
    # utils
    "utils", "utils.audio_dataset_utils", "utils.backend_utils", "utils.config", "utils.dataset_utils",
    "utils.file_utils", "utils.image_dataset_utils", "utils.image_utils", "utils.io_utils",
    "utils.model_visualization", "utils.module_utils", "utils.naming", "utils.numerical_utils", "utils.progbar",
    "utils.rng_utils", "utils.sequence_utils", "utils.summary_utils", "utils.text_dataset_utils",
    "utils.timeseries_dataset_utils", "utils.dtype_utils", "utils.python_utils", "utils.traceback_utils",
    "utils.tracking",
    # wrappers (scikit-learn)
    "wrappers",
    # visualization
    "visualization", "visualization.draw_bounding_boxes", "visualization.draw_segmentation_masks",
    "visualization.plot_bounding_box_gallery", "visualization.plot_image_gallery",
    "visualization.plot_segmentation_mask_gallery",
))

RENAMED: dict[str, str] = {
    # keras.src path (below keras.src)     brickwork path (below brickwork)
    "layers.core.masking": "layers.core.masking_layer",
    "layers.activations.activation": "layers.core.activation",
    "optimizers.optimizer": "optimizers.base_optimizer",
    "legacy.saving.serialization": "utils.legacy",
    "export.saved_model": "export.export_archive",  # Keras's ExportArchive (a SavedModel on the tensorflow engine)
    "export.tfsm_layer": "layers.native.tfsm_layer",  # TFSMLayer sits with the layers around an engine's models
    "saving.orbax_util": "saving.orbax_checkpoint",  # reading checkpoints of callbacks.OrbaxCheckpoint
    "quantizers.quantizers": "quantizers",  # Keras's one module of quantizer functions: our package holds them
    "quantizers.utils": "quantizers.model_quantization",  # should_quantize_layer, beside Model.quantize
    "quantizers.gptq_core": "quantizers.gptq",  # GPTQ's model-level pass lives beside its algorithm
    "quantizers.awq_core": "quantizers.awq",
    "distillation.distillation_loss": "distillation",  # Keras's one module of the three losses: our package
    # Keras's image layers sit in a sub-package; brickwork's beside the other preprocessing layers
    "layers.preprocessing.image_preprocessing": "layers.preprocessing",
    "layers.preprocessing.image_preprocessing.bounding_boxes": "utils.bounding_boxes",
    "layers.preprocessing.image_preprocessing.bounding_boxes.converters": "utils.bounding_boxes.converters",
    "layers.preprocessing.image_preprocessing.bounding_boxes.iou": "utils.bounding_boxes.iou",
    "layers.preprocessing.image_preprocessing.clahe": "layers.preprocessing.clahe",
    "layers.preprocessing.feature_space": "utils.feature_space",  # Keras exports it as keras.utils.FeatureSpace
    # Keras picks one of several tree implementations; brickwork has one, on optree
    "tree.optree_impl": "tree.tree_api",
    "tree.torchtree_impl": "tree.tree_api",
    # the layers around an engine's own model sit with the layers (Keras keeps them in utils)
    "utils.torch_utils": "layers.native.torch_module_wrapper",
    "utils.jax_layer": "layers.native",  # JaxLayer and FlaxLayer, one file each
    "version": "",
    # Keras's internal ops package carries the op classes and KerasTensor besides the public functions
    "ops": "compat.keras_src_ops",
    # and Keras's internal export package carries TFSMLayer and one function per format
    "export": "compat.keras_src_export",
}


def brickwork_module_for(keras_name: str) -> str | None:
    """The brickwork module standing for ``keras_name`` (``"keras.src.X"``), or ``None`` if there is none."""
    if keras_name == PREFIX or not keras_name.startswith(PREFIX + "."):
        return None
    path = keras_name[len(PREFIX) + 1:]
    if path in RENAMED:
        return "brickwork" + ("." + RENAMED[path] if RENAMED[path] else "")
    if path in SAME_PATH:
        return "brickwork." + path
    return None


def renamed_children(keras_name: str) -> dict[str, str]:
    """The submodules of ``keras_name`` that live elsewhere in brickwork: ``{child name: brickwork module}``.

    ``from keras.src.tree import torchtree_impl`` looks ``torchtree_impl`` up on the parent module first,
    so the alias binds these children on the parent when it is imported.
    """
    path = keras_name[len(PREFIX) + 1:] if keras_name.startswith(PREFIX + ".") else None
    if path is None:
        return {}
    children = {}
    for name, target in RENAMED.items():
        parent, _, child = name.rpartition(".")
        if parent == path:
            children[child] = "brickwork" + ("." + target if target else "")
    return children
