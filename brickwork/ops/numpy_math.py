"""NumPy-like element-wise math, reductions, comparisons and logic (``ops.add``, ``ops.mean``, …).

Each op is a documented signature bound to ``brickwork.backend.active.numpy.<name>``; the
symbolic (``KerasTensor``) path comes from the engine's abstract evaluation, except for
``bincount``, whose result length depends on the data.

Dtypes follow Keras 3: Python scalars are weak (``int32 + 1 -> int32``); ops whose result is
float by nature (``sqrt``, ``mean``, ``divide``, ``sin``, …) give floatx on integer input;
comparisons and predicates give ``bool``; ``sum``/``prod`` widen bool and small integers to
32 bits; ``argmax``/``argmin``/``count_nonzero`` give ``int32``.
"""

from __future__ import annotations

from brickwork.backend import convert_to_tensor as _convert_to_tensor
from brickwork.backend.common.dtypes import promote_types as _result_type
from brickwork.backend import standardize_dtype as _standardize_dtype
from brickwork.backend.common.keras_tensor import KerasTensor as _KerasTensor
from brickwork.ops import shape_rules as _rules
from brickwork.ops._dispatch import backend_op

def _bincount_spec(x, weights=None, minlength=0, sparse=False):
    dtype = "int32"
    if weights is not None:
        if not hasattr(weights, "dtype"):
            weights = _convert_to_tensor(weights)
        dtype = _result_type(_standardize_dtype(x.dtype), _standardize_dtype(weights.dtype))
    sparse = bool(sparse) or getattr(x, "sparse", False)
    return _KerasTensor(tuple(x.shape[:-1]) + (None,), dtype=dtype, sparse=sparse)


# ---- arithmetic ----


@backend_op("numpy")
def add(x1, x2):
    """Add arguments element-wise, with broadcasting.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.add([1, 2], 3)   # int32 stays int32
    """


@backend_op("numpy")
def subtract(x1, x2):
    """Subtract ``x2`` from ``x1`` element-wise, with broadcasting.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.subtract([5.0, 2.0], [3.0, 4.0])   # [2.0, -2.0]
    """


@backend_op("numpy")
def multiply(x1, x2):
    """Multiply arguments element-wise, with broadcasting.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.multiply([1.0, 2.0], [3.0, 4.0])   # [3.0, 8.0]
    """


@backend_op("numpy")
def divide(x1, x2):
    """True division element-wise; integer inputs give floatx.

    Args:
        x1: the dividend (tensor or array-like).
        x2: the divisor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating: integer inputs give floatx.

    Example:
    >>> ops.divide([1, 2], 2)   # float32 [0.5, 1.0]
    """


@backend_op("numpy")
def true_divide(x1, x2):
    """Alias of ``divide``.

    Args:
        x1: the dividend (tensor or array-like).
        x2: the divisor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating: integer inputs give floatx.

    Example:
    >>> ops.true_divide([1, 3], [2, 4])   # [0.5, 0.75]
    """


@backend_op("numpy")
def divide_no_nan(x1, x2):
    """``x1 / x2``, with 0 where ``x2 == 0`` (and a finite gradient there).

    Args:
        x1: the dividend (tensor or array-like).
        x2: the divisor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating, with 0 wherever ``x2`` is 0.

    Example:
    >>> ops.divide_no_nan([1.0, 2.0], [0.0, 4.0])   # [0.0, 0.5]
    """


@backend_op("numpy")
def floor_divide(x1, x2):
    """The largest integer not greater than ``x1 / x2``, in the operands' dtype.

    Args:
        x1: the dividend (tensor or array-like).
        x2: the divisor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.floor_divide([7, -7], 2)   # [3, -4]
    """


@backend_op("numpy")
def mod(x1, x2):
    """Remainder of ``x1 / x2`` with the sign of ``x2`` (Python's ``%``).

    Args:
        x1: the dividend (tensor or array-like).
        x2: the divisor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to, with the sign of
            ``x2``.

    Example:
    >>> ops.mod([7, -7], 3)   # [1, 2]
    """


@backend_op("numpy")
def power(x1, x2):
    """``x1`` raised to ``x2`` element-wise.

    Args:
        x1: the bases (tensor or array-like).
        x2: the exponents; they broadcast against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.power([2.0, 3.0], [3.0, 2.0])   # [8.0, 9.0]
    """


