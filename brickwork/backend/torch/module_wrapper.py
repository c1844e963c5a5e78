"""A ``torch.nn.Module`` inside a brickwork layer: its tensors as Variables, its state as weights, its pickle.

``TorchModuleWrapper`` (``layers/native/torch_module_wrapper.py``) is the layer; this file is what it needs
from torch. The module's parameters and persistent buffers *are* the layer's variables (the same tensors,
not copies), so the trainer's gradients and the optimizer's in-place updates land in the module, and a
plain ``module(x)`` always sees the trained values.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import torch

from brickwork.backend.common import global_state
from brickwork.backend.common.dtypes import standardize_dtype
from brickwork.backend.torch.core import Variable, convert_to_tensor, get_device


class _ModuleTensor(Variable):
    """A Variable that is one of a module's own tensors (a parameter or a buffer), not a copy of it."""

    def _initialize(self, value) -> None:
        self._value = value


MODULE_TYPE = torch.nn.Module  # a layer's attribute holding one is wrapped (layers/layer.py)


def prepare_module(module, layer_name: str) -> torch.nn.Module:
    """``module`` checked and moved to the default device."""
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"{layer_name}: `module` must be a torch.nn.Module, received {type(module).__name__}.")
    if isinstance(module, torch.nn.modules.lazy.LazyModuleMixin) and module.has_uninitialized_params():
        raise ValueError(
            f"{layer_name}: a lazy module must be initialized before it is wrapped (call it once on an example "
            f"input); its parameters have no shape yet. Received: module={module}"
        )
    return module.to(get_device())


def module_variables(module) -> tuple[list[str], list[Variable]]:
    """The module's ``state_dict`` entries (parameters and persistent buffers, each tensor once) as Variables.

    Returns:
        ``(names, variables)``: the ``state_dict`` keys and, in the same order, Variables sharing the
            tensors. A parameter with ``requires_grad`` is trainable; other parameters and buffers are not.
    """
    names, variables, seen = [], [], set()
    for name, tensor in module.state_dict(keep_vars=True).items():
        if tensor is None or id(tensor) in seen:
            continue  # tied weights appear under several keys
        seen.add(id(tensor))
        trainable = isinstance(tensor, torch.nn.Parameter) and tensor.requires_grad
        names.append(name)
        variables.append(_ModuleTensor(tensor, dtype=standardize_dtype(tensor.dtype), trainable=trainable,
                                       name=name))
    return names, variables


def call_module(module, names, variables, args, kwargs, training):
    """Run ``module(*args, **kwargs)``: in training mode unless ``training`` is ``False``, as in Keras.

    Outside any scope the module runs on its own tensors. Inside a ``StatelessScope`` (``stateless_call``)
    or an abstract evaluation it runs on the variables' current values instead (``torch.func.functional_call``),
    so the scope's values are the ones used and the module's own buffers are not updated.
    """
    mode = training is not False
    if module.training != mode:
        module.train(mode)
    state = global_state.STATE
    if state.stateless_scope is None and state.symbolic_scope is None:
        return module(*args, **kwargs)
    values = {}
    for name, variable in zip(names, variables):
        value = variable.value
        # A module updates its buffers (BatchNorm's statistics) in place: give it copies to update.
        values[name] = value if isinstance(variable._value, torch.nn.Parameter) else value.clone()
    outputs = torch.func.functional_call(module, values, args, kwargs, strict=False)
    if state.stateless_scope is not None and state.symbolic_scope is None:
        for name, variable in zip(names, variables):
            if not isinstance(variable._value, torch.nn.Parameter):
                variable.assign(values[name])  # recorded by the scope, as any layer's state update is
    return outputs


def module_state(module) -> dict[str, np.ndarray]:
    """The module's ``state_dict`` as NumPy arrays (what the weights file stores, under the same keys)."""
    return {key: _to_numpy(value) for key, value in module.state_dict().items()}


def _to_numpy(tensor: torch.Tensor) -> np.ndarray:
    tensor = tensor.detach().cpu()
    if tensor.dtype == torch.bfloat16:
        import ml_dtypes

        return tensor.view(torch.uint16).numpy().view(ml_dtypes.bfloat16)
    return tensor.numpy()


def load_module_state(module, store, layer_name: str) -> None:
    """Assign the module's ``state_dict`` from ``store`` (``{key: array}``); the keys must match exactly."""
    state = {}
    for key in store.keys():
        value = store[key]
        state[key.decode() if isinstance(key, bytes) else key] = convert_to_tensor(np.asarray(value))
    try:
        module.load_state_dict(state)
    except RuntimeError as error:
        raise ValueError(f"{layer_name}: the stored state does not fit the wrapped module: {error}") from None


def dump_module(module) -> str:
    """The module pickled by ``torch.save``, as base64 text (the ``module`` entry of Keras's config)."""
    buffer = io.BytesIO()
    torch.save(module, buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def load_module(text: str) -> torch.nn.Module:
    """Unpickle a module written by ``dump_module``. This runs code named in ``text``: callers check safe mode."""
    buffer = io.BytesIO(base64.b64decode(text.encode("ascii")))
    return torch.load(buffer, weights_only=False, map_location=get_device())
