"""``brickwork.utils``: data helpers, datasets from files, images, seeding, the progress bar,
model summaries."""

from brickwork.backend import clear_session, is_keras_tensor, standardize_dtype  # noqa: F401
from brickwork.config import (  # noqa: F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from brickwork.saving import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from brickwork.trainers.data_adapters.data_adapter_utils import (  # noqa: F401
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from brickwork.trainers.data_adapters.py_dataset_adapter import PyDataset  # noqa: F401
from brickwork.utils import bounding_boxes, legacy  # noqa: F401
from brickwork.utils.audio_dataset_utils import audio_dataset_from_directory  # noqa: F401
from brickwork.utils.config import Config  # noqa: F401
from brickwork.utils.dataset import Dataset  # noqa: F401
from brickwork.utils.dataset_utils import split_dataset  # noqa: F401
from brickwork.utils.feature_space import FeatureSpace  # noqa: F401
from brickwork.utils.file_utils import get_file  # noqa: F401
from brickwork.utils.image_dataset_utils import image_dataset_from_directory  # noqa: F401
from brickwork.utils.image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401
from brickwork.utils.keras_tensor_utils import get_source_inputs  # noqa: F401
from brickwork.utils.lr_finder import LearningRateFinderResult, find_learning_rate  # noqa: F401
from brickwork.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from brickwork.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from brickwork.utils.progbar import Progbar  # noqa: F401
from brickwork.utils.rng_utils import set_random_seed  # noqa: F401
from brickwork.utils.sequence_utils import pad_sequences  # noqa: F401
from brickwork.utils.text_dataset_utils import text_dataset_from_directory  # noqa: F401
from brickwork.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: F401

Sequence = PyDataset
