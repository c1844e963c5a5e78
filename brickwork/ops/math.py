"""Math ops beyond NumPy's: segment reductions, top-k, logsumexp, Fourier transforms, special functions.

``qr`` lives in ``brickwork.ops.linalg`` and is re-exported here, as Keras 3 has it in both places.
"""

from __future__ import annotations

import numpy as _np

from brickwork.backend import KerasTensor as _KerasTensor
from brickwork.backend.common.dtypes import promote_types as _result_type
from brickwork.backend import standardize_dtype as _standardize_dtype
from brickwork.ops import core as _core
from brickwork.ops import numpy_arrays as _arrays
from brickwork.ops import numpy_math as _math
from brickwork.ops._dispatch import backend_op
from brickwork.ops.linalg import qr  # noqa: F401


# ---- argument checks, run on concrete and symbolic calls alike (Keras's own words, for code that matches them) ----


def _shape(x) -> tuple:
    return tuple(x.shape) if hasattr(x, "shape") else _np.shape(x)


def _check_rank(op: str, x, rank: int) -> None:
    if len(_shape(x)) < rank:
        raise ValueError(f"ops.{op}: Input should have rank >= {rank}. Received: input.shape = {_shape(x)}")


def _complex_pair(op: str, x, rank: int):
    """The ``(real, imag)`` pair ``x``, checked: two tensors of one shape, of rank ``rank`` or more."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        received = f"a {type(x).__name__} of {len(x)} tensors" if isinstance(x, (tuple, list)) else type(x).__name__
        raise ValueError(f"ops.{op}: Input `x` should be a tuple of two tensors - real and imaginary. "
                         f"Received: {received}")
    real, imag = x
    if _shape(real) != _shape(imag):
        raise ValueError(f"ops.{op}: Input `x` should be a tuple of two tensors - real and imaginary. Both the real "
                         f"and imaginary parts should have the same shape. Received: x[0].shape = {_shape(real)}, "
                         f"x[1].shape = {_shape(imag)}")
    _check_rank(op, real, rank)
    return real


def _check_fully_defined(op: str, shape: tuple, axes: int) -> None:
    if any(size is None for size in shape[-axes:]):
        which = "last dimension" if axes == 1 else f"last {axes} axes"
        raise ValueError(f"ops.{op}: Input should have its {which} fully-defined (the transform's length). "
                         f"Received: input.shape = {shape}")


def _check_stride(op: str, sequence_stride) -> None:
    if not isinstance(sequence_stride, int) or isinstance(sequence_stride, bool) or sequence_stride <= 0:
        raise ValueError(f"ops.{op}: `sequence_stride` must be a positive integer. "
                         f"Received: sequence_stride={sequence_stride!r}")


def _check_window(op: str, window, sequence_length: int) -> None:
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f'ops.{op}: If a string is passed to `window`, it must be one of `"hann"`, `"hamming"`. '
                             f"Received: window={window!r}")
    elif window is not None and _shape(window) != (sequence_length,):
        raise ValueError(f"ops.{op}: The shape of `window` must be equal to [sequence_length] = [{sequence_length}]. "
                         f"Received: window shape={_shape(window)}")


def _check_segments(data, segment_ids, num_segments=None, sorted=False) -> None:
    ids_shape, data_shape = _shape(segment_ids), _shape(data)
    if len(ids_shape) != 1:
        raise ValueError(f"Argument `segment_ids` should be an 1-D vector, got shape: {ids_shape}. Flatten both "
                         "(segment_ids.reshape(-1) and data.reshape((-1,) + data.shape[segment_ids.ndim:])) or "
                         "vectorize with vectorized_map.")
    if not data_shape or None not in (ids_shape[0], data_shape[0]) and ids_shape[0] != data_shape[0]:
        raise ValueError(f"Argument `segment_ids` and `data` should have same leading dimension. "
                         f"Got {ids_shape} v.s. {data_shape}.")


def _check_extract_sequences(x, sequence_length, sequence_stride) -> None:
    _check_rank("extract_sequences", x, 1)


def _check_fft(x) -> None:
    _check_fully_defined("fft", _shape(_complex_pair("fft", x, 1)), 1)


def _check_fft2(x) -> None:
    _check_fully_defined("fft2", _shape(_complex_pair("fft2", x, 2)), 2)


def _check_ifft2(x) -> None:
    _check_fully_defined("ifft2", _shape(_complex_pair("ifft2", x, 2)), 2)


def _check_rfft(x, fft_length=None) -> None:
    _check_rank("rfft", x, 1)


def _check_irfft(x, fft_length=None) -> None:
    _complex_pair("irfft", x, 1)


def _check_stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True) -> None:
    _check_stride("stft", sequence_stride)
    dtype = _standardize_dtype(x.dtype) if hasattr(x, "dtype") else _standardize_dtype(_np.asarray(x).dtype)
    if dtype not in ("float32", "float64"):
        raise TypeError(f"ops.stft: Invalid input type. Expected `float32` or `float64`. Received: input type={dtype}")
    if fft_length < sequence_length:
        raise ValueError(f"ops.stft: `fft_length` must equal or larger than `sequence_length`. "
                         f"Received: sequence_length={sequence_length}, fft_length={fft_length}")
    _check_window("stft", window, sequence_length)


def _check_istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True) -> None:
    _check_stride("istft", sequence_stride)
    _complex_pair("istft", x, 2)
    _check_window("istft", window, sequence_length)


def _segment_spec(data, segment_ids, num_segments=None, sorted=False):
    # Without num_segments the output length depends on the values of segment_ids.
    return _KerasTensor((num_segments,) + tuple(data.shape[1:]), dtype=data.dtype)


@backend_op("math", spec=_segment_spec, check=_check_segments)
def segment_sum(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Sum of the rows of ``data`` that share a segment id.

    Args:
        data: tensor of shape ``(n, ...)``.
        segment_ids: int tensor of shape ``(n,)``; ids outside ``[0, num_segments)`` are dropped.
        num_segments: number of segments (default: ``max(segment_ids) + 1``, read from the data).
        sorted: whether ``segment_ids`` is sorted (a hint only).

    Returns:
        A tensor of shape ``(num_segments, ...)`` and the dtype of ``data``.

    Example:
    >>> ops.segment_sum([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3)   # [3, 30, 300]
    """


