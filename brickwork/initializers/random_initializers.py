"""Initializers that draw random values: RandomNormal/Uniform, TruncatedNormal, VarianceScaling
and its named forms (Glorot, He, Lecun), Orthogonal.

As in Keras 3, an initializer seeded with an int, or unseeded, returns the same values on
every call (two with the same int seed agree); pass a ``SeedGenerator`` for new values each call.
"""

from __future__ import annotations

import math

from brickwork import ops, random
from brickwork.initializers.initializer import Initializer
from brickwork.random.seed_generator import SeedGenerator, make_default_seed


class RandomInitializer(Initializer):
    """Base of the random initializers: holds the seed.

    Args:
        seed: an int, a ``SeedGenerator``, its config dict, or ``None`` (a random int, fixed now).
    """

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = make_default_seed()
        elif isinstance(seed, dict):
            seed = SeedGenerator.from_config(seed.get("config", seed))
        elif isinstance(seed, bool) or not isinstance(seed, (int, SeedGenerator)):
            raise ValueError(
                f"{type(self).__name__}: `seed` must be an int, a SeedGenerator or None, received {seed!r}."
            )
        self.seed = seed

    def get_config(self) -> dict:
        seed = self._init_seed
        if isinstance(seed, SeedGenerator):
            seed = {"module": "keras.random", "class_name": "SeedGenerator", "config": seed.get_config(),
                    "registered_name": None}
        return {"seed": seed}


