"""Random sampling ops with Keras 3's signatures (``brickwork.random.normal``, …).

``seed`` is an int (the same numbers every call), a ``SeedGenerator`` (new numbers
every call, reproducible from its seed) or ``None`` (the global generator).
"""

from __future__ import annotations

import numpy as np

from brickwork import backend
from brickwork.random.seed_generator import draw_seed

_random = backend.active.random


def _float_dtype(dtype, op: str) -> str:
    dtype = backend.standardize_dtype(dtype)
    if not backend.is_float(dtype):
        raise ValueError(f"`keras.random.{op}` requires a floating point `dtype`. Received: dtype={dtype}")
    return dtype


def _shape(shape, op: str) -> tuple:
    if isinstance(shape, int):
        return (shape,)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"random.{op}: `shape` must be a tuple of ints, received {shape!r}.") from None


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution.

    Args:
        shape: the output shape.
        mean, stddev: the distribution's mean and standard deviation.
        dtype: a float dtype (default floatx).
        seed: an int, a ``SeedGenerator`` or ``None``.

    Returns:
        A tensor of ``shape`` and ``dtype`` holding the samples.

    Example:
    >>> brickwork.random.normal((2, 3), seed=1)
    """
    return _random.normal(_shape(shape, "normal"), mean, stddev, _float_dtype(dtype, "normal"), draw_seed(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from a uniform distribution on ``[minval, maxval)``.

    Args:
        shape: the shape of the result.
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        dtype: the result's dtype (default: ``floatx()`` for floats).
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Returns:
        A tensor of ``shape``.

    Example:
        uniform((2, 3), minval=-1.0, maxval=1.0, seed=1).shape   # (2, 3)
    """
    return _random.uniform(_shape(shape, "uniform"), minval, maxval, _float_dtype(dtype, "uniform"),
                           draw_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution, redrawing values more than two ``stddev`` from ``mean``.

    Args:
        shape: the shape of the result.
        mean: the distribution's mean.
        stddev: its standard deviation.
        dtype: the result's dtype (default: ``floatx()`` for floats).
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Returns:
        A tensor of ``shape``.

    Example:
        values = truncated_normal((1000,), stddev=0.5, seed=1)
        float(ops.max(ops.abs(values))) <= 1.0   # True: never past two stddev
    """
    return _random.truncated_normal(_shape(shape, "truncated_normal"), mean, stddev,
                                    _float_dtype(dtype, "truncated_normal"), draw_seed(seed))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Samples integers uniformly from ``[minval, maxval)``.

    Args:
        shape: the shape of the result.
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        dtype: the result's dtype (default: ``floatx()`` for floats).
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Returns:
        A tensor of ``shape``.

    Example:
        randint((4,), minval=0, maxval=10, seed=1)   # four ints in [0, 10)
    """
    dtype = backend.standardize_dtype(dtype)
    if not backend.is_int(dtype):
        raise ValueError(f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype}")
    return _random.randint(_shape(shape, "randint"), minval, maxval, dtype, draw_seed(seed))


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Samples class indices from each row of 2-D ``logits`` (unnormalized log-probabilities).

    Returns:
        An integer tensor of shape ``(batch_size, num_samples)``.

    Args:
        logits: ``(batch, classes)`` unnormalized log-probabilities.
        num_samples: draws per row.
        dtype: the result's dtype (default: ``floatx()`` for floats).
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Example:
        categorical(np.log([[0.1, 0.9]]), num_samples=5, seed=1).shape   # (1, 5), mostly class 1
    """
    shape = tuple(logits.shape) if hasattr(logits, "shape") else np.shape(logits)
    if len(shape) != 2:
        raise ValueError(
            f"random.categorical: `logits` must be a 2-D tensor (batch_size, num_classes), received shape {shape}."
        )
    return _random.categorical(logits, int(num_samples), backend.standardize_dtype(dtype), draw_seed(seed))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero each entry with probability ``rate`` and scale the rest by ``1 / (1 - rate)``.

    Args:
        noise_shape: the shape of the keep mask, broadcast to ``inputs``; ``None`` dims take
            the input's size.

    Returns:
        A tensor.

    Example:
        dropout(np.ones((2, 4)), rate=0.5, seed=1)   # entries 0. or 2.
    """
    if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
        raise ValueError(f"random.dropout: `rate` must be in [0, 1], received {rate!r}.")
    if isinstance(rate, (int, float)) and rate == 1:  # everything dropped (no 1 / 0 scale)
        return backend.convert_to_tensor(inputs) * 0
    return _random.dropout(inputs, rate, noise_shape, draw_seed(seed))


def shuffle(x, axis=0, seed=None):
    """Shuffle ``x`` along ``axis``, uniformly at random.

    Args:
        x: the tensor to shuffle.
        axis: the axis whose entries are permuted.
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Returns:
        A tensor.

    Example:
        shuffle(np.arange(5), seed=1)   # the five values in a new order
    """
    return _random.shuffle(x, axis, draw_seed(seed))


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the Gamma distribution with concentration ``alpha`` and rate 1.

    Args:
        shape: the shape of the result.
        alpha: the shape parameter alpha.
        dtype: the result's dtype (default: ``floatx()`` for floats).
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Returns:
        A tensor of ``shape``.

    Example:
        gamma((3,), alpha=2.0, seed=1).shape   # (3,)
    """
    return _random.gamma(_shape(shape, "gamma"), alpha, _float_dtype(dtype, "gamma"), draw_seed(seed))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples the number of successes in ``counts`` trials of probability ``probabilities``.

    Args:
        shape: the shape of the result.
        counts: the number of trials.
        probabilities: the success probability of each trial.
        dtype: the result's dtype (default: ``floatx()`` for floats).
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Returns:
        A tensor of ``shape``.

    Example:
        binomial((3,), counts=10, probabilities=0.5, seed=1)   # three draws in [0, 10]
    """
    return _random.binomial(_shape(shape, "binomial"), counts, probabilities,
                            _float_dtype(dtype, "binomial"), draw_seed(seed))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the Beta distribution with parameters ``alpha`` and ``beta``.

    Args:
        shape: the shape of the result.
        alpha: the shape parameter alpha.
        beta: the shape parameter beta.
        dtype: the result's dtype (default: ``floatx()`` for floats).
        seed: an int, a ``SeedGenerator``, or ``None`` (a fresh draw from the global generator).

    Returns:
        A tensor of ``shape``.

    Example:
        beta((3,), alpha=2.0, beta=5.0, seed=1)   # three values in [0, 1]
    """
    return _random.beta(_shape(shape, "beta"), alpha, beta, _float_dtype(dtype, "beta"), draw_seed(seed))
