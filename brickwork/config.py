"""``brickwork.config``: global settings (as ``keras.config``).

Besides the backend settings (floatx, epsilon, image data format), this module holds the
process-wide switches a user flips for debugging or deployment: caps on the length of ``fit``
(``KERAS_MAX_EPOCHS`` / ``KERAS_MAX_STEPS_PER_EPOCH`` set them at import), whether the progress
bar writes to stdout or to Python logging, traceback filtering, flash attention and deterministic
mode (``enable_determinism``; ``BRICKWORK_DETERMINISM=1`` turns it on at import).
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings

from brickwork.backend.config import (  # noqa: F401
    backend,
    disable_flash_attention,
    enable_flash_attention,
    epsilon,
    floatx,
    image_data_format,
    is_flash_attention_enabled,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from brickwork.backend.common.determinism import (  # noqa: F401
    NondeterministicOpError,
    disable_determinism,
    enable_determinism,
    is_determinism_enabled,
)
from brickwork.backend.common.determinism import enable_from_environment as _enable_determinism_from_environment
from brickwork.dtype_policies.dtype_policy import dtype_policy, set_dtype_policy  # noqa: F401
from brickwork.saving.serialization_lib import enable_unsafe_deserialization  # noqa: F401


def _positive_int_from_env(name: str) -> int | None:
    value = os.environ.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"The environment variable {name} must be an integer; received {value!r}.") from None


_MAX_EPOCHS = _positive_int_from_env("KERAS_MAX_EPOCHS")
_MAX_STEPS_PER_EPOCH = _positive_int_from_env("KERAS_MAX_STEPS_PER_EPOCH")
_INTERACTIVE_LOGGING = True
_TRACEBACK_FILTERING = True
_enable_determinism_from_environment()  # BRICKWORK_DETERMINISM=1


# --------------------------------------------------------------- caps on fit / evaluate / predict
def set_max_epochs(max_epochs: int | None) -> None:
    """Cap the number of epochs of every ``fit`` (``None`` removes the cap); a debugging aid.

    The environment variable ``KERAS_MAX_EPOCHS`` sets the same cap when brickwork is imported.

    Args:
        max_epochs: the most epochs any ``fit`` runs, or ``None`` for no cap.

    Returns:
        ``None``.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        keras.config.set_max_epochs(1)
        model.fit(x, y, epochs=100)  # runs one epoch
        keras.config.set_max_epochs(None)
    """
    global _MAX_EPOCHS
    _MAX_EPOCHS = max_epochs


def max_epochs() -> int | None:
    """The cap on the epochs of ``fit`` set by ``set_max_epochs`` or ``KERAS_MAX_EPOCHS`` (or ``None``).

    Returns:
        The cap, an int, or ``None`` when there is none.

    Example:
        keras.config.max_epochs()  # None unless a cap was set
    """
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch: int | None) -> None:
    """Cap the steps of each epoch of ``fit``, ``evaluate`` and ``predict`` (``None`` removes the cap).

    The environment variable ``KERAS_MAX_STEPS_PER_EPOCH`` sets the same cap when brickwork is imported.

    Args:
        max_steps_per_epoch: the most steps an epoch of ``fit``, ``evaluate`` or ``predict`` runs, or
            ``None`` for no cap.

    Returns:
        ``None``.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        keras.config.set_max_steps_per_epoch(3)
        model.fit(x, y, batch_size=8)  # three batches an epoch
        keras.config.set_max_steps_per_epoch(None)
    """
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = max_steps_per_epoch


def max_steps_per_epoch() -> int | None:
    """The cap on steps per epoch set by ``set_max_steps_per_epoch`` or ``KERAS_MAX_STEPS_PER_EPOCH``.

    Returns:
        The cap, an int, or ``None`` when there is none.

    Example:
        keras.config.max_steps_per_epoch()  # None unless a cap was set
    """
    return _MAX_STEPS_PER_EPOCH


def capped_epochs(epochs: int) -> int:
    """``epochs`` lowered to the ``max_epochs`` cap, with a warning when it bites (for the trainer).

        Args:
            epochs: the number of epochs asked for.

        Returns:
            ``min(epochs, max_epochs())``, or ``epochs`` when no cap is set.

        Example:
        >>> keras.config.capped_epochs(100)   # 100 when no cap is set
    """
    if _MAX_EPOCHS and _MAX_EPOCHS < epochs:
        warnings.warn(f"Limiting epochs to {_MAX_EPOCHS} (keras.config.max_epochs).", stacklevel=3)
        return _MAX_EPOCHS
    return epochs


def capped_steps(steps: int | None) -> int | None:
    """``steps`` (``None``: the whole data) lowered to the ``max_steps_per_epoch`` cap.

        Args:
            steps: the steps asked for, or ``None`` for as many as the data gives.

        Returns:
            The cap when one is set and ``steps`` is ``None`` or larger, else ``steps``.

        Example:
        >>> keras.config.capped_steps(None)   # None when no cap is set
    """
    if _MAX_STEPS_PER_EPOCH and (not steps or _MAX_STEPS_PER_EPOCH < steps):
        warnings.warn(f"Limiting steps_per_epoch to {_MAX_STEPS_PER_EPOCH} (keras.config.max_steps_per_epoch).",
                      stacklevel=3)
        return _MAX_STEPS_PER_EPOCH
    return steps


# --------------------------------------------------------------- logging and tracebacks
def enable_interactive_logging() -> None:
    """Write progress bars and training messages to stdout (the default).

    Returns:
        ``None``.

    Example:
        keras.config.enable_interactive_logging()
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = True


