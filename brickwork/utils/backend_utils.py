"""Where the running code stands relative to the engines (inside a TensorFlow graph, inside a grain pipeline),
and ``DynamicBackend``, which reaches another engine's backend functions by name.

Libraries built on Keras (KerasHub) ask these questions to pick a code path; brickwork answers them the
same way Keras does, without importing TensorFlow or grain.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from types import ModuleType

from brickwork.backend import config as _config

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


class DynamicBackend:
    """The backend functions of an engine chosen at run time, not only of the active one.

    Attribute lookups (``dynamic.numpy.log10``, ``dynamic.core.convert_to_tensor``) go to the package of
    the engine last set, ``brickwork.backend.<name>``. The NumPy engine is only reachable while it is the
    active backend, as in Keras.

    Args:
        backend: the engine to start with (``"torch"``, ``"jax"`` or ``"numpy"``); the active backend when
            omitted.

    Example:
        >>> import numpy as np
        >>> from brickwork.utils.backend_utils import DynamicBackend
        >>> dynamic = DynamicBackend()
        >>> dynamic.set_backend("torch")
        >>> dynamic.numpy.log10(np.ones(2, "float32")).tolist()
        [0.0, 0.0]
    """

    def __init__(self, backend: str | None = None):
        self._backend = backend or _config.backend()

    def set_backend(self, backend: str) -> None:
        """Send later attribute lookups to ``backend``'s functions."""
        if backend not in _config.VALID_BACKENDS:
            raise ValueError(
                f"DynamicBackend.set_backend: Available backends are {_config.VALID_BACKENDS}. "
                f"Received: backend={backend!r}"
            )
        self._backend = backend

    def reset(self) -> None:
        """Go back to the active backend."""
        self._backend = _config.backend()

    @property
    def name(self) -> str:
        """The engine attribute lookups go to."""
        return self._backend

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._module(), name)

    def _module(self) -> ModuleType:
        if self._backend == "numpy" and _config.backend() != "numpy":
            # Keras refuses this too: the NumPy engine shares names with the active one's modules.
            raise NotImplementedError(
                "DynamicBackend: Currently, we cannot dynamically import the numpy backend while "
                f"the active backend is {_config.backend()!r}. Set BRICKWORK_BACKEND=numpy to use it."
            )
        return importlib.import_module(f"brickwork.backend.{self._backend}")
