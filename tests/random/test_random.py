"""brickwork.random: distribution statistics, shapes, dtypes, seeding, SeedGenerator state."""

import math

import numpy as np
import pytest

from brickwork import backend, random
from brickwork.random.seed_generator import draw_seed

BACKEND = backend.backend()
N = 10_000


def to_np(x):
    return backend.convert_to_numpy(x)


# name: (sampler(seed), expected mean, expected std, (low, high) bounds or None)
DISTRIBUTIONS = {
    "normal": (lambda s: random.normal((N,), mean=2.0, stddev=3.0, seed=s), 2.0, 3.0, None),
    "uniform": (lambda s: random.uniform((N,), minval=-1.0, maxval=3.0, seed=s), 1.0, 4 / math.sqrt(12), (-1, 3)),
    # A standard normal truncated to [-2, 2] has stddev 0.8796.
    "truncated_normal": (lambda s: random.truncated_normal((N,), mean=1.0, stddev=2.0, seed=s), 1.0,
                         2.0 * 0.87962566, (-3, 5)),
    "randint": (lambda s: random.randint((N,), 0, 10, seed=s), 4.5, math.sqrt(99 / 12), (0, 9)),
    "gamma": (lambda s: random.gamma((N,), alpha=3.0, seed=s), 3.0, math.sqrt(3.0), (0, np.inf)),
    "binomial": (lambda s: random.binomial((N,), counts=10, probabilities=0.3, seed=s), 3.0, math.sqrt(2.1), (0, 10)),
    "beta": (lambda s: random.beta((N,), alpha=2.0, beta=5.0, seed=s), 2 / 7, math.sqrt(10 / (49 * 8)), (0, 1)),
}


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_distribution_statistics(name):
    sample, mean, std, bounds = DISTRIBUTIONS[name]
    values = to_np(sample(1)).astype(np.float64)
    assert values.shape == (N,)
    # 10k samples: the mean is within ~4 standard errors, the std within a few percent.
    assert abs(values.mean() - mean) < 4 * std / math.sqrt(N)
    assert abs(values.std() - std) < 0.05 * std
    if bounds is not None:
        assert values.min() >= bounds[0] and values.max() <= bounds[1]


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_int_seed_repeats_and_different_seeds_differ(name):
    sample = DISTRIBUTIONS[name][0]
    np.testing.assert_array_equal(to_np(sample(7)), to_np(sample(7)))
    assert not np.array_equal(to_np(sample(7)), to_np(sample(8)))


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_seed_generator_sequences(name):
    sample = DISTRIBUTIONS[name][0]
    first, second = random.SeedGenerator(3), random.SeedGenerator(3)
    a1, a2 = to_np(sample(first)), to_np(sample(first))
    b1, b2 = to_np(sample(second)), to_np(sample(second))
    assert not np.array_equal(a1, a2)  # successive draws differ
    np.testing.assert_array_equal(a1, b1)  # the same seed gives the same sequence
    np.testing.assert_array_equal(a2, b2)


@pytest.mark.parametrize("fn, dtype", [
    (lambda d: random.normal((2, 3), dtype=d, seed=1), "float64"),
    (lambda d: random.normal((2, 3), dtype=d, seed=1), "float16"),
    (lambda d: random.uniform((2, 3), dtype=d, seed=1), "bfloat16"),
    (lambda d: random.truncated_normal((2, 3), dtype=d, seed=1), "float64"),
    (lambda d: random.randint((2, 3), 0, 5, dtype=d, seed=1), "int64"),
    (lambda d: random.randint((2, 3), 0, 5, dtype=d, seed=1), "uint8"),
    (lambda d: random.gamma((2, 3), 2.0, dtype=d, seed=1), "float64"),
    (lambda d: random.binomial((2, 3), 5, 0.5, dtype=d, seed=1), "float64"),
    (lambda d: random.beta((2, 3), 2.0, 2.0, dtype=d, seed=1), "float64"),
    (lambda d: random.categorical(np.zeros((2, 4), "float32"), 3, dtype=d, seed=1), "int64"),
])
def test_dtypes_and_shapes(fn, dtype):
    out = fn(dtype)
    assert backend.standardize_dtype(out.dtype) == dtype
    assert tuple(out.shape) == (2, 3)


def test_default_dtypes():
    assert backend.standardize_dtype(random.normal((2,), seed=1).dtype) == "float32"
    assert backend.standardize_dtype(random.randint((2,), 0, 3, seed=1).dtype) == "int32"
    assert backend.standardize_dtype(random.categorical(np.zeros((1, 3)), 2, seed=1).dtype) == "int32"


