"""``brickwork.utils``: data helpers, seeding, the progress bar, model summaries."""

from brickwork.trainers.data_adapters.data_adapter_utils import (  # noqa: F401
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from brickwork.trainers.data_adapters.py_dataset_adapter import PyDataset  # noqa: F401
from brickwork.utils.file_utils import get_file  # noqa: F401
from brickwork.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from brickwork.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from brickwork.utils.progbar import Progbar  # noqa: F401
from brickwork.utils.rng_utils import set_random_seed  # noqa: F401

Sequence = PyDataset
