"""``brickwork.preprocessing.sequence``: ``pad_sequences``."""

from brickwork.utils.sequence_utils import pad_sequences  # noqa: F401
