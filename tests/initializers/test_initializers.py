"""brickwork.initializers: values against the formulas, seeding, configs, lookup by name."""

import math

import numpy as np
import pytest

from brickwork import backend, initializers
from brickwork.random import SeedGenerator

BACKEND = backend.backend()


def to_np(x):
    return backend.convert_to_numpy(x)


# ---- fans ----


@pytest.mark.parametrize("shape, fans", [
    ((), (1, 1)), ((7,), (7, 7)), ((3, 5), (3, 5)), ((3, 3, 4, 8), (36, 72)), ((2, 2, 2, 3, 5), (24, 40)),
])
def test_compute_fans(shape, fans):
    assert initializers.compute_fans(shape) == fans


# ---- constant initializers ----


def test_constant_zeros_ones_identity():
    np.testing.assert_array_equal(to_np(initializers.Constant(2.5)((2, 3))), np.full((2, 3), 2.5, "float32"))
    np.testing.assert_array_equal(to_np(initializers.Zeros()((2, 3), dtype="int32")), np.zeros((2, 3), "int32"))
    np.testing.assert_array_equal(to_np(initializers.Ones()((4,))), np.ones(4, "float32"))
    np.testing.assert_array_equal(to_np(initializers.Identity(gain=3.0)((3, 4))), 3 * np.eye(3, 4, dtype="float32"))
    for init, dtype in [(initializers.Constant(1), "float16"), (initializers.Zeros(), None),
                        (initializers.Ones(), "float64"), (initializers.Identity(), "float32")]:
        assert backend.standardize_dtype(init((2, 2), dtype=dtype).dtype) == (dtype or "float32")


def test_identity_needs_a_matrix():
    with pytest.raises(ValueError, match="Identity"):
        initializers.Identity()((2, 2, 2))


def test_stft_kernel_is_the_dft():
    frame, bins = 8, 5
    real = to_np(initializers.STFT("real", window=None, scaling=None)((frame, 1, bins)))
    imag = to_np(initializers.STFT("imag", window=None, scaling=None)((frame, 1, bins)))
    dft = np.fft.rfft(np.eye(frame), axis=1)  # row t: the spectrum of a unit impulse at t
    np.testing.assert_allclose(real[:, 0, :], dft.real, atol=1e-6)
    np.testing.assert_allclose(imag[:, 0, :], dft.imag, atol=1e-6)
    hann = to_np(initializers.STFT("real", window="hann", scaling="density")((frame, 1, bins)))
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / (frame - 1))
    np.testing.assert_allclose(hann[:, 0, :], dft.real * window[:, None] / np.sqrt(np.sum(window**2)), atol=1e-6)


@pytest.mark.parametrize("name", ["hann", "hamming", "blackman", "bartlett", "tukey", "cosine"])
@pytest.mark.parametrize("periodic", [True, False])
def test_stft_windows_are_scipys(name, periodic):
    scipy_signal = pytest.importorskip("scipy.signal")
    frame, bins = 16, 9
    values = to_np(initializers.STFT("real", window=name, scaling=None, periodic=periodic)((frame, 1, bins)))
    window = scipy_signal.get_window(name, frame, periodic)  # Keras takes its windows from here
    dft = np.fft.rfft(np.eye(frame), axis=1)
    np.testing.assert_allclose(values[:, 0, :], dft.real * window[:, None], atol=1e-6)


def test_stft_unknown_window_is_refused():
    with pytest.raises(ValueError, match="unknown window 'no-such-window'"):
        initializers.STFT("real", window="no-such-window")


# ---- random initializers: statistics against the formulas ----

SHAPE = (200, 100)  # fan_in 200, fan_out 100
FAN_IN, FAN_OUT = SHAPE
TRUNCATION = 0.87962566103423978  # the stddev of a standard normal truncated to [-2, 2]

