"""Deterministic mode: ``enable_determinism`` / ``disable_determinism`` / ``is_determinism_enabled``
(public in ``brickwork.config``), and the error that names a layer whose op cannot be deterministic.

Bit-identical training needs two things: the same random numbers (``utils.set_random_seed`` seeds
Python's ``random``, NumPy, the engine and brickwork's global ``SeedGenerator``, from which shuffling,
dropout and augmentation layers draw) and kernels that give the same bits for the same inputs —
this switch. Each engine's part is in ``backend/<engine>/determinism.py``.
"""

from __future__ import annotations

import os

_STATE = {"enabled": False, "warn_only": False}


class NondeterministicOpError(RuntimeError):
    """An op with no deterministic implementation ran while ``enable_determinism()`` was on.

    Args:
        *args: the message, naming the layer and the op (as for any exception).

    Example:
    >>> issubclass(keras.config.NondeterministicOpError, RuntimeError)   # True
    """


def _engine():
    from brickwork import backend

    return backend.active.determinism


def enable_determinism(warn_only: bool = False) -> None:
    """Make training repeatable to the bit: deterministic kernels only, on every engine.

    Together with ``brickwork.utils.set_random_seed(seed)``, two runs of the same program (in two
    processes, on the same machine, software and device) give bit-identical weights. On torch this is
    ``torch.use_deterministic_algorithms(True)``, cuDNN without autotuning and
    ``CUBLAS_WORKSPACE_CONFIG=:4096:8``; an op that has no deterministic kernel raises a
    ``NondeterministicOpError`` naming the layer and the op (``warn_only=True``: PyTorch warns, naming
    the op, and the op runs anyway). On jax it adds ``--xla_gpu_deterministic_ops=true`` to
    ``XLA_FLAGS``, which XLA reads only when JAX starts its backend: call this before the first array
    is created (``import brickwork`` does not create one), or set ``BRICKWORK_DETERMINISM=1`` in the
    environment; a GPU process that started too early gets a warning. NumPy is deterministic already.
    Deterministic kernels may be slower.

    Args:
        warn_only: warn instead of raising when an op cannot be deterministic (torch).

    Returns:
        ``None``.

    Example:
        import numpy as np
        import brickwork as keras
        keras.config.enable_determinism()
        keras.utils.set_random_seed(42)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.ones((8, 4)), np.zeros((8, 1)), epochs=2, verbose=0)  # the same weights on every run
    """
    _engine().enable(warn_only=bool(warn_only))
    _STATE.update(enabled=True, warn_only=bool(warn_only))


def disable_determinism() -> None:
    """Turn deterministic mode off (the default): the engines pick their fastest kernels again.

    Returns:
        ``None``.

    Example:
        keras.config.disable_determinism()
        keras.config.is_determinism_enabled()  # False
    """
    _engine().disable()
    _STATE.update(enabled=False, warn_only=False)


def is_determinism_enabled() -> bool:
    """Whether ``enable_determinism()`` is on.

    Returns:
        ``True`` between ``enable_determinism()`` (or ``BRICKWORK_DETERMINISM=1``) and
            ``disable_determinism()``, else ``False``.

    Example:
        keras.config.is_determinism_enabled()  # False unless enabled
    """
    return _STATE["enabled"]


def explain_nondeterministic(error: BaseException, where: str) -> NondeterministicOpError | None:
    """For an engine's error about an op without a deterministic kernel: the same error naming
    ``where`` (a layer) and the ways out; ``None`` for any other error."""
    if not _STATE["enabled"] or isinstance(error, NondeterministicOpError):
        return None
    op = _engine().nondeterministic_op(error)
    if op is None:
        return None
    return NondeterministicOpError(
        f"{where} ran the op `{op}`, which has no deterministic implementation on the "
        f"{_backend_name()} backend, while brickwork.config.enable_determinism() is on. Use another layer or op "
        "here, or call enable_determinism(warn_only=True) to only warn about it (results may then vary from "
        f"run to run), or disable_determinism(). The engine said: {str(error).splitlines()[0]}")


def _backend_name() -> str:
    from brickwork import backend

    return backend.backend()


def enable_from_environment() -> None:
    """``BRICKWORK_DETERMINISM=1`` (or ``true``) turns deterministic mode on at import; ``=warn`` with ``warn_only``."""
    value = os.environ.get("BRICKWORK_DETERMINISM", "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        enable_determinism()
    elif value == "warn":
        enable_determinism(warn_only=True)
    elif value not in ("", "0", "false", "no", "off"):
        raise ValueError(f"The environment variable BRICKWORK_DETERMINISM must be 1, 0 or warn; received {value!r}.")
