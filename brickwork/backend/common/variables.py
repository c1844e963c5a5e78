"""The backend-independent part of ``Variable``.

Each backend subclasses it with engine-native storage (``_initialize``,
``_direct_assign``, ``_convert_to_tensor``, ``value``). Everything a user sees is defined here once.

A variable created from an initializer inside a ``StatelessScope`` is *deferred*: it holds no
value (``_value is None``) until the outermost scope exits, and reads inside the scope see the
initializer's value (computed once, so every read and the final value agree).
"""

from __future__ import annotations

import contextlib

import numpy as np

from brickwork.backend.common import dtypes, global_state
from brickwork.backend.common.name_scope import current_path
from brickwork.backend.common.dtypes import standardize_dtype  # noqa: F401  (Keras keeps it here too)

_IN_SCOPE_CREATION_ERROR = (
    "You are attempting to create a variable while in a stateless scope. This is disallowed. Make sure that "
    "all variables are created before you start using your layer/model objects.\n\nIn some cases, you might be "
    "seeing this error because you need to implement a `def build(self, input_shape)` method on your "
    "layer/model, which will create its variables.\n\nIn some other cases, you might be seeing this error "
    "because you are instantiating a `Variable` and assigning it to a layer without going through "
    "self.add_variable()/self.add_weight(). Always prefer using these methods (with a `shape` and "
    "`initializer` argument)."
)


