"""Where the running code stands relative to the engines: inside a TensorFlow graph, inside a grain pipeline.

Libraries built on Keras (KerasHub) ask these questions to pick a code path; brickwork answers them the
same way Keras does, without importing TensorFlow or grain.
"""

from __future__ import annotations

import inspect
import os
import sys

_GRAIN_FRAMES = (os.path.join("grain", "_src", "python", "dataset"),
                 os.path.join("grain", "_src", "python", "data_loader"))


def in_tf_graph() -> bool:
    """Whether the caller runs inside a TensorFlow graph (``tf.function``, ``tf.data``): never, where
    TensorFlow is not imported."""
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return False
    return not tf.executing_eagerly()


def in_grain_data_pipeline() -> bool:
    """Whether the caller runs inside a grain dataset or data loader (its transforms must then use NumPy).

    Example:
        >>> from brickwork.utils.backend_utils import in_grain_data_pipeline
        >>> in_grain_data_pipeline()
        False
    """
    if "grain" not in sys.modules:
        return False
    frame = inspect.currentframe()
    while frame is not None:
        if any(part in frame.f_code.co_filename for part in _GRAIN_FRAMES):
            return True
        frame = frame.f_back
    return False