@backend_op("numpy")
def negative(x):
    """``-x`` element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.negative([1.0, -2.0])   # [-1.0, 2.0]
    """


@backend_op("numpy")
def reciprocal(x):
    """``1 / x`` element-wise; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.reciprocal([2.0, 4.0])   # [0.5, 0.25]
    """


@backend_op("numpy")
def square(x):
    """``x * x`` element-wise; bool gives int32.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; in the dtype of ``x`` (``int32`` for bool input).

    Example:
    >>> ops.square([2.0, -3.0])   # [4.0, 9.0]
    """


@backend_op("numpy")
def absolute(x):
    """Absolute value element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; for complex input, the magnitude as a float; otherwise in the dtype of
            ``x``.

    Example:
    >>> ops.absolute([-1.5, 0.0, 2.0])   # [1.5, 0.0, 2.0]
    """


@backend_op("numpy")
def abs(x):
    """Alias of ``absolute``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; for complex input, the magnitude as a float; otherwise in the dtype of
            ``x``.

    Example:
    >>> ops.abs([-3, 4])   # [3, 4]
    """


@backend_op("numpy")
def sign(x):
    """-1, 0 or 1 by the sign of each element, in ``x``'s dtype.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.sign([-2.0, 0.0, 3.0])   # [-1.0, 0.0, 1.0]
    """


@backend_op("numpy")
def maximum(x1, x2):
    """Element-wise maximum (NaN propagates).

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.maximum([1.0, 5.0], [3.0, 2.0])   # [3.0, 5.0]
    """


@backend_op("numpy")
def minimum(x1, x2):
    """Element-wise minimum (NaN propagates).

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.minimum([1.0, 5.0], [3.0, 2.0])   # [1.0, 2.0]
    """


@backend_op("numpy")
def clip(x, x_min, x_max):
    """Limit values to ``[x_min, x_max]``; the result keeps ``x``'s dtype (bool gives int32).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        x_min: the lower bound, a scalar or a tensor broadcasting against ``x``.
        x_max: the upper bound, a scalar or a tensor broadcasting against ``x``.

    Returns:
        A tensor of the shape of ``x``; in the dtype of ``x`` (``int32`` for bool input).

    Example:
    >>> ops.clip([-2, 0, 5], 0, 3)   # int32 [0, 0, 3]
    """


@backend_op("numpy")
def nan_to_num(x, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None):
    """Replace NaN by ``nan`` and infinities by ``posinf``/``neginf`` (default: the dtype's extremes).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        nan: the value that replaces NaN (default 0.0).
        posinf: the value that replaces ``+inf``; ``None`` (default) uses the dtype's largest value.
        neginf: the value that replaces ``-inf``; ``None`` (default) uses the dtype's lowest value.

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.nan_to_num([float('nan'), 1.0], nan=0.0)   # [0.0, 1.0]
    """


# ---- float by nature ----


@backend_op("numpy")
def sqrt(x):
    """Square root element-wise; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x`` (NaN for negative input): floating inputs keep their dtype, integer and bool
            inputs give floatx.

    Example:
    >>> ops.sqrt([4.0, 9.0])   # [2.0, 3.0]
    """


@backend_op("numpy")
def cbrt(x):
    """Cube root element-wise (real, negative for negative inputs); int64 gives float64.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x`` (``int64`` gives ``float64``): floating inputs keep their dtype, integer and
            bool inputs give floatx.

    Example:
    >>> ops.cbrt([8.0, -27.0])   # [2.0, -3.0]
    """


@backend_op("numpy")
def exp(x):
    """``e ** x`` element-wise; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.exp([0.0, 1.0])   # [1.0, 2.718]
    """


@backend_op("numpy")
def exp2(x):
    """``2 ** x`` element-wise; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.exp2([0.0, 3.0])   # [1.0, 8.0]
    """


@backend_op("numpy")
def expm1(x):
    """``exp(x) - 1``, accurate for small ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.expm1([0.0, 1e-5])   # [0.0, 1e-05]
    """


@backend_op("numpy")
def log(x):
    """Natural logarithm element-wise; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x`` (NaN for negative, ``-inf`` for zero input): floating inputs keep their
            dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.log([1.0, np.e])   # [0.0, 1.0]
    """


