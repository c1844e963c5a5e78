"""Traceback filtering switches, where Keras's internals keep them (``keras.config`` has the public ones).

Example:
    >>> from brickwork.utils import traceback_utils
    >>> traceback_utils.is_traceback_filtering_enabled()
    True
"""

from brickwork.config import (  # noqa: F401
    disable_traceback_filtering,
    enable_traceback_filtering,
    is_traceback_filtering_enabled,
)
