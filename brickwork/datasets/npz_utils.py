"""Reading ``.npz`` files safely: object arrays (ragged sequences) go through a restricted unpickler.

Example:
    >>> from brickwork.datasets import npz_utils
    >>> arrays = npz_utils.load_npz("imdb.npz")  # {"x_train": ..., "y_train": ..., ...}
"""

from brickwork.datasets._safe_load import load_npz  # noqa: F401