@backend_op("numpy")
def log10(x):
    """Base-10 logarithm element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.log10([1.0, 1000.0])   # [0.0, 3.0]
    """


@backend_op("numpy")
def log1p(x):
    """``log(1 + x)``, accurate for small ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.log1p([0.0, 1e-5])   # [0.0, 1e-05]
    """


@backend_op("numpy")
def log2(x):
    """Base-2 logarithm element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.log2([1.0, 8.0])   # [0.0, 3.0]
    """


@backend_op("numpy")
def logaddexp(x1, x2):
    """``log(exp(x1) + exp(x2))`` without overflow.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating: integer inputs give floatx.

    Example:
    >>> ops.logaddexp([0.0, 1.0], [0.0, 2.0])   # [0.6931, 2.313]
    """


@backend_op("numpy")
def sin(x):
    """Sine element-wise (radians).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.sin([0.0, np.pi / 2])   # [0.0, 1.0]
    """


@backend_op("numpy")
def cos(x):
    """Cosine element-wise (radians).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.cos([0.0, np.pi])   # [1.0, -1.0]
    """


@backend_op("numpy")
def tan(x):
    """Tangent element-wise (radians).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.tan([0.0, np.pi / 4])   # [0.0, 1.0]
    """


@backend_op("numpy")
def arcsin(x):
    """Inverse sine element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, angles in ``[-pi/2, pi/2]`` (NaN outside ``[-1, 1]``): floating inputs keep
            their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.arcsin([0.0, 1.0])   # [0.0, 1.571]
    """


@backend_op("numpy")
def arccos(x):
    """Inverse cosine element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, angles in ``[0, pi]`` (NaN outside ``[-1, 1]``): floating inputs keep their
            dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.arccos([1.0, 0.0, -1.0])   # [0.0, 1.571, 3.142]
    """


@backend_op("numpy")
def arctan(x):
    """Inverse tangent element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, angles in ``(-pi/2, pi/2)``: floating inputs keep their dtype, integer and
            bool inputs give floatx.

    Example:
    >>> ops.arctan([0.0, 1.0])   # [0.0, 0.7854]
    """


@backend_op("numpy")
def arctan2(x1, x2):
    """Angle of the point ``(x2, x1)``, in ``[-pi, pi]``.

    Args:
        x1: the y-coordinates (tensor or array-like).
        x2: the x-coordinates; they broadcast against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of angles in radians in ``[-pi, pi]``; integer inputs
            give floatx.

    Example:
    >>> ops.arctan2([1.0, -1.0], [-1.0, -1.0])   # [2.356, -2.356]
    """


@backend_op("numpy")
def sinh(x):
    """Hyperbolic sine element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.sinh([0.0, 1.0])   # [0.0, 1.175]
    """


@backend_op("numpy")
def cosh(x):
    """Hyperbolic cosine element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.cosh([0.0, 1.0])   # [1.0, 1.543]
    """


@backend_op("numpy")
def tanh(x):
    """Hyperbolic tangent element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.tanh([0.0, 1.0])   # [0.0, 0.7616]
    """


@backend_op("numpy")
def arcsinh(x):
    """Inverse hyperbolic sine element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.arcsinh([0.0, 1.0])   # [0.0, 0.8814]
    """


@backend_op("numpy")
def arccosh(x):
    """Inverse hyperbolic cosine element-wise (``x >= 1``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x`` (NaN where ``x < 1``): floating inputs keep their dtype, integer and bool
            inputs give floatx.

    Example:
    >>> ops.arccosh([1.0, 2.0])   # [0.0, 1.317]
    """


@backend_op("numpy")
def arctanh(x):
    """Inverse hyperbolic tangent element-wise (``|x| < 1``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x`` (NaN outside ``[-1, 1]``, infinite at ``-1`` and ``1``): floating inputs keep
            their dtype, integer and bool inputs give floatx.

    Example:
    >>> ops.arctanh([0.0, 0.5])   # [0.0, 0.5493]
    """


@backend_op("numpy")
def hypot(x1, x2):
    """``sqrt(x1**2 + x2**2)`` without overflow; int64 gives float64, other ints floatx.

    Args:
        x1: the first leg (tensor or array-like).
        x2: the second leg; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating (``int64`` gives ``float64``, other integers
            floatx).

    Example:
    >>> ops.hypot([3.0, 5.0], [4.0, 12.0])   # [5.0, 13.0]
    """


