"""``SymbolicScope``: a flag that code is being traced for shapes and dtypes, not run for values.

brickwork enters it while it evaluates a function abstractly (``compute_output_spec``, the symbolic build
of a model's metrics); user code can ask ``in_symbolic_scope()`` to skip work that only matters for real
values, such as updating a Python-side counter.

Example:
    >>> from brickwork import ops
    >>> from brickwork.backend.common.symbolic_scope import SymbolicScope, in_symbolic_scope
    >>> def loss(y, y_pred):
    ...     return ops.zeros_like(y) if in_symbolic_scope() else ops.add(y, y_pred)
    >>> with SymbolicScope():
    ...     loss(ops.ones((2,)), ops.ones((2,)))  # zeros
"""

from __future__ import annotations

from brickwork.backend.common import global_state


class SymbolicScope:
    """Marks the code inside as symbolic tracing; ``in_symbolic_scope()`` is true there.

    Example:
    >>> with keras.SymbolicScope():
    ...     inside = keras.backend.in_symbolic_scope()   # True
    """

    def __enter__(self):
        self._parent = global_state.get_global_attribute("symbolic_scope_flag")
        global_state.set_global_attribute("symbolic_scope_flag", self)
        return self

    def __exit__(self, *exc):
        global_state.set_global_attribute("symbolic_scope_flag", self._parent)


def in_symbolic_scope() -> bool:
    """Whether the caller runs inside a ``SymbolicScope`` or the engine's abstract evaluation.

        Returns:
            ``True`` while shapes are being worked out symbolically (no data is computed), else ``False``.

        Example:
        >>> keras.backend.in_symbolic_scope()   # False
    """
    state = global_state.STATE
    return state.symbolic_scope is not None or getattr(state, "symbolic_scope_flag", None) is not None


def get_symbolic_scope():
    """The innermost ``SymbolicScope``, or ``None``."""
    return global_state.get_global_attribute("symbolic_scope_flag")