def disable_interactive_logging() -> None:
    """Send progress output to Python's ``logging`` (logger ``"brickwork"``) instead of stdout.

    Suited to jobs on a server, where a live progress bar only fills the log.

    Returns:
        ``None``.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        keras.config.disable_interactive_logging()
        model.fit(x, y)  # progress goes to absl.logging.info (logging.getLogger("brickwork") without absl-py)
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = False


def is_interactive_logging_enabled() -> bool:
    """Whether progress output goes to stdout (``True``) or to Python's ``logging`` (``False``).

    Returns:
        ``True`` when progress goes to stdout, ``False`` when it goes to ``logging``.

    Example:
        keras.config.is_interactive_logging_enabled()  # True
    """
    return _INTERACTIVE_LOGGING


def enable_traceback_filtering() -> None:
    """Turn traceback filtering on (the default; kept for Keras compatibility).

    Returns:
        ``None``.

    Example:
        keras.config.enable_traceback_filtering()
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = True


def disable_traceback_filtering() -> None:
    """Turn traceback filtering off, to see every internal frame of an error.

    Returns:
        ``None``.

    Example:
        keras.config.disable_traceback_filtering()
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = False


def is_traceback_filtering_enabled() -> bool:
    """Whether traceback filtering is on.

    Returns:
        ``True`` if tracebacks leave out brickwork's internal frames, else ``False``.

    Example:
        keras.config.is_traceback_filtering_enabled()  # True
    """
    return _TRACEBACK_FILTERING


# --------------------------------------------------------------- engines (flash attention: backend/config.py)
def is_nnx_enabled() -> bool:
    """Whether Flax NNX integration is on for the JAX backend: always ``False`` in brickwork.

    Returns:
        ``False``: brickwork has no Flax NNX integration.

    Example:
        keras.config.is_nnx_enabled()  # False
    """
    return False


def set_backend(backend: str) -> None:  # noqa: F811 (Keras names the argument `backend`)
    """Switch the engine by re-importing brickwork with ``backend`` (``"torch"``, ``"jax"``, ``"numpy"``).

    Objects made before the switch (layers, tensors, models) belong to the old engine and must not
    be used afterwards; import ``brickwork`` (and its submodules) again to get the new one.

    Args:
        backend: ``"torch"``, ``"jax"`` or ``"numpy"``.

    Returns:
        ``None``; re-import ``brickwork`` to use the new engine.

    Example:
        keras.config.set_backend("jax")
        import brickwork as keras
        keras.config.backend()  # "jax"
    """
    from brickwork.backend.config import VALID_BACKENDS

    if backend not in VALID_BACKENDS:
        raise ValueError(f"set_backend: expected one of {VALID_BACKENDS}; received backend={backend!r}.")
    os.environ["BRICKWORK_BACKEND"] = backend
    os.environ["KERAS_BACKEND"] = backend
    for name in [name for name in sys.modules if name == "brickwork" or name.startswith("brickwork.")]:
        del sys.modules[name]
    importlib.import_module("brickwork")
