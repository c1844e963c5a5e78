"""``Lambda``: wrap an expression as a layer.

A Python ``lambda`` is saved as Keras saves it: its bytecode (``marshal``, base64), defaults and
closure. Loading bytecode runs arbitrary code, so ``from_config`` refuses it unless the caller
passes ``safe_mode=False``; named functions are saved by name and found through the registry.
"""

from __future__ import annotations

import binascii
import codecs
import inspect
import marshal
import types

import numpy as np
import optree

from brickwork import backend
from brickwork.backend.common import global_state
from brickwork.layers.layer import Layer

_UNSAFE_MESSAGE = (
    "Lambda.from_config: the config holds Python bytecode (a `lambda` saved as `__lambda__`). "
    "Loading it would allow arbitrary code execution, so it is refused in safe mode. If you trust the file, "
    "load it with `safe_mode=False` (e.g. `load_model(path, safe_mode=False)` or "
    "`Lambda.from_config(config, safe_mode=False)`)."
)


class Lambda(Layer):
    """Apply ``function(inputs, **arguments)``.

    Args:
        function: the callable; it may accept ``mask`` and ``training`` keyword arguments.
        output_shape: the output shape without the batch axis (a tuple), or a callable from the
            full input shape to the full output shape; ``None`` infers it by abstract evaluation.
        mask: ``None``, a callable ``(inputs, mask) -> mask``, or a fixed mask tensor.
        arguments: extra keyword arguments for ``function``.

    Example:
    >>> square = Lambda(lambda x: x ** 2)
    >>> square(np.array([1.0, 2.0]))   # [1., 4.]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: argument `function` must be callable, received {function!r}.")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = tuple(output_shape) if isinstance(output_shape, list) else output_shape
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            parameters = {}
        self._fn_expects_mask = "mask" in parameters
        self._fn_expects_training = "training" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask:
            kwargs["mask"] = mask
        if self._fn_expects_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return self._abstract_output_spec(*args, **kwargs)
        inputs = args[0]
        input_shape = optree.tree_map(lambda x: x.shape, inputs, is_leaf=lambda x: isinstance(x, backend.KerasTensor))
        dtype = optree.tree_leaves(inputs, is_leaf=lambda x: isinstance(x, backend.KerasTensor))[0].dtype
        shape = self.compute_output_shape(input_shape)
        if _is_shape(shape):
            return backend.KerasTensor(shape, dtype=dtype)
        return optree.tree_map(lambda s: backend.KerasTensor(s, dtype=dtype), shape, is_leaf=_is_shape)

    def _abstract_output_spec(self, *args, **kwargs):
        """The output spec by abstract evaluation of ``call`` (Layer's default path)."""
        state = global_state.STATE
        state.call_depth += 1
        try:
            with backend.StatelessScope():
                return backend.compute_output_spec(self._call_for_spec, *args, **kwargs)
        except Exception as error:
            raise NotImplementedError(
                f"Lambda {self.name!r}: could not infer the output shape of the function automatically "
                f"({type(error).__name__}: {error}). Pass `output_shape=` to the Lambda layer."
            ) from error
        finally:
            state.call_depth -= 1

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            specs = optree.tree_map(lambda s: backend.KerasTensor(s, dtype=self.compute_dtype), input_shape,
                                    is_leaf=_is_shape)
            output = self._abstract_output_spec(specs)
            return optree.tree_map(lambda x: x.shape, output, is_leaf=lambda x: isinstance(x, backend.KerasTensor))
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first = input_shape if _is_shape(input_shape) else optree.tree_leaves(input_shape, is_leaf=_is_shape)[0]
        batch = first[0] if first else None
        if _is_shape(self._output_shape):
            return (batch,) + tuple(self._output_shape)
        return optree.tree_map(lambda s: (batch,) + tuple(s), self._output_shape, is_leaf=_is_shape)

    def get_config(self) -> dict:
        from brickwork.saving import serialization_lib

        config = super().get_config()
        config["function"] = _serialize_function(self.function)
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = _serialize_function(shape) if callable(shape) else list(shape)
        if self.mask is not None:
            config["mask"] = (_serialize_function(self.mask) if callable(self.mask)
                              else serialization_lib.serialize_keras_object(backend.convert_to_numpy(self.mask)))
        config["arguments"] = serialization_lib.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None, safe_mode: bool | None = None):
        """Rebuild a Lambda; bytecode is loaded only when ``safe_mode`` is ``False``."""
        from brickwork.saving import serialization_lib

        if safe_mode is None:
            # The saving code may keep an ambient setting; without one, stay safe.
            in_safe_mode = getattr(serialization_lib, "in_safe_mode", None)
            safe_mode = in_safe_mode() if in_safe_mode is not None else True
        config = dict(config)
        config["function"] = _deserialize_function(config["function"], custom_objects, safe_mode)
        if config.get("output_shape") is not None:
            shape = config["output_shape"]
            if isinstance(shape, dict):
                config["output_shape"] = _deserialize_function(shape, custom_objects, safe_mode)
            elif _is_shape(shape):
                config["output_shape"] = tuple(shape)
        if isinstance(config.get("mask"), dict):
            config["mask"] = _deserialize_function(config["mask"], custom_objects, safe_mode)
        elif isinstance(config.get("mask"), list):
            config["mask"] = backend.convert_to_tensor(np.asarray(config["mask"]))
        if "arguments" in config:
            config["arguments"] = serialization_lib.deserialize_keras_object(config["arguments"],
                                                                            custom_objects=custom_objects)
        return cls(**config)


def _is_shape(x) -> bool:
    return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in x)


def _serialize_function(fn) -> dict:
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code, defaults, closure = _func_dump(fn)
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": defaults, "closure": closure}}
    from brickwork.saving import serialization_lib

    return serialization_lib.serialize_keras_object(fn)


def _deserialize_function(config, custom_objects, safe_mode: bool):
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        if safe_mode is not False:
            raise ValueError(_UNSAFE_MESSAGE)
        inner = config["config"]
        return _func_load(inner["code"], inner.get("defaults"), inner.get("closure"))
    from brickwork.saving import serialization_lib

    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)


def _func_dump(fn) -> tuple:
    """``(base64 bytecode, defaults, closure values)``, Keras's ``func_dump`` format."""
    code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
    closure = tuple(cell.cell_contents for cell in fn.__closure__) if fn.__closure__ else None
    return code, fn.__defaults__, closure


def _func_load(code: str, defaults=None, closure=None):
    """The inverse of ``_func_dump``. Runs bytecode from the config: callers check safe mode first."""
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    try:
        raw = codecs.decode(code.encode("ascii"), "base64")
    except (UnicodeEncodeError, binascii.Error):
        raw = code.encode("raw_unicode_escape")
    try:
        code_object = marshal.loads(raw)
    except (ValueError, EOFError, TypeError) as error:
        raise ValueError(
            "Lambda.from_config: the saved bytecode could not be read; it was probably written by another "
            f"Python version (this is {_python_version()}). Rebuild the Lambda from its source. ({error})"
        ) from error
    return types.FunctionType(code_object, _lambda_globals(), code_object.co_name, defaults, closure)


def _lambda_globals() -> dict:
    """Names a saved lambda commonly refers to: the Keras namespace (as ``keras``) and NumPy."""
    import brickwork
    from brickwork import ops

    return {"__builtins__": __builtins__, "keras": brickwork, "brickwork": brickwork, "ops": ops,
            "np": np, "numpy": np}


def _python_version() -> str:
    import sys

    return f"Python {sys.version_info.major}.{sys.version_info.minor}"