# class: (expected mean, expected std, bound on |value| or None)
STATISTICS = {
    initializers.RandomNormal(mean=1.0, stddev=0.5, seed=1): (1.0, 0.5, None),
    initializers.RandomUniform(minval=-0.3, maxval=0.5, seed=1): (0.1, 0.8 / math.sqrt(12), None),
    initializers.TruncatedNormal(stddev=0.2, seed=1): (0.0, 0.2 * TRUNCATION, 0.4),
    initializers.GlorotUniform(seed=1): (0.0, math.sqrt(2 / (FAN_IN + FAN_OUT)), math.sqrt(6 / (FAN_IN + FAN_OUT))),
    initializers.GlorotNormal(seed=1): (0.0, math.sqrt(2 / (FAN_IN + FAN_OUT)), 2 * math.sqrt(2 / (FAN_IN + FAN_OUT)) / TRUNCATION),
    initializers.HeUniform(seed=1): (0.0, math.sqrt(2 / FAN_IN), math.sqrt(6 / FAN_IN)),
    initializers.HeNormal(seed=1): (0.0, math.sqrt(2 / FAN_IN), 2 * math.sqrt(2 / FAN_IN) / TRUNCATION),
    initializers.LecunUniform(seed=1): (0.0, math.sqrt(1 / FAN_IN), math.sqrt(3 / FAN_IN)),
    initializers.LecunNormal(seed=1): (0.0, math.sqrt(1 / FAN_IN), 2 * math.sqrt(1 / FAN_IN) / TRUNCATION),
    initializers.VarianceScaling(scale=3.0, mode="fan_out", distribution="untruncated_normal", seed=1):
        (0.0, math.sqrt(3 / FAN_OUT), None),
}


@pytest.mark.parametrize("initializer", list(STATISTICS), ids=lambda i: type(i).__name__)
def test_random_initializer_statistics(initializer):
    mean, std, bound = STATISTICS[initializer]
    values = to_np(initializer(SHAPE)).astype(np.float64)
    assert values.shape == SHAPE and to_np(initializer(SHAPE)).dtype == np.float32
    assert abs(values.mean() - mean) < 4 * std / math.sqrt(values.size)
    assert abs(values.std() - std) < 0.03 * std
    if bound is not None:
        assert np.abs(values - mean).max() <= bound * (1 + 1e-6)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (3, 3, 2, 5)])
def test_orthogonal(shape):
    q = to_np(initializers.Orthogonal(gain=2.0, seed=3)(shape)).reshape(-1, shape[-1])
    rows, cols = q.shape
    gram = q.T @ q if rows >= cols else q @ q.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-5)
    with pytest.raises(ValueError, match="Orthogonal"):
        initializers.Orthogonal()((3,))


# ---- seeding (Keras 3 semantics) ----


@pytest.mark.parametrize("cls", [initializers.RandomNormal, initializers.RandomUniform, initializers.TruncatedNormal,
                                 initializers.GlorotUniform, initializers.HeNormal, initializers.Orthogonal])
def test_seeding(cls):
    seeded = cls(seed=5)
    first = to_np(seeded((4, 4)))
    np.testing.assert_array_equal(first, to_np(seeded((4, 4))))  # an int seed repeats on every call
    np.testing.assert_array_equal(first, to_np(cls(seed=5)((4, 4))))  # the same seed, the same values
    assert not np.array_equal(first, to_np(cls(seed=6)((4, 4))))
    unseeded = cls()
    np.testing.assert_array_equal(to_np(unseeded((4, 4))), to_np(unseeded((4, 4))))  # fixed at construction
    generated = cls(seed=SeedGenerator(5))
    assert not np.array_equal(to_np(generated((4, 4))), to_np(generated((4, 4))))  # a generator advances


# ---- configs and lookup ----

