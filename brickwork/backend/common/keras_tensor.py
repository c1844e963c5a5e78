"""Symbolic tensors: a shape (with ``None`` for unknown sizes) and a dtype, no data.

Calling a layer or an op on a ``KerasTensor`` returns a ``KerasTensor`` of the
inferred shape and dtype; the Functional API records the call in ``_history``.
"""

from __future__ import annotations

from brickwork.backend.common import dtypes
from brickwork.backend.common.variables import standardize_shape


class KerasTensor:
    """A symbolic tensor.

    Args:
        shape: a tuple of ints or ``None``.
        dtype: the dtype name (default floatx).
        sparse: whether it stands for a sparse tensor (a BCOO on jax, a ``tf.SparseTensor`` on tensorflow).
        name: an optional name.
        ragged: kept for Keras compatibility; always dense here.

    Example:
    >>> x = keras.KerasTensor((None, 3))
    >>> ops.sum(x * 2, axis=-1).shape   # (None,): ops on it give KerasTensors
    """

    def __init__(self, shape, dtype="float32", sparse=False, record_history=True, name=None, ragged=False):
        self._shape = standardize_shape(shape)  # ValueError for KerasTensor(3): a shape is a tuple
        self._dtype = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name
        self._history = None  # (operation, node_index, tensor_index) once produced by a layer
        self._keras_mask = None

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    @property
    def _keras_history(self):
        """Keras's name for ``(operation, node_index, tensor_index)``: absent, as in Keras, until an op makes it."""
        if self._history is None:
            raise AttributeError("'KerasTensor' object has no attribute '_keras_history' (no op produced it)")
        return self._history

    @_keras_history.setter
    def _keras_history(self, value):
        self._history = value

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def reshape(self, newshape):
        from brickwork import ops

        return ops.reshape(self, newshape)

    def squeeze(self, axis=None):
        from brickwork import ops

        return ops.squeeze(self, axis=axis)

    def __len__(self):
        raise TypeError("A symbolic KerasTensor has no len(); use its .shape instead.")

    def __iter__(self):
        raise TypeError("A symbolic KerasTensor cannot be iterated over.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor has no truth value (it holds no data).")

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A symbolic KerasTensor cannot be converted to a NumPy array: it has a shape and a dtype "
            "but no data. Call the model on real data instead."
        )

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self._shape}, dtype={self._dtype}{name}>"

    __hash__ = object.__hash__


def _ops():
    from brickwork import ops

    return ops


def _binary(op_name, reverse=False):
    def method(self, other):
        op = getattr(_ops(), op_name)
        return op(other, self) if reverse else op(self, other)

    method.__name__ = f"__{'r' if reverse else ''}{op_name}__"
    return method


for _name, _op in (
    ("add", "add"), ("sub", "subtract"), ("mul", "multiply"), ("truediv", "true_divide"),
    ("floordiv", "floor_divide"), ("mod", "mod"), ("pow", "power"), ("matmul", "matmul"),
    ("and", "logical_and"), ("or", "logical_or"), ("xor", "logical_xor"),
):
    setattr(KerasTensor, f"__{_name}__", _binary(_op))
    setattr(KerasTensor, f"__r{_name}__", _binary(_op, reverse=True))
# No symbolic ``__eq__``, as in Keras: ``==`` stays identity, so a KerasTensor can be found in a list or compared
# in a test; ``ops.equal`` is the symbolic comparison.
for _name, _op in (("lt", "less"), ("le", "less_equal"), ("gt", "greater"), ("ge", "greater_equal"),
                   ("ne", "not_equal")):
    setattr(KerasTensor, f"__{_name}__", _binary(_op))
KerasTensor.__neg__ = lambda self: _ops().negative(self)
KerasTensor.__pos__ = lambda self: self
KerasTensor.__abs__ = lambda self: _ops().absolute(self)
KerasTensor.__invert__ = lambda self: _ops().logical_not(self)
KerasTensor.__getitem__ = lambda self, key: _ops().get_item(self, key)
KerasTensor.__hash__ = object.__hash__
KerasTensor.T = property(lambda self: _ops().transpose(self))
KerasTensor.astype = lambda self, dtype: _ops().cast(self, dtype)


def is_keras_tensor(x) -> bool:
    """Whether ``x`` is a symbolic ``KerasTensor``, the placeholder a functional model is built from.

    Args:
        x: any object.

    Returns:
        ``True`` for a ``KerasTensor`` (such as ``keras.Input``'s output), ``False`` for concrete tensors,
            arrays and anything else.

    Example:
    >>> keras.utils.is_keras_tensor(keras.Input((3,)))   # True
    >>> keras.utils.is_keras_tensor(ops.ones((3,)))   # False
    """
    return isinstance(x, KerasTensor)


# Types that can never hold a KerasTensor; each engine adds its tensor types (the op hot path
# then answers with one set lookup per argument).
_LEAF_TYPES = {int, float, bool, complex, str, bytes, type(None), slice}


def register_leaf_types(*types) -> None:
    """Declare engine tensor types as plain leaves for ``any_symbolic_tensors``."""
    _LEAF_TYPES.update(types)


def any_symbolic_tensors(args=(), kwargs=None) -> bool:
    """True when ``args``/``kwargs`` (nested lists, tuples and dicts) hold a ``KerasTensor``.

        Args:
            args: a tuple or list of arguments (any nesting).
            kwargs: a dict of keyword arguments, or ``None``.

        Returns:
            ``True`` if any of them is (or holds) a symbolic ``KerasTensor``, else ``False``.

        Example:
        >>> keras.backend.any_symbolic_tensors((ops.ones((2,)), [keras.Input((3,))]))   # True
    """
    for x in args:
        if type(x) in _LEAF_TYPES:
            continue
        if isinstance(x, KerasTensor):
            return True
        if isinstance(x, (list, tuple)) and any_symbolic_tensors(x):
            return True
        if isinstance(x, dict) and any_symbolic_tensors(tuple(x.values())):
            return True
    if kwargs:
        return any_symbolic_tensors(tuple(kwargs.values()))
    return False