class Variable:
    """A tensor whose value persists and changes: weights, optimizer slots, metric state.

    Args:
        initializer: an initializer (callable ``(shape, dtype)``), its name, or an array-like value.
        shape: required when ``initializer`` is a callable.
        dtype: by default floatx for an initializer, the value's own dtype for an array-like value.
        trainable: whether gradients are taken with respect to it.
        autocast: whether mixed-precision layers may read it cast to their compute dtype.
        aggregation, synchronization: kept for Keras compatibility (distribution hints).
        name: the variable's name; its ``path`` prefixes the enclosing layer path.

    Example:
    >>> v = Variable(initializer=np.ones((2,), "float32"), name="v")
    >>> v.assign_add([1.0, 2.0]).numpy()
    array([2., 3.], dtype=float32)
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None):
        name = name or global_state.uniquify("variable")
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain character `/`. "
                             f"Received: name={name!r}")
        self._name = name
        parent = current_path()
        self._path = f"{parent}/{name}" if parent else name
        self._trainable = bool(trainable)
        self._autocast = bool(autocast)
        self.aggregation = aggregation
        self.synchronization = synchronization
        self._constraint = self._regularizer = None
        self._overwrite_with_gradient = False
        self._value = self._initializer = self._pending_value = None
        initializer = _resolve_initializer(initializer)
        if callable(initializer):
            self._init_from_initializer(initializer, shape, dtype)
        else:
            self._init_from_value(initializer, shape, dtype)

    def _init_from_initializer(self, initializer, shape, dtype) -> None:
        """Initialize with ``initializer(shape, dtype)``, or defer that inside a stateless scope."""
        if shape is None:
            raise ValueError(
                "When creating a Variable from an initializer, the `shape` argument should be specified. "
                f"Received: initializer={initializer} and shape={shape} (variable {self._name!r})"
            )
        self._shape = self._validate_shape(shape)
        self._dtype = dtypes.standardize_dtype(dtype)
        self._initializer = initializer
        if global_state.STATE.stateless_scope is not None:
            register_uninitialized_variable(self)
        else:
            self._deferred_initialize()

    def _init_from_value(self, initial, shape, dtype) -> None:
        """Initialize with an array-like value; without ``dtype``, the variable takes the value's dtype."""
        if global_state.STATE.stateless_scope is not None:
            raise ValueError(_IN_SCOPE_CREATION_ERROR)
        with self._creation_context():
            value = self._convert_to_tensor(initial, dtype=dtype)
            self._dtype = dtypes.standardize_dtype(value.dtype if dtype is None else dtype)
            self._initialize(value)
        self._shape = self._validate_shape(self._value.shape)
        if shape is not None and tuple(shape) != self._shape:
            raise ValueError(f"Variable {self._name!r}: initial value has shape {self._shape}, "
                             f"expected {tuple(shape)}.")

    def _validate_shape(self, shape) -> tuple:
        """``shape`` as a tuple of ints; every size must be known."""
        shape = standardize_shape(shape)
        if None in shape:
            raise ValueError("Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
                             f"Received: shape={shape} for variable path='{self._path}'")
        return shape

    def _deferred_initialize(self) -> None:
        """Give a deferred variable its value (done when the outermost stateless scope exits)."""
        if self._value is not None:
            raise ValueError(f"Variable {self._path} is already initialized.")
        if global_state.STATE.stateless_scope is not None:
            raise ValueError("You are attempting to initialize a variable while in a stateless scope. This is "
                             "disallowed. Make sure that all variables are initialized before you start using "
                             "your layer/model objects.")
        value = self._initial_value()
        with self._creation_context():
            self._initialize(value)
        self._initializer = self._pending_value = None
        if tuple(self._value.shape) != self._shape:
            raise ValueError(f"Variable {self._name!r}: the initializer gave a value of shape "
                             f"{tuple(self._value.shape)}, expected {self._shape}.")

    def _initial_value(self):
        """The initializer's value, computed once (outside any abstract evaluation)."""
        if self._pending_value is None:
            with self._creation_context():
                value = self._initializer(self._shape, dtype=self._dtype)
                self._pending_value = self._convert_to_tensor(value, dtype=self._dtype)
        return self._pending_value

    def _stored_value(self):
        """The value held outside any scope; a deferred variable's initial value until it is initialized."""
        value = self._value
        return self._initial_value() if value is None else value

    # ---- engine-specific (overridden in backend/<name>/core.py) ----
    def _creation_context(self):
        """Where initial values are computed: outside any abstract evaluation (a layer may be
        built lazily while its parent's output shape is being inferred)."""
        return contextlib.nullcontext()

    def _initialize(self, value) -> None:
        raise NotImplementedError

    def _direct_assign(self, value) -> None:
        raise NotImplementedError

    def _convert_to_tensor(self, value, dtype=None):
        """``value`` as an engine tensor (of ``dtype`` when given)."""
        raise NotImplementedError

    @property
    def value(self):
        raise NotImplementedError

    # ---- shared behaviour ----
    def _convert(self, value):
        return self._convert_to_tensor(value, dtype=self._dtype)

    def _autocast_dtype(self):
        """The dtype a mixed-precision layer reads this variable in, or None to read it as stored."""
        dtype = global_state.STATE.autocast_dtype
        if dtype is None or dtype == self._dtype or not self._autocast or not dtypes.is_float(self._dtype):
            return None
        return dtype

    def _scoped_value(self):
        """The value under a stateless scope, or ``None`` when the scope has none for us."""
        scope = global_state.STATE.stateless_scope
        if scope is not None:
            return scope.get_current_value(self)
        return None

    def assign(self, value):
        value = self._convert(value)
        if tuple(value.shape) != self._shape:
            raise ValueError(
                f"Variable {self._path!r}: cannot assign a value of shape {tuple(value.shape)} "
                f"to a variable of shape {self._shape}."
            )
        scope = global_state.STATE.stateless_scope
        if scope is not None:
            scope.add_update(self, value)
        else:
            self._direct_assign(value)
        return value

    def assign_add(self, value):
        return self.assign(self.value + self._convert(value))

    def assign_sub(self, value):
        return self.assign(self.value - self._convert(value))

    def numpy(self) -> np.ndarray:
        from brickwork.backend import convert_to_numpy

        return convert_to_numpy(self.value)

    name = property(lambda self: self._name)
    path = property(lambda self: self._path)
    shape = property(lambda self: self._shape)
    autocast = property(lambda self: self._autocast)

    @property
    def dtype(self) -> str:
        """The stored dtype; inside a mixed-precision layer's call, the dtype the variable is read in there
        (``float16`` for a ``float32`` weight under ``mixed_float16``), as Keras reports it."""
        if global_state.STATE.autocast_dtype is None:
            return self._dtype
        return self._autocast_dtype() or self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def overwrite_with_gradient(self) -> bool:
        """Whether an optimizer replaces this variable by its gradient instead of descending along it
        (float8 scales and amax histories are computed as "gradients")."""
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"`overwrite_with_gradient` must be a boolean. Received: {value!r}")
        self._overwrite_with_gradient = value

    @property
    def regularizer(self):
        """A callable ``(value) -> loss`` the layer adds for this variable, or ``None``."""
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value) -> None:
        self._regularizer = _checked_callable("regularizer", "keras.regularizers.Regularizer", value)

    @property
    def constraint(self):
        """A callable ``(value) -> value`` applied after each optimizer step, or ``None``."""
        return self._constraint

    @constraint.setter
    def constraint(self, value) -> None:
        self._constraint = _checked_callable("constraint", "keras.constraints.Constraint", value)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __repr__(self):
        value = self._value_for_repr()
        shown = "" if value is None else f", value={value}"
        return f"<Variable path={self._path}, shape={self._shape}, dtype={self._dtype}{shown}>"

    def _value_for_repr(self):
        """The stored value as NumPy, or ``None`` (deferred, or not convertible, e.g. a traced value)."""
        if self._value is None:
            return None
        from brickwork.backend import convert_to_numpy

        try:
            return convert_to_numpy(self._value)
        except Exception:  # noqa: BLE001 - a repr must not fail
            return None

    def __len__(self):
        return self._shape[0]

    def __bool__(self):
        raise TypeError("A Keras Variable cannot be used as a boolean. Compare its value explicitly, "
                        "e.g. `ops.all(variable == 0)`.")

    def __getitem__(self, key):
        return self.value[key]

    def _scalar(self):
        """The value as a 0-d NumPy array; a TypeError for any other shape."""
        if self._shape:
            raise TypeError(f"Only scalar arrays can be converted to Python scalars. Got: shape={self._shape} "
                            f"(variable {self._path!r})")
        return self.numpy()

    def __int__(self):
        return int(self._scalar())

    def __float__(self):
        return float(self._scalar())

    def __round__(self, ndigits=None):
        return _ops().round(self, decimals=ndigits or 0)

    __hash__ = object.__hash__

    @property
    def T(self):
        return _ops().transpose(self)

    def astype(self, dtype):
        return _ops().cast(self, dtype)


