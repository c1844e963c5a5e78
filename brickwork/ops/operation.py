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

import functools
import inspect
import re

from brickwork.backend import compute_output_spec as _engine_output_spec
from brickwork.backend.common.global_state import to_snake_case, uniquify
from brickwork.backend.common.keras_tensor import KerasTensor, any_symbolic_tensors
from brickwork.backend.common.remat import get_current_remat_mode
from brickwork.ops import rematerialization
from brickwork.ops.node import Node
from brickwork.utils.auto_config import auto_config


class Operation:
    """An op as an object: ``call`` computes it, ``compute_output_spec`` gives its symbolic result.

    Args:
        name: the op's name; ``None`` (default) makes one from the class name (``double``, ``double_1``, …).
        dtype: the dtype the op computes in, or ``None``.

    Example:
        >>> import brickwork as keras
        >>> class Double(keras.Operation):
        ...     def call(self, x):
        ...         return x * 2
        >>> Double()(keras.ops.ones((2,)))  # [2., 2.]
    """

    _remat_mode = None  # the RematScope in force at construction (backend/common/remat.py)

    def __new__(cls, *args, **kwargs):
        operation = super().__new__(cls)
        if cls.get_config is Operation.get_config and cls.__init__ is not Operation.__init__:
            # A constructor of its own and no get_config: Keras derives the config from the arguments.
            operation._constructor_config = auto_config(cls, args, kwargs)
        return operation

    def __init__(self, name: str | None = None, dtype=None):
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"{type(self).__name__}: argument `name` must be a string and cannot contain "
                             f"character `/`. Received: name={name!r}")
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.dtype = dtype
        self._inbound_nodes: list = []
        self._outbound_nodes: list = []
        remat_mode = get_current_remat_mode()
        if remat_mode is not None:
            self._remat_mode = remat_mode

    def __call__(self, *args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        call = self.quantized_call if getattr(self, "quantization_mode", None) is not None else self.call
        if self._remat_mode is not None:
            call = self.rematerialized_call(call, *args, **kwargs)
        return call(*args, **kwargs)

    def rematerialized_call(self, call, *args, **kwargs):
        """``call`` wrapped for rematerialization as the ``RematScope`` of the operation's creation asks."""
        return rematerialization.rematerialized_call(self, call, args, kwargs)

    @property
    def input(self):
        """The symbolic input(s) of the operation's first call on symbolic tensors (a list when several)."""
        tensors = self._first_node("input").input_tensors
        return tensors[0] if len(tensors) == 1 else tensors

    @property
    def output(self):
        """The symbolic output(s) of the operation's first call on symbolic tensors (a flat list when several)."""
        tensors = self._first_node("output").output_tensors
        return tensors[0] if len(tensors) == 1 else tensors

    def _first_node(self, what: str):
        if not self._inbound_nodes:
            raise AttributeError(f"Operation {self.name!r} has never been called on symbolic tensors, so it has no "
                                 f"{what}.")
        return self._inbound_nodes[0]

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
        """``{"name": ...}``; for a class with its own constructor, the arguments it was built with."""
        if not hasattr(self, "_constructor_config"):
            return {"name": self.name}
        if self._constructor_config is None:
            raise NotImplementedError(
                f"{type(self).__name__} has a constructor of its own whose arguments are not plain values (or "
                "include *args), so its config cannot be derived from them: implement get_config().")
        config = dict(self._constructor_config)
        if _takes_name(type(self)):
            config["name"] = self.name
        return config

    @classmethod
    def from_config(cls, config: dict):
        return rebuild_from_config(cls, config)

    def __repr__(self) -> str:
        return f"<Operation name={self.name}>"


def rebuild_from_config(cls, config: dict):
    """``cls(**config)``; a config the class refuses raises a TypeError naming the class and the config, the
    class's own error chained and quoted (as Keras's ``from_config`` reports it).

    Example:
        rebuild_from_config(layers.Embedding, {"input_dim": 3.7, "output_dim": 8})  # TypeError: ... input_dim ...
    """
    from brickwork.saving.serialization_lib import RefusedToLoad, _NotLoadable

    try:
        return cls(**config)
    except (RefusedToLoad, _NotLoadable):
        raise  # the loader's own refusals reach the caller as they are
    except Exception as error:
        raise TypeError(f"{cls.__name__}.from_config could not rebuild it from config={config}: {error}") from error


def _takes_name(cls) -> bool:
    parameters = inspect.signature(cls.__init__).parameters.values()
    return any(p.name == "name" or p.kind == p.VAR_KEYWORD for p in parameters)


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


def _static_parameters(function) -> list[str]:
    """The parameters an instance's positional static arguments fill, in order: those after the tensors.

    The tensors are the op's ``_CALL_PARAMETERS`` or else its leading parameters without a type hint (ops declare
    tensors bare and static arguments typed: ``extract_sequences(x, sequence_length: int, ...)``); an op with no
    typed parameter names none, so no argument is ever read under the wrong name.
    """
    parameters = [p for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    call_names = _CALL_PARAMETERS.get(function.__name__)
    if call_names is not None:
        return [p.name for p in parameters if p.name not in call_names]
    for index, parameter in enumerate(parameters):
        if parameter.annotation is not parameter.empty:
            return [p.name for p in parameters[index:]]
    return []


def operation_class(function) -> type[Operation]:
    """The ``Operation`` subclass standing for the op ``function`` (made once per op).

    An instance keeps its static arguments as attributes of their parameters' names, as Keras's op classes do
    (``ExtractSequences(5, 2).sequence_length == 5``).
    """
    # Read from the signature on first use: a class is made for each of ~370 ops at import, most never used.
    signature_of = functools.cache(lambda: (_arranger(function), _static_parameters(function)))

    def __init__(self, *args, name=None, **kwargs):
        Operation.__init__(self, name=name)
        self._static_args = args
        self._static_kwargs = kwargs
        for attribute, value in [*zip(signature_of()[1], args), *kwargs.items()]:
            if not hasattr(type(self), attribute) and attribute not in vars(self):
                setattr(self, attribute, value)

    def call(self, *args, **kwargs):
        positional, keywords = signature_of()[0](self._static_args, args)
        return function(*positional, **keywords, **self._static_kwargs, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        outputs = self.call(*args, **kwargs)  # the op function itself handles symbolic tensors
        return outputs if any_symbolic_tensors(args, kwargs) else _as_keras_tensors(outputs)

    def symbolic_call(self, *args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return self.call(*args, **kwargs)  # ...and records its node
        return _as_keras_tensors(self.call(*args, **kwargs))  # concrete inputs: the result's spec

    def get_config(self):
        return {"name": self.name, **self._static_kwargs}

    @classmethod
    def from_config(cls, config):
        # Static arguments that are objects (a registered function for vectorized_map, a dtype policy) were
        # written as their serialized dicts; they come back as the objects.
        from brickwork.saving.serialization_lib import deserialize_keras_object

        return cls(**{key: deserialize_keras_object(value) if isinstance(value, dict) and "class_name" in value
                      else value for key, value in config.items()})

    return type(class_name_of(function.__name__), (Operation,), {
        "__init__": __init__, "call": call, "compute_output_spec": compute_output_spec,
        "symbolic_call": symbolic_call, "get_config": get_config, "from_config": from_config,
        "__module__": function.__module__,
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


_FAMILIES = ("numpy", "nn", "math", "linalg", "image", "core", "einops")


def node_as_operation(function, args: tuple, kwargs: dict) -> tuple[dict, list, dict]:
    """One graph call of op ``function`` the way Keras writes it in a Functional config: the class entry
    (``{"module": "keras.src.ops.numpy", "class_name": "Concatenate", "config": {"axis": -1}}``, without
    the name), and the arguments of the call (the tensors, and non-static values such as ``1`` in ``x + 1``).

    Example:
        >>> node_as_operation(ops.concatenate, ([x, y],), {"axis": -1})[0]["class_name"]
        'Concatenate'
    """
    import importlib

    class_name = class_name_of(function.__name__)
    family = next(f for f in _FAMILIES if isinstance(
        getattr(importlib.import_module(f"brickwork.ops.{f}"), class_name, None), type))
    signature = inspect.signature(function)
    bound = signature.bind(*args, **kwargs)
    static_names = set(_static_parameters(function))
    call_args, call_kwargs, static = [], {}, {}
    for name, value in bound.arguments.items():
        kind = signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            call_args.extend(value)
        elif kind is inspect.Parameter.VAR_KEYWORD:
            call_kwargs.update(value)
        elif name in static_names or kind is inspect.Parameter.KEYWORD_ONLY:
            static[name] = value
        else:
            call_args.append(value)
    entry = {"module": f"keras.src.ops.{family}", "class_name": class_name, "config": static,
             "registered_name": class_name}
    return entry, call_args, call_kwargs
