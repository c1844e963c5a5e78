"""On torch every layer is a ``torch.nn.Module``, as in Keras: torch's own tools work on brickwork models.

A layer's variables are its registered parameters (the very ``torch.nn.Parameter`` each Variable stores;
non-trainable ones have ``requires_grad=False``) and its sublayers are its child modules, so
``parameters()``, ``named_modules()``, ``state_dict()`` / ``load_state_dict()``, ``.to(device)``,
``train()`` / ``eval()``, ``zero_grad()`` and a torch optimizer all see the model as torch sees its own.

brickwork's tracking (``Layer.weights``, ``_sublayers()``) stays the single source of truth: torch's
registries (``_parameters``, ``_modules``) are rebuilt from it when torch reads them, never written on a
layer's call, so the training step costs nothing more. Calls stay brickwork's ``Layer.__call__``;
``forward`` runs ``call``, and forward hooks fire once a layer has one.

Example:
    model = keras.Sequential([keras.layers.Dense(4)])
    model.build((None, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
"""

from __future__ import annotations

import torch

_MODULE_ATTRIBUTES = frozenset(vars(torch.nn.Module()))  # the state torch.nn.Module keeps in __dict__


def _free_key(name: str, taken: dict) -> str:
    """``name`` made a valid torch key (no dots, not empty) that is not yet in ``taken``."""
    key = name.replace(".", "_") or "_"
    candidate, index = key, 0
    while candidate in taken:
        index += 1
        candidate = f"{key}_{index}"
    return candidate


class EngineLayer(torch.nn.Module):
    """The torch side of ``Layer``: a ``torch.nn.Module`` whose registries mirror brickwork's tracking."""

    _engine_attributes = _MODULE_ATTRIBUTES
    _engine_hooked = False

    def _init_engine_state(self) -> None:
        torch.nn.Module.__init__(self)

    # ------------------------------------------------------------------ registries, rebuilt when read
    def _sync_module(self) -> None:
        """Rebuild this layer's ``_parameters`` and ``_modules`` (not its children's) from its tracking.

        Children are the sublayers and the plain torch modules a layer holds (``TorchModuleWrapper.module``),
        keyed by the attribute holding them, else by their position (``Sequential``'s layers are ``0``, ``1``, …
        as in ``torch.nn.Sequential``): keys that do not depend on generated layer names, so a ``state_dict``
        loads into any model built the same way. Parameters are the layer's own variables and seed states,
        keyed by variable name, less those a child module already holds.
        """
        attribute_of = {}
        for name, value in self.__dict__.items():
            if isinstance(value, torch.nn.Module) and name not in _MODULE_ATTRIBUTES:
                attribute_of.setdefault(id(value), name)
        children = list(self._sublayers())
        seen = {id(child) for child in children}
        children += [value for value in self.__dict__.values() if isinstance(value, torch.nn.Module)
                     and not isinstance(value, EngineLayer) and id(value) not in seen]
        modules: dict = {}
        for position, child in enumerate(children):
            modules[_free_key(attribute_of.get(id(child)) or str(position), modules)] = child
        held = {id(p) for child in modules.values() if not isinstance(child, EngineLayer)
                for p in child.parameters()}
        parameters: dict = {}
        for variable in self._own_variables():
            value = getattr(variable, "_value", None)  # a deferred variable has no value yet
            if isinstance(value, torch.nn.Parameter) and id(value) not in held:
                held.add(id(value))
                parameters[_free_key(variable.name, parameters)] = value
        # new dicts, not cleared ones: a shallow copy of a layer shares the old dicts
        object.__setattr__(self, "_parameters", parameters)
        object.__setattr__(self, "_modules", modules)

    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        self._sync_module()  # torch recurses through each child's named_modules, which syncs the child
        return super().named_modules(memo, prefix, remove_duplicate)

    def named_children(self):
        self._sync_module()
        return super().named_children()

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        self._sync_module()
        return super().named_parameters(prefix, recurse, remove_duplicate)

    def state_dict(self, *args, **kwargs):
        self._sync_module()  # each child's state_dict syncs the child
        return super().state_dict(*args, **kwargs)

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        for _ in self.named_modules():  # torch's loader walks _modules directly: sync the whole tree first
            pass
        if assign:
            raise ValueError(f"{type(self).__name__}.load_state_dict: `assign=True` would replace the tensors "
                             "the layer's variables hold; load with the default `assign=False` (in place).")
        return super().load_state_dict(state_dict, strict=strict)

    def _apply(self, fn, recurse: bool = True):
        self._sync_module()  # `.to()`, `.cpu()`, `.double()` change each parameter's data in place
        return super()._apply(fn, recurse)

    def __delattr__(self, name: str) -> None:
        # The registries may name what goes: rebuild them on the next read rather than serve it stale.
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__delattr__(self, name)

    @property
    def torch_params(self) -> torch.nn.ParameterDict:
        """Every variable of the layer and its sublayers (``variables``, seed states included), keyed by path."""
        return torch.nn.ParameterDict([(variable.path, variable._value) for variable in self.variables
                                       if isinstance(getattr(variable, "_value", None), torch.nn.Parameter)])

    # ------------------------------------------------------------------ calling
    def forward(self, *args, **kwargs):
        """What ``torch.nn.Module`` runs: the layer's ``call`` (calling the layer itself goes through ``__call__``)."""
        return self.call(*args, **kwargs)

    def register_forward_pre_hook(self, *args, **kwargs):
        object.__setattr__(self, "_engine_hooked", True)
        return super().register_forward_pre_hook(*args, **kwargs)

    def register_forward_hook(self, *args, **kwargs):
        object.__setattr__(self, "_engine_hooked", True)
        return super().register_forward_hook(*args, **kwargs)

    def _call_with_engine_hooks(self, *args, **kwargs):
        """``call`` run through torch's hook machinery (``forward`` runs ``call``); only for hooked layers."""
        return torch.nn.Module._call_impl(self, *args, **kwargs)