def _ops():
    from brickwork import ops

    return ops


def _resolve_initializer(initializer):
    """An initializer's name (``"zeros"``) as the initializer; anything else as given."""
    if isinstance(initializer, str):
        from brickwork import initializers

        return initializers.get(initializer)
    return initializer


def _checked_callable(attribute: str, example: str, value):
    """``value`` when it is callable or ``None``; Keras's ValueError otherwise."""
    if value is not None and not callable(value):
        raise ValueError(f"Invalid value for attribute `{attribute}`. Expected a callable (such as a `{example}` "
                         f"instance) or `None`. Received: {attribute}={value!r}")
    return value


def register_uninitialized_variable(variable) -> None:
    """Remember a variable created in a stateless scope, to initialize when the outermost scope exits."""
    pending = global_state.get_global_attribute("uninitialized_variables", [], set_to_default=True)
    pending.append(variable)


def initialize_all_variables() -> None:
    """Initialize the variables created in stateless scopes (those not initialized meanwhile)."""
    pending = global_state.get_global_attribute("uninitialized_variables")
    global_state.set_global_attribute("uninitialized_variables", [])
    for variable in pending or ():
        if variable._value is None:
            variable._deferred_initialize()


def _binary(op_name, reverse=False):
    def method(self, other):
        op = getattr(_ops(), op_name)
        return op(other, self) if reverse else op(self, other)

    return method


for _name, _op in (
    ("add", "add"), ("sub", "subtract"), ("mul", "multiply"), ("truediv", "true_divide"),
    ("floordiv", "floor_divide"), ("mod", "mod"), ("pow", "power"), ("matmul", "matmul"),
    ("and", "logical_and"), ("or", "logical_or"), ("xor", "logical_xor"),
):
    setattr(Variable, f"__{_name}__", _binary(_op))
    setattr(Variable, f"__r{_name}__", _binary(_op, reverse=True))
