"""TensorFlow backend: random ops.

Each function takes a drawn ``seed`` (an int64 pair from ``brickwork.random.draw_seed``) and uses
TensorFlow's stateless random ops (``tf.random.stateless_*``), so sampling is a pure function of
the seed and works inside a ``tf.function``.

Written once where shared in ``common/random_ops.py`` against ``xp`` and included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); the rest is TensorFlow's own.
"""

from __future__ import annotations

import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor, to_tf_dtype

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/random_ops.py runs on
include("random_ops", globals())



def random_seed_dtype() -> str:
    """The dtype of seed tensors (TensorFlow's stateless ops take an int64 pair)."""
    return "int64"


def is_tracing() -> bool:
    """True inside a ``tf.function`` being traced, where an unseeded draw would be baked in."""
    return not tf.executing_eagerly()


def seed_engine(seed: int) -> None:
    """Seed TensorFlow's global generator too, for user code that draws from it."""
    tf.random.set_seed(int(seed))


def _key(seed):
    return tf.cast(convert_to_tensor(seed), tf.int64)


def _shape(shape):
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    dtype = to_tf_dtype(dtype)
    return tf.random.stateless_normal(_shape(shape), _key(seed), mean=mean, stddev=stddev, dtype=dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype="float32", seed=None):
    dtype = to_tf_dtype(dtype)
    return tf.random.stateless_uniform(_shape(shape), _key(seed), minval=minval, maxval=maxval, dtype=dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    dtype = to_tf_dtype(dtype)
    return tf.random.stateless_truncated_normal(_shape(shape), _key(seed), mean=mean, stddev=stddev, dtype=dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    values = tf.random.stateless_uniform(_shape(shape), _key(seed), minval=int(minval), maxval=int(maxval),
                                         dtype=tf.int64)
    return tf.cast(values, to_tf_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    samples = tf.random.stateless_categorical(logits, int(num_samples), _key(seed), dtype=tf.int64)
    return tf.cast(samples, to_tf_dtype(dtype))


def _keep_mask(seed, keep, shape):
    return tf.random.stateless_uniform(_shape(shape), _key(seed)) < keep


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    keys = tf.random.stateless_uniform((int(x.shape[axis]),), _key(seed))
    return tf.gather(x, tf.argsort(keys), axis=axis)


def gamma(shape, alpha, dtype="float32", seed=None):
    dtype = to_tf_dtype(dtype)
    return tf.random.stateless_gamma(_shape(shape), _key(seed), alpha=tf.cast(alpha, dtype), dtype=dtype)


def binomial(shape, counts, probabilities, dtype="float32", seed=None):
    dtype = to_tf_dtype(dtype)
    counts = tf.cast(convert_to_tensor(counts), tf.float32)
    probabilities = tf.cast(convert_to_tensor(probabilities), tf.float32)
    sample = tf.random.stateless_binomial(_shape(shape), _key(seed), counts, probabilities, output_dtype=tf.float32)
    return tf.cast(sample, dtype)


def beta(shape, alpha, beta, dtype="float32", seed=None):
    # Beta(a, b) = X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), drawn from two seeds derived from this one.
    dtype = to_tf_dtype(dtype)
    seeds = tf.random.experimental.stateless_split(_key(seed), 2)
    x = tf.random.stateless_gamma(_shape(shape), seeds[0], alpha=tf.cast(convert_to_tensor(alpha), dtype), dtype=dtype)
    y = tf.random.stateless_gamma(_shape(shape), seeds[1], alpha=tf.cast(convert_to_tensor(beta), dtype), dtype=dtype)
    return x / (x + y)