@backend_op("numpy")
def copysign(x1, x2):
    """The magnitude of ``x1`` with the sign of ``x2``; integer inputs give floatx.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating; integer inputs give floatx.

    Example:
    >>> ops.copysign([1.0, 2.0], [-1.0, 3.0])   # [-1.0, 2.0]
    """


@backend_op("numpy")
def heaviside(x1, x2):
    """Step function: 0 where ``x1 < 0``, ``x2`` where ``x1 == 0``, 1 where ``x1 > 0``.

    Args:
        x1: the input values.
        x2: the value taken where ``x1 == 0``; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to (integer inputs give
            floatx).

    Example:
    >>> ops.heaviside([-1.0, 0.0, 2.0], 0.5)   # [0.0, 0.5, 1.0]
    """


@backend_op("numpy")
def deg2rad(x):
    """Degrees to radians.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, in radians: floating inputs keep their dtype, integer and bool inputs give
            floatx.

    Example:
    >>> ops.deg2rad([180.0, 90.0])   # [3.142, 1.571]
    """


@backend_op("numpy")
def rad2deg(x):
    """Radians to degrees.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, in degrees: floating inputs keep their dtype, integer and bool inputs give
            floatx.

    Example:
    >>> ops.rad2deg([np.pi, np.pi / 2])   # [180.0, 90.0]
    """


# ---- rounding ----


@backend_op("numpy")
def floor(x):
    """Largest integer not greater than ``x``, as a float (integer inputs give floatx).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x`` holding whole numbers: floating inputs keep their dtype, integer and bool
            inputs give floatx.

    Example:
    >>> ops.floor([1.7, -1.2])   # [1.0, -2.0]
    """


@backend_op("numpy")
def ceil(x):
    """Smallest integer not less than ``x``, as a float (integer inputs give floatx).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x`` holding whole numbers: floating inputs keep their dtype, integer and bool
            inputs give floatx.

    Example:
    >>> ops.ceil([1.2, -1.2])   # [2.0, -1.0]
    """


@backend_op("numpy")
def trunc(x):
    """Round towards zero; integer inputs are returned unchanged.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; floating inputs rounded toward zero; integer inputs unchanged.

    Example:
    >>> ops.trunc([1.7, -1.7])   # [1.0, -1.0]
    """


@backend_op("numpy")
def round(x, decimals: int = 0):
    """Round half to even to ``decimals`` places (negative: to tens, hundreds, …), keeping the dtype.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        decimals: the number of decimal places to round to (default 0); negative values round to tens, hundreds, ….

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.round([0.5, 1.5, 2.567], decimals=0)   # [0., 2., 3.]
    """


# ---- complex parts ----


@backend_op("numpy")
def real(x):
    """Real part element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: for complex input, the real parts as floats; real input is returned unchanged.

    Example:
    >>> ops.real(np.array([1 + 2j, 3 - 4j]))   # [1.0, 3.0]
    """


@backend_op("numpy")
def imag(x):
    """Imaginary part element-wise (zeros for real inputs).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: for complex input, the imaginary parts as floats; for real input,
            zeros of its dtype.

    Example:
    >>> ops.imag(np.array([1 + 2j, 3 - 4j]))   # [2.0, -4.0]
    """


@backend_op("numpy")
def conjugate(x):
    """Complex conjugate element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.conjugate(np.array([3 - 4j]))   # [(3.0+4.0j)]
    """


@backend_op("numpy")
def conj(x):
    """Alias of ``conjugate``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.conj(np.array([1 + 2j]))   # [(1.0-2.0j)]
    """


@backend_op("numpy")
def angle(x):
    """Argument of complex numbers (0 or pi for real inputs), as a float.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``, the angles in radians in ``(-pi, pi]``: floating inputs keep their dtype,
            integer and bool inputs give floatx.

    Example:
    >>> ops.angle([1.0, -1.0])   # [0.0, 3.142]
    """


# ---- comparisons and predicates ----


@backend_op("numpy")
def equal(x1, x2):
    """``x1 == x2`` element-wise, as bool.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.equal([1, 2, 3], [1, 0, 3])   # [True, False, True]
    """


