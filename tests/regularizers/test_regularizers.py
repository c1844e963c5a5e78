"""Regularizers against their formulas; configs, serialization and lookup by name."""

import json

import numpy as np
import pytest

from brickwork import backend, regularizers

rng = np.random.default_rng(0)


def value(x) -> float:
    return float(backend.convert_to_numpy(x))


def _orthogonal_reference(x, factor, mode):
    vectors = x if mode == "rows" else x.T
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-7)
    cosines = np.abs(unit @ unit.T)
    n = len(vectors)
    return factor * 0.5 * (cosines.sum() - np.trace(cosines)) / (n * (n - 1) / 2)


CASES = [
    (regularizers.L1(0.3), lambda x: 0.3 * np.abs(x).sum()),
    (regularizers.L1(), lambda x: 0.01 * np.abs(x).sum()),
    (regularizers.L2(0.1), lambda x: 0.1 * np.square(x).sum()),
    (regularizers.L2(), lambda x: 0.01 * np.square(x).sum()),
    (regularizers.L1L2(l1=0.2, l2=0.05), lambda x: 0.2 * np.abs(x).sum() + 0.05 * np.square(x).sum()),
    (regularizers.L1L2(l2=0.05), lambda x: 0.05 * np.square(x).sum()),
    (regularizers.L1L2(), lambda x: 0.0),
    (regularizers.OrthogonalRegularizer(0.1), lambda x: _orthogonal_reference(x, 0.1, "rows")),
    (regularizers.OrthogonalRegularizer(0.2, mode="columns"), lambda x: _orthogonal_reference(x, 0.2, "columns")),
]


@pytest.mark.parametrize("case", range(len(CASES)), ids=[repr(c[0]) for c in CASES])
def test_penalty_matches_formula(case):
    regularizer, formula = CASES[case]
    x = rng.standard_normal((4, 3)).astype("float32")
    out = regularizer(backend.convert_to_tensor(x))
    assert tuple(out.shape) == () and backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(value(out), formula(x.astype("float64")), rtol=1e-5, atol=1e-7)


def test_keras_docstring_example():
    assert value(regularizers.L2(2.0)(np.ones((5, 5), "float32"))) == pytest.approx(50.0)


def test_orthogonal_rows_are_not_penalised():
    assert value(regularizers.OrthogonalRegularizer(1.0)(np.eye(3, dtype="float32"))) == pytest.approx(0.0, abs=1e-7)


@pytest.mark.parametrize("regularizer", [c[0] for c in CASES], ids=[repr(c[0]) for c in CASES])
def test_config_round_trip(regularizer):
    config = regularizer.get_config()
    json.dumps(config)
    clone = type(regularizer).from_config(config)
    assert type(clone) is type(regularizer) and clone.get_config() == config


def test_config_holds_exactly_the_init_arguments():
    assert regularizers.L1().get_config() == {"l1": 0.01}
    assert regularizers.L2().get_config() == {"l2": 0.01}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.OrthogonalRegularizer().get_config() == {"factor": 0.01, "mode": "rows"}


@pytest.mark.parametrize("regularizer", [c[0] for c in CASES], ids=[repr(c[0]) for c in CASES])
def test_serialize_deserialize(regularizer):
    config = regularizers.serialize(regularizer)
    assert config["module"] == "keras.regularizers" and config["class_name"] == type(regularizer).__name__
    clone = regularizers.deserialize(json.loads(json.dumps(config)))
    assert type(clone) is type(regularizer) and clone.get_config() == regularizer.get_config()


@pytest.mark.parametrize(
    "name, cls, config",
    [
        ("l1", regularizers.L1, {"l1": 0.01}),
        ("L2", regularizers.L2, {"l2": 0.01}),
        ("l1_l2", regularizers.L1L2, {"l1": 0.01, "l2": 0.01}),
        ("L1L2", regularizers.L1L2, {"l1": 0.0, "l2": 0.0}),
        ("orthogonal_regularizer", regularizers.OrthogonalRegularizer, {"factor": 0.01, "mode": "rows"}),
    ],
)
def test_get_by_name(name, cls, config):
    found = regularizers.get(name)
    assert type(found) is cls and found.get_config() == config


def test_get_passes_through_none_instances_and_callables():
    l2 = regularizers.L2(0.5)
    assert regularizers.get(None) is None
    assert regularizers.get(l2) is l2
    assert regularizers.get(np.sum) is np.sum
    assert type(regularizers.get(regularizers.L1)) is regularizers.L1
    assert regularizers.get({"class_name": "L2", "config": {"l2": 0.5}}).get_config() == {"l2": 0.5}


def test_aliases_are_the_classes():
    assert regularizers.l1 is regularizers.L1 and regularizers.l2 is regularizers.L2
    assert regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.orthogonal_regularizer is regularizers.OrthogonalRegularizer


def test_bad_arguments_name_what_is_wrong():
    with pytest.raises(ValueError, match="l1"):
        regularizers.L1(-1.0)
    with pytest.raises(ValueError, match="l2"):
        regularizers.L2(float("nan"))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), "float32"))
    with pytest.raises(ValueError, match="l3"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="regularizer"):
        regularizers.get(42)


def test_base_class_is_a_zero_penalty():
    assert regularizers.Regularizer()(np.ones(3)) == 0.0
    with pytest.raises(NotImplementedError):
        regularizers.Regularizer().get_config()
