"""``Operation``: an op as an object, Keras's other way to call an op (``ops.numpy.Add()(x, y)``).

Every public op is declared once, as a function (see ``_dispatch.py``). Keras also exposes each op as an
``Operation`` class whose constructor takes the op's static arguments and whose call takes the tensors:
``Linspace(num=5)(start, stop)``, ``Einsum("ij,jk->ik")(a, b)``, ``Cross(axis=-1)(x, y)``. Those classes are
made here from the functions, so no op is written twice. ``Operation`` is also the base for a user's own
op with ``call`` and ``compute_output_spec``, usable on symbolic tensors in a Functional model.

Example:
    >>> from brickwork import ops
    >>> from brickwork.ops import numpy as knp
    >>> knp.Linspace(num=3)(0.0, 1.0)  # the same as ops.linspace(0.0, 1.0, num=3)
"""

from __future__ import annotations

import inspect
import re

from brickwork.backend import compute_output_spec as _engine_output_spec
from brickwork.backend.common.global_state import to_snake_case, uniquify
from brickwork.backend.common.keras_tensor import KerasTensor, any_symbolic_tensors
from brickwork.ops.node import Node


class Operation:
    """An op as an object: ``call`` computes it, ``compute_output_spec`` gives its symbolic result.

    Example:
        >>> import brickwork as keras
        >>> class Double(keras.Operation):
        ...     def call(self, x):
        ...         return x * 2
        >>> Double()(keras.ops.ones((2,)))  # [2., 2.]
    """

    def __init__(self, name: str | None = None, dtype=None):
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.dtype = dtype
        self._inbound_nodes: list = []
        self._outbound_nodes: list = []

    def __call__(self, *args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not implement call().")

    def symbolic_call(self, *args, **kwargs):
        """The symbolic result (shape and dtype) of calling the op on ``args``, recorded in the graph."""
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """By default, the engine's abstract evaluation of ``call``."""
        return _engine_output_spec(self.call, *args, **kwargs)

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<Operation name={self.name}>"


# The ops whose instance call takes tensors that are not their leading parameters:
# ``Full(shape)(fill_value)``, ``Pad(pad_width)(x, constant_values)``, ``ForiLoop(lower, upper, body)(init)``.
_CALL_PARAMETERS = {
    "average": ("x", "weights"),
    "full": ("fill_value",),
    "pad": ("x", "constant_values"),
    "batch_normalization": ("x", "mean", "variance", "offset", "scale"),
    "while_loop": ("loop_vars",),
    "fori_loop": ("init_val",),
    "vectorized_map": ("elements",),
}

# Class names that are not the function's name in PascalCase.
_CLASS_NAMES = {
    "allclose": "AllClose", "isin": "IsIn", "searchsorted": "SearchSorted", "batch_normalization": "BatchNorm",
    "ctc_loss": "CTCLoss", "ctc_decode": "CTCDecode", "psnr": "PSNR", "rms_normalization": "RMSNorm",
    "layer_normalization": "LayerNorm", "cdist": "CDist", "fft": "FFT", "fft2": "FFT2", "ifft2": "IFFT2",
    "rfft": "RFFT", "irfft": "IRFFT", "stft": "STFT", "istft": "ISTFT", "svd": "SVD", "jvp": "JVP",
    "rgb_to_grayscale": "RGBToGrayscale", "rgb_to_hsv": "RGBToHSV", "hsv_to_rgb": "HSVToRGB", "ssim": "SSIM",
}


def class_name_of(function_name: str) -> str:
    """``logical_and`` -> ``LogicalAnd``; the few irregular names as Keras spells them."""
    return _CLASS_NAMES.get(function_name) or "".join(part.capitalize() for part in function_name.split("_"))


def _arranger(function):
    """How an instance's static arguments and its call's tensors fill ``function``'s parameters."""
    parameters = list(inspect.signature(function).parameters.values())
    named = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = next((p.name for p in parameters if p.kind is p.VAR_POSITIONAL), None)
    call_names = _CALL_PARAMETERS.get(function.__name__)
    if call_names is None or not set(call_names) <= set(named):
        call_names = None

    def arrange(static_args, call_args):
        if varargs is not None and call_names is None:
            return list(static_args) + list(call_args), {}  # einsum("ij,jk", *operands)
        tensors = call_names or named[:len(call_args)]
        values = dict(zip(tensors, call_args))
        rest = [name for name in named if name not in tensors]
        values.update(zip(rest, static_args))
        positional = []
        for name in named:
            if name not in values:
                break
            positional.append(values.pop(name))
        return positional, values

    return arrange


def _as_keras_tensors(outputs):
    """Each tensor in ``outputs`` as a ``KerasTensor`` of its shape and dtype (Keras's symbolic_call result)."""
    from brickwork import tree

    def spec(value):
        if hasattr(value, "shape") and hasattr(value, "dtype"):
            return KerasTensor(tuple(value.shape), dtype=value.dtype)
        return value

    return tree.map_structure(spec, outputs)


def operation_class(function) -> type[Operation]:
    """The ``Operation`` subclass standing for the op ``function`` (made once per op)."""
    arrange = _arranger(function)

    def __init__(self, *args, name=None, **kwargs):
        Operation.__init__(self, name=name)
        self._static_args = args
        self._static_kwargs = kwargs

    def call(self, *args, **kwargs):
        positional, keywords = arrange(self._static_args, args)
        return function(*positional, **keywords, **self._static_kwargs, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        return self.call(*args, **kwargs)  # the op function itself handles symbolic tensors

    def symbolic_call(self, *args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return self.call(*args, **kwargs)  # ...and records its node
        return _as_keras_tensors(self.call(*args, **kwargs))  # concrete inputs: the result's spec

    def get_config(self):
        return {"name": self.name, **self._static_kwargs}

    return type(class_name_of(function.__name__), (Operation,), {
        "__init__": __init__, "call": call, "compute_output_spec": compute_output_spec,
        "symbolic_call": symbolic_call, "get_config": get_config, "__module__": function.__module__,
        "__doc__": f"``{function.__name__}`` as an Operation: static arguments here, tensors at the call.",
    })


_PUBLIC = re.compile(r"^[a-z][a-z0-9_]*$")


def add_operation_classes(namespace: dict) -> list[str]:
    """Add the ``Operation`` class of every public op function in ``namespace`` (a module's globals)."""
    added = []
    for name, value in list(namespace.items()):
        if _PUBLIC.match(name) and inspect.isfunction(value) and value.__module__.startswith("brickwork.ops"):
            class_name = class_name_of(name)
            if class_name not in namespace:
                namespace[class_name] = operation_class(value)
                added.append(class_name)
    return added
