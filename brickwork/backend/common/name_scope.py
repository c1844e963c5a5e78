"""``name_scope``: the path prefix of variables created inside a layer (``dense/kernel``)."""

from __future__ import annotations

from brickwork.backend.common import global_state


class name_scope:
    def __init__(self, name: str, caller=None):
        self.name = name
        self.caller = caller
        self._pushed = False

    def __enter__(self):
        stack = global_state.STATE.name_scope_stack
        # Re-entering the scope of the same layer (a call inside a call) adds no level.
        if not (stack and self.caller is not None and stack[-1].caller is self.caller):
            stack.append(self)
            self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            global_state.STATE.name_scope_stack.pop()


def current_path() -> str:
    return "/".join(scope.name for scope in global_state.STATE.name_scope_stack)
