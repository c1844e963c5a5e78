"""Constraints against their formulas; configs, serialization and lookup by name."""

import json

import numpy as np
import pytest

from brickwork import backend, constraints

EPSILON = 1e-7
rng = np.random.default_rng(0)


def norms(w, axis):
    axis = tuple(axis) if isinstance(axis, list) else axis
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


CASES = [
    (constraints.MaxNorm(1.5), lambda w: w * np.clip(norms(w, 0), 0, 1.5) / (EPSILON + norms(w, 0))),
    (constraints.MaxNorm(2.0, axis=1), lambda w: w * np.clip(norms(w, 1), 0, 2.0) / (EPSILON + norms(w, 1))),
    (constraints.MaxNorm(0.5, axis=[0, 1]),
     lambda w: w * np.clip(norms(w, [0, 1]), 0, 0.5) / (EPSILON + norms(w, [0, 1]))),
    (constraints.NonNeg(), lambda w: np.maximum(w, 0)),
    (constraints.UnitNorm(), lambda w: w / (EPSILON + norms(w, 0))),
    (constraints.UnitNorm(axis=-1), lambda w: w / (EPSILON + norms(w, -1))),
    (constraints.MinMaxNorm(1.0, 2.0), lambda w: w * np.clip(norms(w, 0), 1.0, 2.0) / (EPSILON + norms(w, 0))),
    (constraints.MinMaxNorm(0.5, 0.8, rate=0.5, axis=1),
     lambda w: w * (0.5 * np.clip(norms(w, 1), 0.5, 0.8) + 0.5 * norms(w, 1)) / (EPSILON + norms(w, 1))),
    (constraints.Constraint(), lambda w: w),
]
IDS = [repr(c[0]) for c in CASES]


@pytest.mark.parametrize("case", range(len(CASES)), ids=IDS)
def test_projection_matches_formula(case):
    constraint, formula = CASES[case]
    w = (rng.standard_normal((3, 4)) * 2).astype("float32")
    if isinstance(constraint, constraints.MaxNorm) and constraint.axis == [0, 1]:
        w = w.reshape(3, 2, 2)
    out = constraint(backend.convert_to_tensor(w))
    assert tuple(out.shape) == w.shape and backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(backend.convert_to_numpy(out), formula(w.astype("float64")), rtol=1e-5, atol=1e-6)


def test_projected_norms_respect_the_bounds():
    w = (rng.standard_normal((5, 6)) * 3).astype("float32")
    max_normed = backend.convert_to_numpy(constraints.MaxNorm(1.0)(w))
    assert np.all(norms(max_normed, 0) <= 1.0 + 1e-5)
    unit = backend.convert_to_numpy(constraints.UnitNorm()(w))
    np.testing.assert_allclose(norms(unit, 0), 1.0, rtol=1e-5)
    bounded = backend.convert_to_numpy(constraints.MinMaxNorm(2.0, 3.0)(w))
    assert np.all((norms(bounded, 0) >= 2.0 - 1e-4) & (norms(bounded, 0) <= 3.0 + 1e-4))


@pytest.mark.parametrize("constraint", [c[0] for c in CASES], ids=IDS)
def test_config_round_trip(constraint):
    config = constraint.get_config()
    json.dumps(config)
    clone = type(constraint).from_config(config)
    assert type(clone) is type(constraint) and clone.get_config() == config


def test_config_holds_exactly_the_init_arguments():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    assert constraints.UnitNorm().get_config() == {"axis": 0}
    assert constraints.NonNeg().get_config() == {}


@pytest.mark.parametrize("constraint", [c[0] for c in CASES], ids=IDS)
def test_serialize_deserialize(constraint):
    config = constraints.serialize(constraint)
    assert config["module"] == "keras.constraints" and config["class_name"] == type(constraint).__name__
    clone = constraints.deserialize(json.loads(json.dumps(config)))
    assert type(clone) is type(constraint) and clone.get_config() == constraint.get_config()


@pytest.mark.parametrize(
    "name, cls",
    [("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm), ("min_max_norm", constraints.MinMaxNorm),
     ("non_neg", constraints.NonNeg), ("NonNeg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm)],
)
def test_get_by_name(name, cls):
    assert type(constraints.get(name)) is cls


def test_get_passes_through_none_instances_and_callables():
    unit = constraints.UnitNorm(axis=1)
    assert constraints.get(None) is None
    assert constraints.get(unit) is unit
    assert constraints.get(np.abs) is np.abs
    assert type(constraints.get(constraints.NonNeg)) is constraints.NonNeg
    assert constraints.get({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 1}}).get_config() == {
        "max_value": 3, "axis": 1}


def test_aliases_are_the_classes():
    assert constraints.max_norm is constraints.MaxNorm and constraints.min_max_norm is constraints.MinMaxNorm
    assert constraints.non_neg is constraints.NonNeg and constraints.unit_norm is constraints.UnitNorm


def test_unknown_names_are_refused_with_the_name():
    with pytest.raises(ValueError, match="max_nrom"):
        constraints.get("max_nrom")
    with pytest.raises(ValueError, match="constraint"):
        constraints.get(3.5)
