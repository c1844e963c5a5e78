"""Call-context arguments: values a layer call hands down to the layers it calls, as ``training`` is.

``training`` travels through ``global_state.STATE.training``, which every call reads, so ``Layer`` keeps
its own fast path for it. Any other name a layer registers with ``_register_call_context_args("foo_mode")``
travels through ``global_state.STATE.call_context``, and only layers that registered a name pay for it:

- such a layer's value is the one passed to it, else the one an enclosing call set, else its
  ``call``'s default;
- while its ``call`` runs, that value is what the layers it calls inherit (restored when it returns);
- it is passed to its own ``call`` only when ``call`` takes that argument and the value is not ``None``.

A layer that did not register a name neither reads nor changes it, so a value set by an outer model
reaches, through it, the inner layers that registered the name.

Example:
    class Inner(Layer):
        def __init__(self):
            super().__init__()
            self._register_call_context_args("foo_mode")

        def call(self, x, foo_mode=None):
            return x + (1 if foo_mode else 0)

    model = Sequential([Inner()])
    model._register_call_context_args("foo_mode")
    model(x, foo_mode=True)  # Inner sees foo_mode=True
"""

from __future__ import annotations

from brickwork.backend.common import global_state

_UNSET = object()


def register(layer, names: tuple) -> None:
    """Add ``names`` to the call-context arguments of ``layer`` (before its first call)."""
    if layer._called:
        raise RuntimeError("Cannot add call-context args after the layer has been called.")
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"Layer {layer.name!r}: call-context arguments are argument names; received {name!r}.")
    extra = dict.fromkeys(layer._extra_call_context_args)
    extra.update((name, None) for name in names if name != "training")
    layer._extra_call_context_args = tuple(extra)


def enter(layer, kwargs: dict) -> dict:
    """Resolve ``layer``'s registered arguments into ``kwargs`` and make them the context of its inner calls.

    Returns what ``leave`` needs to restore the enclosing context.
    """
    context = global_state.STATE.call_context
    signature = layer._call_signature
    saved = {}
    for name in layer._extra_call_context_args:
        if name in kwargs:
            value = kwargs[name]
        elif context.get(name) is not None:
            value = context[name]
        else:
            value = signature.defaults.get(name)
        saved[name] = context.get(name, _UNSET)
        context[name] = value
        if name in signature.names:
            if value is not None:
                kwargs[name] = value
        elif not signature.has_var_kwargs:
            kwargs.pop(name, None)  # propagated only: this layer's call does not take it
    return saved


def leave(saved: dict) -> None:
    """Restore the context ``enter`` replaced."""
    context = global_state.STATE.call_context
    for name, value in saved.items():
        if value is _UNSET:
            context.pop(name, None)
        else:
            context[name] = value