class RandomNormal(RandomInitializer):
    """Samples from a normal distribution.

    Args:
        mean, stddev: the distribution's mean and standard deviation.
        seed: an int, a ``SeedGenerator`` or ``None``.

    Example:
        init = RandomNormal(mean=0.0, stddev=0.05, seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """Samples from a normal distribution, redrawing values more than two ``stddev`` from ``mean``.

    Args:
        mean: the distribution's mean.
        stddev: the standard deviation of the normal, before truncation.
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.

    Example:
        init = TruncatedNormal(stddev=0.05, seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    """Samples uniformly from ``[minval, maxval)``.

    Args:
        minval: the lower bound.
        maxval: the upper bound (excluded).
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.

    Example:
        init = RandomUniform(minval=-0.1, maxval=0.1, seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(shape, minval=self.minval, maxval=self.maxval, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


def compute_fans(shape, input_axes=None, output_axes=None) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shape; conv kernels ``(..., in, out)`` count the receptive field.

    ``input_axes``/``output_axes`` name the axes that count as inputs and outputs instead, for weights
    such as einsum kernels: ``compute_fans((512, 8, 64), [0], [1, 2])`` is ``(512, 512)``.

    Args:
        shape: the kernel's shape.
        input_axes: the kernel axes that count toward fan-in (default: all but the last).
        output_axes: the kernel axes that count toward fan-out (default: the last).

    Returns:
        ``(fan_in, fan_out)``, two ints.

    Example:
        compute_fans((3, 3, 16, 32))   # (144, 288): a 3x3 convolution from 16 to 32 channels
    """
    shape = tuple(shape)
    fan_in, fan_out = _default_fans(shape)
    if input_axes is not None:
        fan_in = math.prod(int(shape[a]) for a in input_axes)
    if output_axes is not None:
        fan_out = math.prod(int(shape[a]) for a in output_axes)
    return int(fan_in), int(fan_out)


def _default_fans(shape: tuple) -> tuple[int, int]:
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")
# The stddev of a standard normal truncated to [-2, 2]; dividing by it restores the asked variance.
_TRUNCATED_STDDEV = 0.87962566103423978


class VarianceScaling(RandomInitializer):
    """Scales the distribution to the weight's fans: variance ``scale / n``.

    ``n`` is ``fan_in``, ``fan_out`` or their mean (``mode``). Normal distributions get
    ``stddev = sqrt(scale / n)``; ``"uniform"`` draws from ``[-limit, limit]`` with
    ``limit = sqrt(3 * scale / n)``.

    Args:
        scale: a positive factor.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"`` (alias ``"normal"``), ``"untruncated_normal"`` or ``"uniform"``.
        seed: an int, a ``SeedGenerator`` or ``None``.

    Example:
        init = VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None, input_axes=None,
                 output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. VarianceScaling received scale={scale!r}.")
        if mode not in _MODES:
            raise ValueError(f"Invalid `mode` argument: {mode!r}. VarianceScaling expects one of {_MODES}.")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution!r}. VarianceScaling expects one of {_DISTRIBUTIONS}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = None if input_axes is None else [int(a) for a in input_axes]
        self.output_axes = None if output_axes is None else [int(a) for a in output_axes]
        super().__init__(seed=seed)

    def _fans(self, shape) -> tuple:
        """Fans from the weight's shape; ``input_axes``/``output_axes`` (Keras 3.15) name the axes that
        count as inputs and outputs, for weights such as einsum kernels."""
        return compute_fans(shape, self.input_axes, self.output_axes)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = self._fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_STDDEV
            return random.truncated_normal(shape, mean=0.0, stddev=stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, mean=0.0, stddev=math.sqrt(variance), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random.uniform(shape, minval=-limit, maxval=limit, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                **super().get_config(), "input_axes": self.input_axes, "output_axes": self.output_axes}


class _NamedVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed arguments; only ``seed`` is configurable."""

    _ARGS: dict = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(seed=seed, input_axes=input_axes, output_axes=output_axes, **self._ARGS)

    def get_config(self) -> dict:
        return {**RandomInitializer.get_config(self), "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class GlorotUniform(_NamedVarianceScaling):
    """Uniform on ``[-limit, limit]``, ``limit = sqrt(6 / (fan_in + fan_out))`` (Xavier uniform).

    Args:
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.
        input_axes: the kernel axes that count toward fan-in (default: all but the last).
        output_axes: the kernel axes that count toward fan-out (default: the last).

    Example:
        init = GlorotUniform(seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    _ARGS = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class GlorotNormal(_NamedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))`` (Xavier normal).

    Args:
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.
        input_axes: the kernel axes that count toward fan-in (default: all but the last).
        output_axes: the kernel axes that count toward fan-out (default: the last).

    Example:
        init = GlorotNormal(seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    _ARGS = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


class LecunNormal(_NamedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(1 / fan_in)``.

    Args:
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.
        input_axes: the kernel axes that count toward fan-in (default: all but the last).
        output_axes: the kernel axes that count toward fan-out (default: the last).

    Example:
        init = LecunNormal(seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    _ARGS = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


class LecunUniform(_NamedVarianceScaling):
    """Uniform on ``[-limit, limit]``, ``limit = sqrt(3 / fan_in)``.

    Args:
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.
        input_axes: the kernel axes that count toward fan-in (default: all but the last).
        output_axes: the kernel axes that count toward fan-out (default: the last).

    Example:
        init = LecunUniform(seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    _ARGS = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


class HeNormal(_NamedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / fan_in)``.

    Args:
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.
        input_axes: the kernel axes that count toward fan-in (default: all but the last).
        output_axes: the kernel axes that count toward fan-out (default: the last).

    Example:
        init = HeNormal(seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    _ARGS = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


class HeUniform(_NamedVarianceScaling):
    """Uniform on ``[-limit, limit]``, ``limit = sqrt(6 / fan_in)``.

    Args:
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.
        input_axes: the kernel axes that count toward fan-in (default: all but the last).
        output_axes: the kernel axes that count toward fan-out (default: the last).

    Example:
        init = HeUniform(seed=1)
        init(shape=(2, 3)).shape   # (2, 3)
        layer = keras.layers.Dense(3, kernel_initializer=init)
    """

    _ARGS = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


class Orthogonal(RandomInitializer):
    """An orthogonal matrix (from the QR decomposition of a normal sample), times ``gain``.

    Shapes of rank > 2 are treated as ``(prod(shape[:-1]), shape[-1])`` matrices. With fewer
    rows than columns the rows are orthonormal, otherwise the columns.

    Args:
        gain: the factor on the matrix.
        seed: an int, a ``SeedGenerator`` or ``None``, for repeatable values.

    Example:
        w = ops.convert_to_numpy(Orthogonal(seed=1)(shape=(3, 3)))
        np.allclose(w @ w.T, np.eye(3), atol=1e-5)   # True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                f"Orthogonal initializer: the shape must have rank >= 2, received shape={tuple(shape)}."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        sample = random.normal((max(rows, cols), min(rows, cols)), dtype=dtype, seed=self.seed)
        q, r = ops.qr(sample)
        # Fixing the signs of diag(r) makes the decomposition unique, hence Q uniformly distributed
        # (a zero on the diagonal counts as positive, so no column is lost).
        q = q * (ops.cast(ops.diag(r) >= 0, ops.dtype(q)) * 2.0 - 1.0)
        if rows < cols:
            q = ops.transpose(q)
        return self.gain * ops.reshape(q, shape)

    def get_config(self) -> dict:
        return {"gain": self.gain, **super().get_config()}