@pytest.mark.parametrize("call, message", [
    (lambda: random.uniform((2,), dtype="int32"), "random.uniform"),
    (lambda: random.normal((2,), dtype="int32"), "random.normal"),
    (lambda: random.randint((2,), 0, 3, dtype="float32"), "random.randint"),
    (lambda: random.categorical(np.zeros(3), 2), "random.categorical"),
    (lambda: random.dropout(np.ones(3), 1.5), "random.dropout"),
    (lambda: random.normal((2,), seed="abc"), "seed"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_categorical_frequencies():
    logits = np.log(np.array([[0.2, 0.8], [0.9, 0.1]], "float32"))
    samples = to_np(random.categorical(logits, N, seed=5))
    assert samples.shape == (2, N)
    assert set(np.unique(samples)) <= {0, 1}
    assert abs(samples[0].mean() - 0.8) < 0.02
    assert abs(samples[1].mean() - 0.1) < 0.02


def test_dropout():
    x = np.ones((100, 100), "float32")
    out = to_np(random.dropout(x, 0.3, seed=2))
    assert out.dtype == np.float32 and out.shape == x.shape
    assert abs((out == 0).mean() - 0.3) < 0.02
    np.testing.assert_allclose(out[out != 0], 1 / 0.7, rtol=1e-6)
    columns = to_np(random.dropout(x, 0.5, noise_shape=(1, 100), seed=2))
    assert np.all(columns == columns[0])  # the mask is shared along the axis of size 1
    rows = to_np(random.dropout(x, 0.5, noise_shape=(None, 1), seed=2))
    assert np.all(rows == rows[:, :1])


@pytest.mark.parametrize("axis", [0, 1])
def test_shuffle(axis):
    x = np.arange(40).reshape(8, 5)
    out = to_np(random.shuffle(x, axis=axis, seed=3))
    assert out.shape == x.shape
    np.testing.assert_array_equal(np.sort(out, axis=axis), x)
    # Whole slices move together: every slice along the other axis is a permutation of the same kind.
    moved = np.sort(out, axis=1 - axis)
    np.testing.assert_array_equal(np.sort(moved, axis=axis), np.sort(np.sort(x, axis=1 - axis), axis=axis))
    assert not np.array_equal(out, x)


# ---- SeedGenerator and draw_seed ----


def test_seed_generator_state_advances():
    generator = random.SeedGenerator(42)
    assert to_np(generator.state).tolist() == [42, 0]
    assert not generator.state.trainable
    first = to_np(generator.next())
    assert first.tolist() == [42, 0]
    assert to_np(generator.state).tolist() == [42, 1]
    assert to_np(generator.next()).tolist() == [42, 1]
    assert to_np(draw_seed(generator)).tolist() == [42, 2]
    assert generator.get_config() == {"seed": 42}
    assert to_np(random.SeedGenerator.from_config(generator.get_config()).state).tolist() == [42, 0]


def test_shape_inference_leaves_the_state_alone():
    generator = random.SeedGenerator(4)
    spec = backend.compute_output_spec(lambda x: random.dropout(x, 0.5, seed=generator),
                                       backend.KerasTensor((None, 3)))
    assert (spec.shape, spec.dtype) == ((None, 3), "float32")
    assert to_np(generator.state).tolist() == [4, 0]


def test_draw_seed():
    np.testing.assert_array_equal(to_np(draw_seed(5)), [5, 0])
    assert backend.standardize_dtype(draw_seed(5).dtype) == backend.active.random.random_seed_dtype()
    with pytest.raises(ValueError, match="seed"):
        draw_seed(1.5)
    with pytest.raises(ValueError, match="seed"):
        random.SeedGenerator(seed="x")


def test_unseeded_draws_differ_and_set_random_seed_repeats():
    from brickwork.utils import set_random_seed

    assert not np.array_equal(to_np(random.normal((5,))), to_np(random.normal((5,))))
    set_random_seed(123)
    first = [to_np(random.uniform((5,))) for _ in range(2)]
    set_random_seed(123)
    second = [to_np(random.uniform((5,))) for _ in range(2)]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])


def test_set_random_seed_seeds_python_and_numpy():
    import random as python_random

    from brickwork.utils import set_random_seed

    set_random_seed(9)
    a = (python_random.random(), np.random.rand())
    set_random_seed(9)
    assert (python_random.random(), np.random.rand()) == a
    with pytest.raises(ValueError, match="set_random_seed"):
        set_random_seed(1.5)


# ---- JAX: seeded randomness inside jax.jit, state threaded through a StatelessScope ----


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit with a StatelessScope is the JAX trainer's pattern")
def test_dropout_in_jit_with_stateless_scope():
    import jax

    generator = random.SeedGenerator(1)
    x = np.ones((64,), "float32")

    @jax.jit
    def step(seed_state, x):
        with backend.StatelessScope(state_mapping=[(generator.state, seed_state)]) as scope:
            y = random.dropout(x, 0.5, seed=generator)
        return y, scope.get_current_value(generator.state)

    state = generator.state.value
    y1, state = step(state, x)
    y2, state = step(state, x)
    assert not np.array_equal(to_np(y1), to_np(y2))  # a new mask each step
    assert to_np(state).tolist() == [1, 2]
    assert to_np(generator.state).tolist() == [1, 0]  # the variable itself is untouched
    # The same incoming state replays the same mask.
    y1_again, _ = step(backend.convert_to_tensor([1, 0], dtype="uint32"), x)
    np.testing.assert_array_equal(to_np(y1), to_np(y1_again))


@pytest.mark.skipif(BACKEND != "jax", reason="only jax traces functions with abstract values")
def test_unseeded_draw_under_jit_is_an_error():
    import jax

    with pytest.raises(ValueError, match="SeedGenerator"):
        jax.jit(lambda: random.normal((2,)))()


def test_dropout_rate_one_zeroes_everything():
    np.testing.assert_array_equal(to_np(random.dropout(np.ones((4, 5), "float32"), rate=1.0, seed=0)),
                                  np.zeros((4, 5)))
    with pytest.raises(ValueError, match="rate"):
        random.dropout(np.ones((2,), "float32"), rate=1.5, seed=0)


def test_a_seed_tensor_is_used_as_it_is():
    seed = backend.convert_to_tensor([1234, 0], dtype=backend.random_seed_dtype())
    from_tensor = to_np(random.uniform((3, 4), seed=seed))
    np.testing.assert_array_equal(from_tensor, to_np(random.uniform((3, 4), seed=1234)))  # int 1234 is [1234, 0]
    assert backend.standardize_dtype(draw_seed(7).dtype) == backend.random_seed_dtype()


def test_dtype_errors_name_the_op():
    with pytest.raises(ValueError, match="`keras.random.randint` requires an integer `dtype`"):
        random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="`keras.random.uniform` requires a floating point `dtype`"):
        random.uniform((2,), dtype="int32")
