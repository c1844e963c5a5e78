"""jax backend: random ops.

Each function takes a drawn ``seed`` (a uint32 array ``[seed, counter]`` from
``brickwork.random.draw_seed``) and uses it as the ``jax.random`` key, so sampling is
a pure function of the seed and works under ``jax.jit``.

Written once where shared in ``common/random_ops.py`` against ``xp`` and included here with
``xp = jax.numpy`` (see ``common/binding.py``); the rest is jax's own.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from brickwork.backend.common.binding import include
from brickwork.backend.jax.core import convert_to_tensor, to_jax_dtype

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/random_ops.py runs on
include("random_ops", globals())


def random_seed_dtype() -> str:
    """The dtype of seed tensors (a raw threefry key is two uint32)."""
    return "uint32"


def is_tracing() -> bool:
    """True inside ``jax.jit``/``grad`` tracing, where an unseeded draw would be baked in."""
    return isinstance(jnp.zeros(()), jax.core.Tracer)


def seed_engine(seed: int) -> None:
    """JAX has no global generator; nothing to seed."""


def _key(seed):
    return seed if seed.dtype == jnp.uint32 else seed.astype(jnp.uint32)


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    dtype = to_jax_dtype(dtype)
    return (jax.random.normal(_key(seed), tuple(shape), dtype) * stddev + mean).astype(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype="float32", seed=None):
    dtype = to_jax_dtype(dtype)
    return jax.random.uniform(_key(seed), tuple(shape), dtype, minval=minval, maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    dtype = to_jax_dtype(dtype)
    x = jax.random.truncated_normal(_key(seed), -2.0, 2.0, tuple(shape), dtype)
    return (x * stddev + mean).astype(dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return jax.random.randint(_key(seed), tuple(shape), minval, maxval, to_jax_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    samples = jax.random.categorical(_key(seed), logits[:, None, :], axis=-1,
                                     shape=(logits.shape[0], num_samples))
    return samples.astype(to_jax_dtype(dtype))


def _keep_mask(seed, keep, shape):
    return jax.random.bernoulli(_key(seed), keep, shape)


def shuffle(x, axis=0, seed=None):
    return jax.random.permutation(_key(seed), convert_to_tensor(x), axis=axis, independent=False)


def gamma(shape, alpha, dtype="float32", seed=None):
    dtype = to_jax_dtype(dtype)
    return jax.random.gamma(_key(seed), jnp.asarray(alpha, dtype), tuple(shape), dtype)


def binomial(shape, counts, probabilities, dtype="float32", seed=None):
    dtype = to_jax_dtype(dtype)
    counts = jnp.asarray(convert_to_tensor(counts), dtype)
    probabilities = jnp.asarray(convert_to_tensor(probabilities), dtype)
    return jax.random.binomial(_key(seed), counts, probabilities, tuple(shape), dtype)


def beta(shape, alpha, beta, dtype="float32", seed=None):
    dtype = to_jax_dtype(dtype)
    alpha = jnp.asarray(convert_to_tensor(alpha), dtype)
    beta = jnp.asarray(convert_to_tensor(beta), dtype)
    return jax.random.beta(_key(seed), alpha, beta, tuple(shape), dtype)
