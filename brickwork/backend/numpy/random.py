"""numpy backend: random ops.

Each function takes a drawn ``seed`` (an array ``[seed, counter]`` from
``brickwork.random.draw_seed``) and samples from ``np.random.default_rng(seed)``.

Written once where shared in ``common/random_ops.py`` against ``xp`` and included here with
``xp = numpy`` (see ``common/binding.py``); the rest is numpy's own.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend.common.binding import include
from brickwork.backend.common.dtypes import to_numpy_dtype
from brickwork.backend.numpy.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/random_ops.py runs on
include("random_ops", globals())


def random_seed_dtype() -> str:
    return "uint32"


def is_tracing() -> bool:
    return False


def seed_engine(seed: int) -> None:
    """NumPy's legacy global generator is seeded by ``set_random_seed`` itself."""


def _rng(seed) -> np.random.Generator:
    return np.random.default_rng([int(v) for v in np.asarray(seed).reshape(-1)])


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    return (_rng(seed).standard_normal(tuple(shape)) * stddev + mean).astype(to_numpy_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype="float32", seed=None):
    return _rng(seed).uniform(minval, maxval, tuple(shape)).astype(to_numpy_dtype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    rng = _rng(seed)
    x = rng.standard_normal(tuple(shape))
    outside = np.abs(x) > 2.0
    while outside.any():  # redraw the values beyond two standard deviations
        x[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(x) > 2.0
    return (x * stddev + mean).astype(to_numpy_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return _rng(seed).integers(minval, maxval, tuple(shape)).astype(to_numpy_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = np.asarray(convert_to_tensor(logits), dtype=np.float64)
    probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
    cumulative = np.cumsum(probs / probs.sum(axis=-1, keepdims=True), axis=-1)
    draws = _rng(seed).random((logits.shape[0], num_samples))
    # The sample is the first class whose cumulative probability exceeds the draw.
    samples = np.sum(cumulative[:, None, :] <= draws[:, :, None], axis=-1)
    return np.minimum(samples, logits.shape[-1] - 1).astype(to_numpy_dtype(dtype))


def _keep_mask(seed, keep, shape):
    return _rng(seed).random(shape) < keep


def shuffle(x, axis=0, seed=None):
    return _rng(seed).permutation(convert_to_tensor(x), axis=axis)


def gamma(shape, alpha, dtype="float32", seed=None):
    return _rng(seed).gamma(np.asarray(alpha), 1.0, tuple(shape)).astype(to_numpy_dtype(dtype))


def binomial(shape, counts, probabilities, dtype="float32", seed=None):
    sample = _rng(seed).binomial(np.asarray(counts), np.asarray(probabilities), tuple(shape))
    return sample.astype(to_numpy_dtype(dtype))


def beta(shape, alpha, beta, dtype="float32", seed=None):
    return _rng(seed).beta(np.asarray(alpha), np.asarray(beta), tuple(shape)).astype(to_numpy_dtype(dtype))