for _name, _op in (("lt", "less"), ("le", "less_equal"), ("gt", "greater"), ("ge", "greater_equal"),
                   ("ne", "not_equal"), ("eq", "equal")):
    setattr(Variable, f"__{_name}__", _binary(_op))
Variable.__neg__ = lambda self: _ops().negative(self)
Variable.__pos__ = lambda self: self.value
Variable.__abs__ = lambda self: _ops().absolute(self)
Variable.__invert__ = lambda self: _ops().logical_not(self)
Variable.__hash__ = object.__hash__


class AutocastScope:
    """Read float variables in ``dtype`` inside the scope (``None``: read them as stored).

    Args:
        dtype: a floating-point dtype, or ``None``.

    Example:
    >>> layer = keras.layers.Dense(2)
    >>> layer.build((None, 3))
    >>> with AutocastScope("float16"):
    ...     layer.kernel.value.dtype   # float16, the variable itself stays float32
    """

    def __init__(self, dtype: str | None):
        if dtype is not None:
            dtype = dtypes.standardize_dtype(dtype)
            if not dtypes.is_float(dtype):
                raise ValueError("`AutocastScope` can only be used with a floating-point target dtype, such as "
                                 f"'float16'. Received: dtype={dtype}")
        self.dtype = dtype
        self._previous = None

    def __enter__(self):
        state = global_state.STATE
        self._previous, state.autocast_dtype = state.autocast_dtype, self.dtype
        return self

    def __exit__(self, *exc):
        global_state.STATE.autocast_dtype = self._previous


def standardize_shape(shape) -> tuple:
    """``shape`` as a tuple of Python ints and ``None`` (unknown sizes); a ValueError for anything else.

    An engine's symbolic size (a jax export dimension, a ``torch.SymInt``) becomes ``None``.

    Args:
        shape: a tuple or list of sizes: ints (NumPy or Python), ``None``, or an engine's symbolic sizes.

    Returns:
        A tuple of Python ints and ``None``.

    Example:
    >>> standardize_shape([np.int64(2), None])
    (2, None)
    """
    if shape is None:
        raise ValueError("Undefined shapes are not supported.")
    if isinstance(shape, str) or not hasattr(shape, "__iter__"):
        raise ValueError(f"Cannot convert '{shape}' to a shape. Expected a tuple of ints and None.")
    dims = tuple(shape)
    return tuple(_standardize_dim(dim, shape) for dim in dims)


def _standardize_dim(dim, shape):
    """One size of ``shape``: a non-negative int, or ``None`` when unknown or symbolic."""
    if dim is None:
        return None
    if not isinstance(dim, (int, np.integer)) and _is_symbolic_dim(dim):
        return None
    if isinstance(dim, (str, float, bool)):  # refused even where int() would take them
        raise _invalid_dim(shape, dim)
    try:
        dim = int(dim)  # NumPy integers, 0-d integer tensors
    except Exception as error:  # whatever int() refuses is not a size
        raise _invalid_dim(shape, dim) from error
    if dim < 0:
        raise ValueError(f"Cannot convert '{shape}' to a shape. Negative dimensions are not allowed.")
    return dim


def _invalid_dim(shape, dim) -> ValueError:
    return ValueError(f"Cannot convert '{shape}' to a shape. Found invalid dimension '{dim}' of type '{type(dim)}'.")


def _is_symbolic_dim(dim) -> bool:
    """Whether the active engine takes ``dim`` for a symbolic size (backend/<name>/core.py decides)."""
    from brickwork import backend

    return backend.active.core.is_symbolic_dim(dim)


def shape_equal(a_shape, b_shape) -> bool:
    """Whether two shapes agree: the same rank, and equal sizes wherever both are known.

    Example:
    >>> shape_equal((None, 3), (2, 3)), shape_equal((2, 3), (2, 4)), shape_equal((2,), (2, 1))
    (True, False, False)
    """
    if len(a_shape) != len(b_shape):
        return False
    return all(a is None or b is None or a == b for a, b in zip(a_shape, b_shape))