@backend_op("numpy")
def not_equal(x1, x2):
    """``x1 != x2`` element-wise, as bool.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.not_equal([1, 2, 3], [1, 0, 3])   # [False, True, False]
    """


@backend_op("numpy")
def greater(x1, x2):
    """``x1 > x2`` element-wise, as bool.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.greater([1, 2, 3], 2)   # [False, False, True]
    """


@backend_op("numpy")
def greater_equal(x1, x2):
    """``x1 >= x2`` element-wise, as bool.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.greater_equal([1, 2, 3], 2)   # [False, True, True]
    """


@backend_op("numpy")
def less(x1, x2):
    """``x1 < x2`` element-wise, as bool.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.less([1, 2, 3], 2)   # [True, False, False]
    """


@backend_op("numpy")
def less_equal(x1, x2):
    """``x1 <= x2`` element-wise, as bool.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.less_equal([1, 2, 3], 2)   # [True, True, False]
    """


@backend_op("numpy")
def isclose(x1, x2, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False):
    """``|x1 - x2| <= atol + rtol * |x2|`` element-wise, as bool.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.
        rtol: the relative tolerance, scaled by ``|x2|`` (default ``1e-5``).
        atol: the absolute tolerance (default ``1e-8``).
        equal_nan: if ``True``, two NaNs count as close; default ``False``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.isclose([1.0, 1.1], [1.0 + 1e-9, 1.0])   # [True, False]
    """


@backend_op("numpy")
def isfinite(x):
    """True where ``x`` is neither infinite nor NaN.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; dtype ``bool``.

    Example:
    >>> ops.isfinite([1.0, float('inf'), float('nan')])   # [True, False, False]
    """


@backend_op("numpy")
def isinf(x):
    """True where ``x`` is positive or negative infinity.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; dtype ``bool``.

    Example:
    >>> ops.isinf([1.0, float('-inf'), float('nan')])   # [False, True, False]
    """


@backend_op("numpy")
def isnan(x):
    """True where ``x`` is NaN.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; dtype ``bool``.

    Example:
    >>> ops.isnan([1.0, float('inf'), float('nan')])   # [False, False, True]
    """


@backend_op("numpy")
def signbit(x):
    """True where the sign bit is set (including ``-0.0``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; dtype ``bool``.

    Example:
    >>> ops.signbit([-2.0, 0.0, 3.0])   # [True, False, False]
    """


# ---- logic and bits ----


@backend_op("numpy")
def logical_and(x1, x2):
    """Truth value of ``x1 and x2`` element-wise.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.logical_and([True, True], [True, False])   # [True, False]
    """


@backend_op("numpy")
def logical_or(x1, x2):
    """Truth value of ``x1 or x2`` element-wise.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.logical_or([True, False], [False, False])   # [True, False]
    """


@backend_op("numpy")
def logical_xor(x1, x2):
    """Truth value of ``x1 xor x2`` element-wise.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, of dtype ``bool``.

    Example:
    >>> ops.logical_xor([True, True], [True, False])   # [False, True]
    """


@backend_op("numpy")
def logical_not(x):
    """Truth value of ``not x`` element-wise.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``; dtype ``bool``.

    Example:
    >>> ops.logical_not([True, False])   # [False, True]
    """


@backend_op("numpy", spec=_rules.elementwise_spec)
def bitwise_and(x, y):
    """Bit-wise AND of integers or bools.

    Args:
        x: the first input tensor or array-like, of integer or bool dtype.
        y: the second input, of integer or bool dtype; it broadcasts against ``x``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.bitwise_and([12, 10], [10, 6])   # [8, 2]
    """


@backend_op("numpy", spec=_rules.elementwise_spec)
def bitwise_or(x, y):
    """Bit-wise OR of integers or bools.

    Args:
        x: the first input tensor or array-like, of integer or bool dtype.
        y: the second input, of integer or bool dtype; it broadcasts against ``x``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.bitwise_or([12, 10], [10, 6])   # [14, 14]
    """


@backend_op("numpy", spec=_rules.elementwise_spec)
def bitwise_xor(x, y):
    """Bit-wise XOR of integers or bools.

    Args:
        x: the first input tensor or array-like, of integer or bool dtype.
        y: the second input, of integer or bool dtype; it broadcasts against ``x``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.bitwise_xor([12, 10], [10, 6])   # [6, 12]
    """


