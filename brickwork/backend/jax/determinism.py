"""jax backend: deterministic mode (``brickwork.config.enable_determinism``).

XLA's compiled CPU code is deterministic for a fixed program. On GPU, XLA picks some kernels by
autotuning and runs scatter-adds with atomics; ``--xla_gpu_deterministic_ops=true`` in
``XLA_FLAGS`` turns both off. XLA reads ``XLA_FLAGS`` once, when JAX starts its backend (at the
first array or computation), so the flag is set only if that has not happened yet; ``import
brickwork`` itself does not start it. Once started, a GPU process can only be warned.
"""

from __future__ import annotations

import os
import warnings

import jax

_FLAG = "--xla_gpu_deterministic_ops=true"
_ADDED = {"flag": False}  # whether enable() put _FLAG into XLA_FLAGS (so that disable() may take it out)


def _backend_started() -> bool:
    try:
        from jax._src import xla_bridge
    except ImportError:  # pragma: no cover - a jax that moved it: assume the worst
        return True
    return xla_bridge.backends_are_initialized()


def enable(warn_only: bool = False) -> None:
    """Add XLA's deterministic flag to ``XLA_FLAGS`` before the backend starts; warn when too late on a GPU.

    ``warn_only`` changes nothing here: XLA has no op that refuses to run deterministically.
    """
    flags = os.environ.get("XLA_FLAGS", "")
    if _FLAG in flags.split():
        return
    if not _backend_started():
        os.environ["XLA_FLAGS"] = f"{flags} {_FLAG}".strip()
        _ADDED["flag"] = True
        return
    if any(device.platform != "cpu" for device in jax.devices()):
        warnings.warn(
            "enable_determinism: JAX has already started its backend in this process, so XLA will not read "
            f"{_FLAG} any more and GPU results may vary from run to run. Set XLA_FLAGS={_FLAG} (or "
            "BRICKWORK_DETERMINISM=1) in the environment, or call enable_determinism() before the first "
            "array is created.", stacklevel=3)


def disable() -> None:
    """Take the flag ``enable`` added out of ``XLA_FLAGS`` (a started backend keeps what it read)."""
    if _ADDED["flag"]:
        flags = [flag for flag in os.environ.get("XLA_FLAGS", "").split() if flag != _FLAG]
        os.environ["XLA_FLAGS"] = " ".join(flags)
        _ADDED["flag"] = False


def nondeterministic_op(error: BaseException) -> str | None:
    """XLA has no op that refuses to run deterministically."""
    return None
