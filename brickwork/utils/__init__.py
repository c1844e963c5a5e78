"""``brickwork.utils``: data helpers, datasets from files, images, seeding, the progress bar,
model summaries.

Every name loads on first use (``brickwork.utils.module_utils.lazy_namespace``): ops import
``brickwork.utils.keras_tensor_utils`` at start-up, which must not bring in PIL, tarfile or the
feature space with it.
"""

from brickwork.utils.module_utils import lazy_namespace as _lazy_namespace

_U = "brickwork.utils."
_NAMES = {
    "clear_session": "brickwork.backend",
    "is_keras_tensor": "brickwork.backend",
    "standardize_dtype": "brickwork.backend",
    "disable_interactive_logging": "brickwork.config",
    "enable_interactive_logging": "brickwork.config",
    "is_interactive_logging_enabled": "brickwork.config",
    **dict.fromkeys(["CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
                     "get_registered_name", "get_registered_object", "register_keras_serializable",
                     "serialize_keras_object"], "brickwork.saving"),
    "pack_x_y_sample_weight": "brickwork.trainers.data_adapters.data_adapter_utils",
    "unpack_x_y_sample_weight": "brickwork.trainers.data_adapters.data_adapter_utils",
    "PyDataset": "brickwork.trainers.data_adapters.py_dataset_adapter",
    "Sequence": "brickwork.trainers.data_adapters.py_dataset_adapter:PyDataset",
    "audio_dataset_from_directory": _U + "audio_dataset_utils",
    "Config": _U + "config",
    "Dataset": _U + "dataset",
    "split_dataset": _U + "dataset_utils",
    "FeatureSpace": _U + "feature_space",
    "get_file": _U + "file_utils",
    "image_dataset_from_directory": _U + "image_dataset_utils",
    **dict.fromkeys(["array_to_img", "img_to_array", "load_img", "save_img"], _U + "image_utils"),
    "get_source_inputs": _U + "keras_tensor_utils",
    "LearningRateFinderResult": _U + "lr_finder",
    "find_learning_rate": _U + "lr_finder",
    "model_to_dot": _U + "model_visualization",
    "plot_model": _U + "model_visualization",
    "normalize": _U + "numerical_utils",
    "to_categorical": _U + "numerical_utils",
    "Progbar": _U + "progbar",
    "set_random_seed": _U + "rng_utils",
    "pad_sequences": _U + "sequence_utils",
    "text_dataset_from_directory": _U + "text_dataset_utils",
    "timeseries_dataset_from_array": _U + "timeseries_dataset_utils",
}
__getattr__, __dir__ = _lazy_namespace(globals(), _NAMES, submodules=("bounding_boxes", "legacy"))
__all__ = list(_NAMES)  # what `from brickwork.utils import *` loads