@backend_op("math", spec=_segment_spec, check=_check_segments)
def segment_max(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Maximum of the rows of ``data`` that share a segment id (empty segments hold the dtype's lowest value).

    Args: as ``segment_sum``.

    Returns:
        A tensor ``(num_segments,) + data.shape[1:]`` in the dtype of ``data``.

    Example:
    >>> ops.segment_max([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3)   # [2, 20, 200]
    """


@backend_op("math", spec=_segment_spec, check=_check_segments)
def segment_min(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Minimum of the rows of ``data`` that share a segment id (empty segments hold the dtype's highest value).

    Args: as ``segment_sum``.

    Returns:
        A tensor ``(num_segments,) + data.shape[1:]`` in the dtype of ``data``.

    Example:
    >>> ops.segment_min([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3)   # [1, 10, 100]
    """


@backend_op("math", spec=_segment_spec, check=_check_segments)
def segment_prod(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Product of the rows of ``data`` that share a segment id (empty segments hold 1).

    Args: as ``segment_sum``.

    Returns:
        A tensor ``(num_segments,) + data.shape[1:]`` in the dtype of ``data``.

    Example:
    >>> ops.segment_prod([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3)   # [2, 200, 20000]
    """


@backend_op("math")
def top_k(x, k: int, sorted: bool = True):
    """The ``k`` largest values along the last axis and their int32 indices, largest first.

    Among equal values the lower index comes first. ``sorted=False`` is accepted; the result is
    sorted anyway.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        k: how many values to keep, at most the size of the last axis.
        sorted: if ``True`` (default), the values come largest first; if ``False``, their order is unspecified.

    Returns:
        A pair ``(values, indices)``, each of shape ``x.shape[:-1] + (k,)``: the values in the dtype of ``x``, the
            indices ``int32``.

    Example:
    >>> values, indices = ops.top_k([5, 2, 7, 1, 9, 3], k=3)   # [9, 7, 5], [4, 2, 0]
    """


@backend_op("math")
def in_top_k(targets, predictions, k: int):
    """Whether each target's prediction is among the ``k`` largest of its row (a bool tensor).

    Args:
        targets: int tensor of class indices, shape ``(batch,)``.
        predictions: tensor of scores, shape ``(batch, classes)``.
        k: how many of the top predictions count.

    Ties count in the target's favour; a NaN prediction at the target never counts.

    Returns:
        A ``bool`` tensor of the shape of ``targets``.

    Example:
    >>> ops.in_top_k([2, 0], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]], k=1)   # [True, True]
    """


@backend_op("math")
def logsumexp(x, axis=None, keepdims: bool = False):
    """``log(sum(exp(x), axis))``, computed stably; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A float tensor of the shape of ``x`` without the reduced axes (integer inputs give floatx).

    Example:
    >>> ops.logsumexp([1.0, 2.0, 3.0])   # 3.407606
    """


@backend_op("math", check=_check_extract_sequences)
def extract_sequences(x, sequence_length: int, sequence_stride: int):
    """Windows of ``sequence_length`` every ``sequence_stride`` steps along the last axis.

    Args:
        x: a tensor ``(..., length)``.
        sequence_length: the length of each window.
        sequence_stride: the step between the starts of consecutive windows.

    Returns:
        A tensor of shape ``(..., num_sequences, sequence_length)`` with
            ``num_sequences = 1 + (x.shape[-1] - sequence_length) // sequence_stride``.

    Example:
    >>> ops.extract_sequences([1, 2, 3, 4, 5, 6], 3, 2)   # [[1, 2, 3], [3, 4, 5]]
    """


@backend_op("math", check=_check_fft)
def fft(x):
    """Fast Fourier transform along the last axis.

    Args:
        x: a tuple ``(real, imag)`` of float tensors of the same shape.

    Returns:
        A tuple ``(real, imag)`` of the transform.

    Example:
    >>> real, imag = ops.fft((np.array([1.0, 2.0, 3.0, 4.0]), np.zeros(4)))
    >>> real, imag   # ([10.0, -2.0, -2.0, -2.0], [0.0, 2.0, 0.0, -2.0])
    """


@backend_op("math", check=_check_fft2)
def fft2(x):
    """2-D fast Fourier transform along the last two axes of ``x = (real, imag)``; returns ``(real, imag)``.

    Args:
        x: a pair ``(real, imag)`` of float tensors of one shape, the signal's real and imaginary parts.

    Returns:
        A pair ``(real, imag)`` of float tensors of the shape of the inputs.

    Example:
    >>> real, imag = ops.fft2((np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))))
    >>> real   # [[10.0, -2.0], [-4.0, 0.0]]
    """


@backend_op("math", check=_check_ifft2)
def ifft2(x):
    """Inverse 2-D fast Fourier transform along the last two axes of ``x = (real, imag)``.

    Args:
        x: a pair ``(real, imag)`` of float tensors of one shape, the spectrum's real and imaginary parts.

    Returns:
        A pair ``(real, imag)`` of float tensors of the shape of the inputs.

    Example:
    >>> real, imag = ops.ifft2((np.array([[10.0, -2.0], [-4.0, 0.0]]), np.zeros((2, 2))))
    >>> real   # [[1.0, 2.0], [3.0, 4.0]]
    """


@backend_op("math", check=_check_rfft)
def rfft(x, fft_length: int | None = None):
    """Fourier transform of a real signal along the last axis: the ``fft_length // 2 + 1`` unique terms.

    Args:
        x: real tensor; the last axis is cropped or zero-padded to ``fft_length``.
        fft_length: transform length (default ``x.shape[-1]``).

    Returns:
        A tuple ``(real, imag)`` of shape ``(..., fft_length // 2 + 1)``.

    Example:
    >>> real, imag = ops.rfft(np.array([1.0, 2.0, 3.0, 4.0]))
    >>> real, imag   # ([10.0, -2.0, -2.0], [0.0, 2.0, 0.0])
    """


@backend_op("math", check=_check_irfft)
def irfft(x, fft_length: int | None = None):
    """Inverse of ``rfft``: a real signal of length ``fft_length`` (default ``2 * (n - 1)``) from ``(real, imag)``.

    Args:
        x: a pair ``(real, imag)`` of float tensors ``(..., n)``: the half spectrum that ``rfft`` returns.
        fft_length: the length of the output signal; ``None`` (default) for ``2 * (n - 1)``.

    Returns:
        A float tensor ``(..., fft_length)``: the real signal.

    Example:
    >>> ops.irfft((np.array([10.0, -2.0, -2.0]), np.array([0.0, 2.0, 0.0])))   # [1.0, 2.0, 3.0, 4.0]
    """


@backend_op("math", check=_check_stft)
def stft(x, sequence_length: int, sequence_stride: int, fft_length: int, window="hann", center: bool = True):
    """Short-time Fourier transform along the last axis.

    Args:
        x: float32 or float64 signal, shape ``(..., samples)`` (other dtypes raise a TypeError, as in Keras).
        sequence_length: window length.
        sequence_stride: hop between windows (a positive integer).
        fft_length: FFT size (>= ``sequence_length``; the window is zero-padded to it, centred).
        window: ``"hann"``, ``"hamming"`` (both periodic), a tensor of shape ``(sequence_length,)``
            or ``None`` for no window.
        center: pad ``x`` by ``fft_length // 2`` on both sides (reflection) so that frame ``t``
            is centred at ``t * sequence_stride``.

    Returns:
        A tuple ``(real, imag)`` of shape ``(..., num_sequences, fft_length // 2 + 1)``.

    Example:
    >>> real, imag = ops.stft(np.ones((1, 16)), sequence_length=8, sequence_stride=4, fft_length=8)
    >>> real.shape   # (1, 5, 5)
    """


@backend_op("math", check=_check_istft)
def istft(x, sequence_length: int, sequence_stride: int, fft_length: int, length: int | None = None,
          window="hann", center: bool = True):
    """Inverse of ``stft`` (overlap-add, divided by the overlapped squared window; with ``window=None``,
    overlap-add only, as in Keras).

    Args:
        x: a tuple ``(real, imag)`` of shape ``(..., num_sequences, fft_length // 2 + 1)``.
        length: crop the result to this many samples (default: all the frames cover).
        sequence_length, sequence_stride, fft_length, window, center: as given to ``stft``.

    Returns:
        A float tensor ``(..., samples)`` (``length`` samples when given): the real signal.

    Example:
    >>> x = np.random.default_rng(0).normal(size=(1, 16))
    >>> spec = ops.stft(x, sequence_length=8, sequence_stride=4, fft_length=8)
    >>> ops.istft(spec, sequence_length=8, sequence_stride=4, fft_length=8).shape   # (1, 16)
    """


@backend_op("math")
def rsqrt(x):
    """``1 / sqrt(x)`` element-wise; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.rsqrt([4.0, 16.0])   # [0.5, 0.25]
    """


@backend_op("math")
def erf(x):
    """The error function, element-wise; integer inputs give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.erf([0.0, 0.5, 1.0])   # [0.0, 0.5205, 0.8427]
    """


@backend_op("math")
def erfc(x):
    """The complementary error function ``1 - erf(x)``, accurate where ``erf(x)`` is near 1; integers give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.erfc([0.0, 3.0])   # [1.0, 2.209e-05]
    """


@backend_op("math")
def erfinv(x):
    """The inverse error function, element-wise (``±inf`` at ``±1``, NaN outside ``[-1, 1]``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.erfinv([0.0, 0.5])   # [0.0, 0.4769]
    """


@backend_op("math")
def logdet(x):
    """``log|det(x)|`` of square matrices ``(..., M, M)``, computed stably.

    For a positive-definite ``x``, the log-determinant.

    Args:
        x: a tensor of square matrices ``(..., M, M)`` (positive-definite for a real result).

    Returns:
        A float tensor of shape ``(...)``.

    Example:
    >>> ops.logdet([[2.0, 0.0], [0.0, 3.0]])   # 1.792
    """


# ---- complex views and distances ----


@backend_op("math")
def view_as_complex(x):
    """A real tensor ``(..., 2)`` of (real, imaginary) pairs as a complex tensor ``(...)`` (``torch.view_as_complex``).

    The result is complex64 whatever the input's dtype, as in Keras.

    Args:
        x: a float tensor whose last axis has length 2: (real, imaginary).

    Returns:
        A complex tensor of shape ``x.shape[:-1]`` (``complex64`` for ``float32`` input, ``complex128``
            for ``float64``).

    Example:
    >>> ops.view_as_complex(np.array([[1.0, 2.0], [3.0, 4.0]]))   # [1+2j, 3+4j]
    """


@backend_op("math")
def view_as_real(x):
    """A complex tensor ``(...)`` as a real tensor ``(..., 2)`` of its (real, imaginary) parts.

    Args:
        x: a complex tensor.

    Returns:
        A float tensor of shape ``x.shape + (2,)``.

    Example:
    >>> ops.view_as_real(np.array([1 + 2j, 3 + 4j]))   # [[1., 2.], [3., 4.]]
    """


def cdist(x, y):
    """Euclidean distances between the rows of ``x`` ``(..., m, d)`` and of ``y`` ``(..., n, d)``: ``(..., m, n)``.

    Leading (batch) axes broadcast; integers give floatx.

    Args:
        x: points ``(..., m, d)``, one per row.
        y: points ``(..., n, d)``, one per row; leading axes broadcast against ``x``.

    Returns:
        A float tensor of shape ``(..., m, n)``: entry ``(i, j)`` is the distance from ``x[..., i, :]`` to
            ``y[..., j, :]``.

    Example:
    >>> ops.cdist([[0.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])   # [[1., 1.], [1., 1.4142]]
    """
    x = x if hasattr(x, "shape") and hasattr(x, "dtype") else _core.convert_to_tensor(x)
    y = y if hasattr(y, "shape") and hasattr(y, "dtype") else _core.convert_to_tensor(y)
    if len(x.shape) < 2 or len(y.shape) < 2:
        raise ValueError(f"cdist: expected inputs of rank 2 or more, received shapes x={tuple(x.shape)}, "
                         f"y={tuple(y.shape)}")
    if x.shape[-1] is not None and y.shape[-1] is not None and x.shape[-1] != y.shape[-1]:
        raise ValueError(f"cdist: the last dimensions of x and y must match, received shapes x={tuple(x.shape)}, "
                         f"y={tuple(y.shape)}")
    dtype = _result_type(_core.dtype(x), _core.dtype(y), float)
    difference = _math.subtract(_arrays.expand_dims(_core.cast(x, dtype), -2),
                                _arrays.expand_dims(_core.cast(y, dtype), -3))
    return _math.sqrt(_math.sum(_math.square(difference), axis=-1))