EVERY_CLASS = [
    (initializers.Constant, {"value": 3.0}),
    (initializers.Zeros, {}),
    (initializers.Ones, {}),
    (initializers.Identity, {"gain": 2.0}),
    (initializers.STFT, {"side": "imag", "window": "hamming", "scaling": "spectrum", "periodic": True}),
    (initializers.RandomNormal, {"mean": 1.0, "stddev": 0.1, "seed": 3}),
    (initializers.RandomUniform, {"minval": -1.0, "maxval": 2.0, "seed": 3}),
    (initializers.TruncatedNormal, {"mean": 0.5, "stddev": 0.2, "seed": None}),
    (initializers.VarianceScaling, {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform", "seed": 4}),
    (initializers.GlorotNormal, {"seed": 1}),
    (initializers.GlorotUniform, {"seed": 1}),
    (initializers.HeNormal, {"seed": 1}),
    (initializers.HeUniform, {"seed": None}),
    (initializers.LecunNormal, {"seed": 1}),
    (initializers.LecunUniform, {"seed": 1}),
    (initializers.Orthogonal, {"gain": 0.5, "seed": 2}),
]


@pytest.mark.parametrize("cls, kwargs", EVERY_CLASS, ids=lambda v: getattr(v, "__name__", ""))
def test_config_round_trip(cls, kwargs):
    original = cls(**kwargs)
    expected = dict(kwargs)
    if issubclass(cls, initializers.VarianceScaling):
        # Keras 3.15 writes these two for every fan-based initializer.
        expected = {"input_axes": None, "output_axes": None, **kwargs}
    assert original.get_config() == expected  # exactly the __init__ arguments
    rebuilt = cls.from_config(original.get_config())
    assert type(rebuilt) is cls and rebuilt.get_config() == expected
    restored = initializers.deserialize(initializers.serialize(original))
    assert type(restored) is cls and restored.get_config() == expected
    assert type(original.clone()) is cls
    if kwargs.get("seed") is not None or not hasattr(original, "seed"):
        shape = (4, 1, 3) if cls is initializers.STFT else (3, 3)
        np.testing.assert_array_equal(to_np(original(shape)), to_np(restored(shape)))


def test_seed_generator_in_config_round_trips():
    original = initializers.RandomNormal(seed=SeedGenerator(9))
    restored = initializers.deserialize(initializers.serialize(original))
    assert isinstance(restored.seed, SeedGenerator)
    np.testing.assert_array_equal(to_np(original((3,))), to_np(restored((3,))))


@pytest.mark.parametrize("name, cls", [
    ("zeros", initializers.Zeros), ("zero", initializers.Zeros), ("ones", initializers.Ones),
    ("one", initializers.Ones), ("constant", initializers.Constant), ("identity", initializers.Identity),
    ("IdentityInitializer", initializers.Identity), ("glorot_uniform", initializers.GlorotUniform),
    ("GlorotNormal", initializers.GlorotNormal), ("he_normal", initializers.HeNormal),
    ("he_uniform", initializers.HeUniform), ("lecun_normal", initializers.LecunNormal),
    ("lecun_uniform", initializers.LecunUniform), ("random_normal", initializers.RandomNormal),
    ("normal", initializers.RandomNormal), ("uniform", initializers.RandomUniform),
    ("truncated_normal", initializers.TruncatedNormal), ("variance_scaling", initializers.VarianceScaling),
    ("orthogonal", initializers.Orthogonal), ("OrthogonalInitializer", initializers.Orthogonal),
])
def test_get_by_name(name, cls):
    assert type(initializers.get(name)) is cls


def test_get_other_identifiers():
    assert initializers.get(None) is None
    assert type(initializers.get(initializers.HeUniform)) is initializers.HeUniform
    custom = lambda shape, dtype=None: None  # noqa: E731
    assert initializers.get(custom) is custom
    config = {"class_name": "RandomUniform", "config": {"minval": 0.0, "maxval": 1.0, "seed": 2}}
    assert initializers.get(config).get_config() == config["config"]
    assert initializers.glorot_uniform is initializers.GlorotUniform


def test_unknown_name_is_an_error():
    with pytest.raises(ValueError, match="Unknown initializer 'glorot_unifrom'"):
        initializers.get("glorot_unifrom")
    with pytest.raises(ValueError, match="initializer identifier"):
        initializers.get(42)


@pytest.mark.parametrize("kwargs, message", [
    ({"scale": -1.0}, "scale"), ({"mode": "fan_sideways"}, "mode"), ({"distribution": "cauchy"}, "distribution"),
    ({"seed": 1.5}, "seed"),
])
def test_variance_scaling_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        initializers.VarianceScaling(**kwargs)


def test_compute_fans_with_axes():
    from brickwork.initializers.random_initializers import compute_fans

    assert compute_fans((512, 8, 64), input_axes=[0], output_axes=[1, 2]) == (512, 8 * 64)
    assert compute_fans((512, 8, 64), input_axes=[0, 1], output_axes=[2]) == (512 * 8, 64)
    assert compute_fans((3, 3, 4, 5)) == (3 * 3 * 4, 3 * 3 * 5)  # conv kernel: receptive field times depth
