"""How a public op reaches the engine: the whole dispatch, in one place.

A public op is declared once, as a documented signature::

    @backend_op("numpy")
    def add(x1, x2):
        \"\"\"Add arguments element-wise.\"\"\"

The decorator binds it to the active backend's ``numpy.add`` at import time. On
concrete tensors the call goes straight to the engine; on symbolic ``KerasTensor``
inputs the result's shape and dtype come from the engine's abstract evaluation
(``spec=`` overrides that for ops whose result shape depends on data). Engine errors
are re-raised naming the op and the shapes it received.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from brickwork.backend import active, compute_output_spec
from brickwork.backend.common.keras_tensor import KerasTensor, any_symbolic_tensors
from brickwork.ops.node import Node, SymbolicOp

_PASSTHROUGH = (NotImplementedError,)
# What an engine raises for bad arguments: Python's classes, and the engine's own where it has them
# (TensorFlow's InvalidArgumentError is no ValueError); re-raised naming the op.
_ENGINE_ERRORS = (ValueError, TypeError, IndexError, RuntimeError) + tuple(getattr(active.core, "ENGINE_ERRORS", ()))


def _describe(value) -> str:
    shape = getattr(value, "shape", None)
    if shape is not None:
        dtype = getattr(value, "dtype", "")
        return f"shape={tuple(shape)}, dtype={str(dtype).replace('torch.', '')}"
    if isinstance(value, (list, tuple)) and value and hasattr(value[0], "shape"):
        return "[" + ", ".join(_describe(v) for v in value) + "]"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


# Ops whose ``axis`` indexes their result, one rank above the input's.
_NEW_AXIS_OPS = frozenset({"stack", "expand_dims", "linspace", "logspace", "geomspace"})
_AXIS_PARAMETERS = ("axis", "axis1", "axis2", "source", "destination")


def _axis_out_of_range(name: str, signature, args, kwargs) -> Exception | None:
    """NumPy's ``AxisError`` (a ValueError and an IndexError) when an axis argument is outside the input's rank.

    Looked at only once the engine has failed, so it costs nothing on the hot path, and every engine
    then says it in the same words ("axis 10 is out of bounds for array of dimension 2").
    """
    try:
        bound = inspect.signature(signature).bind(*args, **kwargs).arguments
    except (TypeError, ValueError):
        return None
    first = next(iter(bound.values()), None)
    if isinstance(first, (list, tuple)) and first:
        first = first[0]
    if not hasattr(first, "shape"):
        return None
    rank = len(first.shape) + (name in _NEW_AXIS_OPS)
    for parameter in _AXIS_PARAMETERS:
        value = bound.get(parameter)
        for axis in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(axis, int) and not isinstance(axis, bool) and not -rank <= axis < rank:
                return np.exceptions.AxisError(axis, rank)
    return None


class _EngineAxisError(np.exceptions.AxisError, RuntimeError):
    """An axis out of range that the engine reported as a RuntimeError (torch's matrix norms): both classes."""

    def __init__(self, message: str):
        RuntimeError.__init__(self, message)
        self._message = message

    def __str__(self) -> str:
        return self._message


def op_error(name: str, error: Exception, args, kwargs, signature=None, explain=None) -> Exception:
    """An error naming the op and its inputs, of the engine error's class (RuntimeError -> ValueError).

    With the op's ``signature``, an axis argument out of range is reported as such, whatever the engine said;
    ``explain(*args, **kwargs)`` may name the problem with the arguments in the op's own terms.
    """
    explained = explain(*args, **kwargs) if explain is not None else None
    if explained is None and signature is not None and not isinstance(error, np.exceptions.AxisError):
        explained = _axis_out_of_range(name, signature, args, kwargs)
    engine_runtime_error = isinstance(error, RuntimeError)
    error = explained or error
    received = [_describe(a) for a in args] + [f"{k}={_describe(v)}" for k, v in kwargs.items()]
    message = f"ops.{name}: {error}. Received: " + "; ".join(received)
    if isinstance(error, np.exceptions.AxisError) and engine_runtime_error:
        return _EngineAxisError(message)  # still the engine's RuntimeError for code that catches that
    cls = type(error) if isinstance(error, (ValueError, TypeError, IndexError)) else ValueError
    try:
        return cls(message)
    except Exception:
        return ValueError(message)


def backend_op(family: str, name: str | None = None, spec=None, explain=None, check=None):
    """Bind the decorated signature to ``active.<family>.<name>``.

    Args:
        family: the backend module: ``"numpy"``, ``"nn"``, ``"math"``, ``"linalg"``, ``"core"``.
        name: the backend function's name (default: the decorated function's).
        spec: optional ``spec(*args, **kwargs) -> KerasTensor`` used for symbolic inputs instead of
            abstract evaluation.
        explain: optional ``explain(*args, **kwargs) -> Exception | None``, asked only once the engine
            has failed, for an error that names what is wrong with the arguments (so valid calls pay
            nothing for the check).
        check: optional ``check(*args, **kwargs)`` run before every call, concrete or symbolic, raising
            where the arguments are invalid whatever the engine would do (Keras's validation: a rank, a
            fully-defined axis, a positive stride).
    """

    def decorate(signature):
        op_name = name or signature.__name__
        impl = getattr(getattr(active, family), op_name)

        @functools.wraps(signature)
        def op(*args, **kwargs):
            if check is not None:
                check(*args, **kwargs)
            if any_symbolic_tensors(args, kwargs):
                return _symbolic(op_name, op, impl, spec, args, kwargs, explain)
            try:
                return impl(*args, **kwargs)
            except _PASSTHROUGH:
                raise
            except _ENGINE_ERRORS as error:
                raise op_error(op_name, error, args, kwargs, op, explain) from error

        op.__wrapped_impl__ = impl
        return op

    return decorate


def with_spec(spec):
    """For an op written on other ops (or on the host) whose parts cannot run on symbolic tensors
    (random draws, data-dependent host code): symbolic inputs get ``spec(*args, **kwargs)`` and a
    recorded node; concrete inputs run the decorated function.
    """

    def decorate(function):
        @functools.wraps(function)
        def op(*args, **kwargs):
            if any_symbolic_tensors(args, kwargs):
                return _symbolic(function.__name__, op, None, spec, args, kwargs)
            return function(*args, **kwargs)

        return op

    return decorate


def _symbolic(op_name, op, impl, spec, args, kwargs, explain=None):
    try:
        if spec is not None:
            outputs = spec(*args, **kwargs)
        else:
            outputs = compute_output_spec(impl, *args, **kwargs)
    except _PASSTHROUGH:
        raise
    except _ENGINE_ERRORS as error:
        raise op_error(op_name, error, args, kwargs, op, explain) from error
    # Record the call so that a Functional model can replay it.
    Node(SymbolicOp(op, op_name), call_args=args, call_kwargs=kwargs, outputs=outputs)
    return outputs


__all__ = ["backend_op", "with_spec", "op_error", "KerasTensor"]
