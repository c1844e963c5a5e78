"""numpy backend: deterministic mode (``brickwork.config.enable_determinism``).

NumPy's kernels give the same result for the same inputs on every run: nothing to switch.
"""

from __future__ import annotations


def enable(warn_only: bool = False) -> None:
    """Nothing to do: NumPy is deterministic."""


def disable() -> None:
    """Nothing to do: NumPy is deterministic."""


def nondeterministic_op(error: BaseException) -> str | None:
    """NumPy has no op that refuses to run deterministically."""
    return None
