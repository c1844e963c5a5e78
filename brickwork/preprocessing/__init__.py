"""``brickwork.preprocessing``: Keras's ``keras.preprocessing`` namespace — the dataset utilities
and the ``image`` and ``sequence`` helpers (the same functions as in ``brickwork.utils``)."""

from brickwork.preprocessing import image, sequence  # noqa: F401
from brickwork.utils.image_dataset_utils import image_dataset_from_directory  # noqa: F401
from brickwork.utils.text_dataset_utils import text_dataset_from_directory  # noqa: F401
from brickwork.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: F401
