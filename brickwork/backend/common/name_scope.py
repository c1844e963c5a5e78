"""``name_scope``: the path prefix of variables created inside a layer (``dense/kernel``)."""

from __future__ import annotations

from brickwork.backend.common import global_state


class name_scope:
    """Prefix ``name/`` to the paths of variables created inside the scope.

    Args:
        name: one path component (no ``/``).
        caller: the object opening the scope; re-entering the scope of the same caller adds no level.
        override_parent: an absolute path to nest under instead of the enclosing scopes.

    Example:
    >>> with keras.name_scope("block"):
    ...     v = keras.Variable(np.zeros(2), name="w")
    >>> v.path   # 'block/w'
    """

    def __init__(self, name: str, caller=None, override_parent: str | None = None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"name_scope: Argument `name` must be a string and cannot contain character `/`. "
                             f"Received: name={name!r}")
        self.name = name
        self.caller = caller
        self.override_parent = override_parent.strip("/") if override_parent is not None else None
        self._pop_on_exit = False

    def __enter__(self):
        stack = global_state.STATE.name_scope_stack
        if stack is None:
            stack = global_state.STATE.name_scope_stack = []
        # Re-entering the scope of the same layer (a call inside a call) adds no level.
        if not (stack and self.caller is not None and stack[-1].caller is self.caller):
            stack.append(self)
            self._pop_on_exit = True
        return self

    def __exit__(self, *exc):
        # The stack may have been cleared meanwhile (clear_session, another thread's reset).
        stack = global_state.STATE.name_scope_stack
        if self._pop_on_exit and stack:
            stack.pop()


def current_path() -> str:
    parts = []
    for scope in global_state.STATE.name_scope_stack or ():
        if scope.override_parent is not None:
            parts = [scope.override_parent] if scope.override_parent else []
        parts.append(scope.name)
    return "/".join(parts)