@backend_op("numpy", spec=_rules.same_spec)
def bitwise_invert(x):
    """Bit-wise NOT of integers (logical NOT of bools).

    Args:
        x: the input tensor, of integer or bool dtype.

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.bitwise_invert([0, 5])   # [-1, -6]
    """


@backend_op("numpy", spec=_rules.same_spec)
def bitwise_not(x):
    """Alias of ``bitwise_invert``.

    Args:
        x: the input tensor, of integer or bool dtype.

    Returns:
        A tensor of the shape of ``x``, in the dtype of ``x``.

    Example:
    >>> ops.bitwise_not([0, 5])   # [-1, -6]
    """


@backend_op("numpy", spec=_rules.shift_spec)
def bitwise_left_shift(x, y):
    """Shift the bits of ``x`` left by ``y``.

    Args:
        x: the integer tensor whose bits are shifted.
        y: the shift amounts, non-negative integers broadcasting against ``x``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.bitwise_left_shift([1, 3], [2, 1])   # [4, 6]
    """


@backend_op("numpy", spec=_rules.shift_spec)
def bitwise_right_shift(x, y):
    """Shift the bits of ``x`` right by ``y`` (arithmetic shift for signed integers).

    Args:
        x: the integer tensor whose bits are shifted.
        y: the shift amounts, non-negative integers broadcasting against ``x``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.bitwise_right_shift([8, 7], [2, 1])   # [2, 3]
    """


# ---- reductions ----


@backend_op("numpy")
def sum(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Sum over ``axis`` (all axes when ``None``); bool and small ints accumulate in 32 bits.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of sums, in the dtype of ``x`` (bool and integers narrower than 32 bits give 32-bit integers), of
            the shape of ``x`` without the reduced axes (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.sum([[1, 2], [3, 4]], axis=0)   # int32 [4, 6]
    """


@backend_op("numpy")
def prod(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, dtype: str | None = None):
    """Product over ``axis``; ``dtype`` sets the accumulation and result dtype.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.
        dtype: the dtype of the accumulation and the result; ``None`` (default) keeps the dtype of ``x``, widening
            bool and small integers to 32 bits.

    Returns:
        A tensor of products, of the shape of ``x`` without the reduced axes (kept with length 1 under
            ``keepdims``).

    Example:
    >>> ops.prod([[1, 2], [3, 4]], axis=1)   # [2, 12]
    """


@backend_op("numpy")
def mean(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Mean over ``axis`` (all axes when ``None``); integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of means (floating: integer inputs give floatx), of the shape of ``x`` without the reduced axes
            (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.mean([[1.0, 2.0], [3.0, 5.0]], axis=0)   # [2.0, 3.5]
    """


@backend_op("numpy")
def var(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Population variance (``ddof=0``) over ``axis``; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of variances (floating: integer inputs give floatx), of the shape of ``x`` without the reduced axes
            (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.var([1.0, 2.0, 3.0, 4.0])   # 1.25
    """


@backend_op("numpy")
def std(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Population standard deviation (``ddof=0``) over ``axis``; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of standard deviations (floating: integer inputs give floatx), of the shape of ``x`` without the
            reduced axes (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.std([1.0, 2.0, 3.0, 4.0])   # 1.118
    """


@backend_op("numpy")
def median(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Median over ``axis`` (the mean of the two middle values for even counts).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of medians (floating: integer inputs give floatx), of the shape of ``x`` without the reduced axes
            (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.median([3.0, 1.0, 4.0, 2.0])   # 2.5
    """


@backend_op("numpy")
def quantile(x, q, axis: int | tuple[int, ...] | None = None, method: str = "linear", keepdims: bool = False):
    """The ``q``-th quantile(s) over ``axis``, ``q`` in ``[0, 1]``.

    Args:
        x: input tensor.
        q: a scalar or 1-D tensor of probabilities; a 1-D ``q`` adds a leading result axis.
        axis: the axes to reduce (all when ``None``).
        method: ``"linear"``, ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``.
        keepdims: keep reduced axes with size 1.

    Returns:
        A float tensor: the quantiles over ``axis``, with a leading axis of ``len(q)`` when ``q`` is a sequence.

    Example:
    >>> ops.quantile([1.0, 2.0, 3.0, 4.0], 0.5)   # 2.5
    """


@backend_op("numpy")
def max(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, initial=None):
    """Maximum over ``axis``; ``initial`` is a lower bound (and the result of an empty reduction).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.
        initial: optional scalar included in every reduction: a lower bound on the result, and the result of
            reducing an empty axis.

    Returns:
        A tensor of the largest values, in the dtype of ``x``, of the shape of ``x`` without the reduced axes (kept
            with length 1 under ``keepdims``).

    Example:
    >>> ops.max([[1.0, 5.0], [7.0, 2.0]], axis=1)   # [5.0, 7.0]
    """


@backend_op("numpy")
def min(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, initial=None):
    """Minimum over ``axis``; ``initial`` is an upper bound (and the result of an empty reduction).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.
        initial: optional scalar included in every reduction: an upper bound on the result, and the result of
            reducing an empty axis.

    Returns:
        A tensor of the smallest values, in the dtype of ``x``, of the shape of ``x`` without the reduced axes (kept
            with length 1 under ``keepdims``).

    Example:
    >>> ops.min([[1.0, 5.0], [7.0, 2.0]], axis=0)   # [1.0, 2.0]
    """


@backend_op("numpy")
def amax(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Maximum over ``axis``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of the largest values, in the dtype of ``x``, of the shape of ``x`` without the reduced axes (kept
            with length 1 under ``keepdims``).

    Example:
    >>> ops.amax([[1, 5], [7, 2]], axis=0)   # [7, 5]
    """


@backend_op("numpy")
def amin(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Minimum over ``axis``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of the smallest values, in the dtype of ``x``, of the shape of ``x`` without the reduced axes (kept
            with length 1 under ``keepdims``).

    Example:
    >>> ops.amin([[1, 5], [7, 2]], axis=1)   # [1, 2]
    """


@backend_op("numpy")
def all(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Whether every element over ``axis`` is true, as bool.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of dtype ``bool``, of the shape of ``x`` without the reduced axes (kept with length 1 under
            ``keepdims``).

    Example:
    >>> ops.all([[True, False], [True, True]], axis=1)   # [False, True]
    """


@backend_op("numpy")
def any(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Whether any element over ``axis`` is true, as bool.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of dtype ``bool``, of the shape of ``x`` without the reduced axes (kept with length 1 under
            ``keepdims``).

    Example:
    >>> ops.any([[True, False], [False, False]], axis=1)   # [True, False]
    """


@backend_op("numpy")
def argmax(x, axis: int | None = None, keepdims: bool = False):
    """Index (int32) of the first maximum along ``axis``, of the flattened input when ``None``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to search along; ``None`` (default) searches the flattened input.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        An ``int32`` tensor of indices: the shape of ``x`` without ``axis`` (a scalar when ``axis`` is ``None`` and
            ``keepdims`` is ``False``).

    Example:
    >>> ops.argmax([[1, 9, 3], [8, 2, 4]], axis=1)   # [1, 0]
    """


@backend_op("numpy")
def argmin(x, axis: int | None = None, keepdims: bool = False):
    """Index (int32) of the first minimum along ``axis``, of the flattened input when ``None``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to search along; ``None`` (default) searches the flattened input.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        An ``int32`` tensor of indices: the shape of ``x`` without ``axis`` (a scalar when ``axis`` is ``None`` and
            ``keepdims`` is ``False``).

    Example:
    >>> ops.argmin([[1, 9, 3], [8, 2, 4]], axis=0)   # [0, 1, 0]
    """


@backend_op("numpy")
def count_nonzero(x, axis: int | tuple[int, ...] | None = None):
    """Number of non-zero elements over ``axis``, as int32.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.

    Returns:
        An ``int32`` tensor of counts, of the shape of ``x`` without the reduced axes.

    Example:
    >>> ops.count_nonzero([[0, 1], [2, 3]], axis=0)   # [1, 2]
    """


@backend_op("numpy")
def cumsum(x, axis: int | None = None, dtype: str | None = None):
    """Cumulative sum along ``axis`` (of the flattened input when ``None``); bool gives int32.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to accumulate along; ``None`` (default) accumulates over the flattened input.
        dtype: the dtype of the result and the accumulation; ``None`` (default) keeps the dtype of ``x`` (bool gives
            ``int32``).

    Returns:
        A tensor of the shape of ``x`` (1-D of size ``x.size`` when ``axis`` is ``None``).

    Example:
    >>> ops.cumsum([[1, 2], [3, 4]], axis=0)   # [[1, 2], [4, 6]]
    """


@backend_op("numpy")
def cumprod(x, axis: int | None = None, dtype: str | None = None):
    """Cumulative product along ``axis`` (of the flattened input when ``None``); bool gives int32.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to accumulate along; ``None`` (default) accumulates over the flattened input.
        dtype: the dtype of the result and the accumulation; ``None`` (default) keeps the dtype of ``x`` (bool gives
            ``int32``).

    Returns:
        A tensor of the shape of ``x`` (1-D of size ``x.size`` when ``axis`` is ``None``).

    Example:
    >>> ops.cumprod([1, 2, 3, 4])   # [1, 2, 6, 24]
    """


def _average_problem(x, axis=None, weights=None):
    """Keras's ValueError for weights that do not fit ``x`` (the engines say TypeError or nothing clear)."""
    if weights is None:
        return None
    x_shape, w_shape = tuple(getattr(x, "shape", ())), tuple(getattr(weights, "shape", ()))
    if w_shape == x_shape:
        return None
    if axis is None:
        return ValueError(f"average: `axis` must be given when `weights` has another shape than `x`. "
                          f"Received: x.shape={x_shape}, weights.shape={w_shape}")
    size = x_shape[axis] if -len(x_shape) <= axis < len(x_shape) else "out of range"
    if len(w_shape) != 1 or None not in (size, w_shape[0]) and w_shape[0] != size:
        return ValueError(f"average: `weights` must have `x`'s shape or be 1-D of length x.shape[axis]={size}. "
                          f"Received: x.shape={x_shape}, weights.shape={w_shape}, axis={axis}")
    return None


@backend_op("numpy", explain=_average_problem)
def average(x, axis: int | None = None, weights=None):
    """Weighted mean over ``axis``: ``sum(x * w) / sum(w)``; the result is a float.

    Args:
        x: input tensor.
        axis: the axis to average over (all when ``None``).
        weights: ``None``, a tensor of ``x``'s shape, or a 1-D tensor of length ``x.shape[axis]``.

    Returns:
        A float tensor: the shape of ``x`` without ``axis`` (a scalar when ``axis`` is ``None``).

    Example:
    >>> ops.average([1.0, 2.0, 4.0], weights=[1.0, 1.0, 2.0])   # 2.75
    """


@backend_op("numpy", spec=_bincount_spec)
def bincount(x, weights=None, minlength: int = 0, sparse: bool = False):
    """Count occurrences of each non-negative integer in ``x`` (1-D, or 2-D counted per row).

    The result has ``max(max(x) + 1, minlength)`` bins; it is int32, or the dtype of ``x`` and
    ``weights`` together when ``weights`` are given.

    Args:
        x: non-negative integer tensor, 1-D, or 2-D to count each row separately.
        weights: optional tensor of the shape of ``x``: each occurrence adds its weight instead of 1.
        minlength: the smallest length of the result (default 0); it is longer if ``x`` holds larger values.
        sparse: if ``True``, return a sparse tensor (on engines that support them).

    Returns:
        A tensor of length ``max(max(x) + 1, minlength)`` on the last axis (one row per row of a 2-D ``x``):
            ``int32`` counts, or sums in the dtype of ``weights``.

    Example:
    >>> ops.bincount([0, 1, 1, 3])   # [1, 2, 0, 1]
    """


@backend_op("linalg", name="slogdet")
def slogdet(x):
    """Sign and ``log|det|`` of square matrices ``(..., M, M)``: a pair of tensors of shape ``(...)``.

    Args:
        x: a tensor of square matrices, shape ``(..., M, M)``.

    Returns:
        A tuple ``(sign, logabsdet)`` of tensors of shape ``(...)``: the sign of each determinant (0 for a singular
            matrix) and the natural log of its absolute value.

    Example:
    >>> sign, logabsdet = ops.slogdet(np.eye(3) * 2.0)   # 1.0, log(8)
    """
