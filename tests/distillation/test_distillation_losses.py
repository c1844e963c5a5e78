"""The distillation losses against NumPy formulas and against Keras 3.15.1 on the same logits and features."""

import numpy as np
import pytest

from brickwork import backend, losses, ops
from brickwork.distillation import DistillationLoss, FeatureDistillation, LogitsDistillation
from brickwork.saving import serialization_lib
from tests.layers.keras_reference import run_keras

RNG = np.random.default_rng(7)
TEACHER = RNG.normal(size=(6, 5)).astype("float32") * 3
STUDENT = RNG.normal(size=(6, 5)).astype("float32") * 3
EPSILON = 1e-7


def _np(x):
    return np.asarray(backend.convert_to_numpy(x))


def _softmax(logits):
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _kl(p, q):
    """Keras's kl_divergence: both clipped to [epsilon, 1], summed over the last axis."""
    p, q = np.clip(p, EPSILON, 1), np.clip(q, EPSILON, 1)
    return np.sum(p * np.log(p / q), axis=-1)


@pytest.mark.parametrize("temperature", [1.0, 2.0, 5.0])
def test_kl_instance_compares_softened_probabilities_scaled_by_t_squared(temperature):
    loss = LogitsDistillation(temperature=temperature, loss=losses.KLDivergence())
    expected = np.mean(_kl(_softmax(TEACHER / temperature), _softmax(STUDENT / temperature))) * temperature ** 2
    np.testing.assert_allclose(_np(loss.compute_loss(TEACHER, STUDENT)), expected, rtol=1e-5)


def test_kl_by_name_is_the_function_on_the_scaled_logits():
    # "kl_divergence" resolves to the loss function, which Keras 3.15.1 applies to the scaled logits as they are.
    loss = LogitsDistillation(temperature=3.0)
    assert loss.loss is losses.kl_divergence
    expected = np.mean(_kl(TEACHER / 3.0, STUDENT / 3.0))
    np.testing.assert_allclose(_np(loss.compute_loss(TEACHER, STUDENT)), expected, rtol=1e-5)


def test_other_losses_see_the_scaled_logits_and_none_skips_an_output():
    loss = LogitsDistillation(temperature=2.0, loss=["mse", None, losses.MeanAbsoluteError()])
    teacher, student = [TEACHER, TEACHER * 2, TEACHER[:, :3]], [STUDENT, STUDENT, STUDENT[:, :3]]
    expected = (np.mean((TEACHER / 2 - STUDENT / 2) ** 2)
                + np.mean(np.abs(TEACHER[:, :3] / 2 - STUDENT[:, :3] / 2)))
    np.testing.assert_allclose(_np(loss.compute_loss(teacher, student)), expected, rtol=1e-5)


def test_feature_losses_against_numpy():
    mse = FeatureDistillation(loss="mse")
    np.testing.assert_allclose(_np(mse.compute_loss(TEACHER, STUDENT)), np.mean((TEACHER - STUDENT) ** 2), rtol=1e-5)
    cosine = FeatureDistillation(loss="cosine_similarity")
    unit_t = TEACHER / np.linalg.norm(TEACHER, axis=-1, keepdims=True)
    unit_s = STUDENT / np.linalg.norm(STUDENT, axis=-1, keepdims=True)
    np.testing.assert_allclose(_np(cosine.compute_loss(TEACHER, STUDENT)), np.mean(-np.sum(unit_t * unit_s, -1)),
                               rtol=1e-5)
    nested = FeatureDistillation(loss={"a": "mae", "b": None})
    np.testing.assert_allclose(_np(nested.compute_loss({"a": TEACHER, "b": TEACHER}, {"a": STUDENT, "b": TEACHER})),
                               np.mean(np.abs(TEACHER - STUDENT)), rtol=1e-5)


def test_numbers_match_keras():
    script = """
from keras.distillation import FeatureDistillation, LogitsDistillation
t, s = data["teacher"], data["student"]
out["kl_default"] = LogitsDistillation(temperature=3.0).compute_loss(t, s)
out["kl_instance"] = LogitsDistillation(temperature=4.0, loss=keras.losses.KLDivergence()).compute_loss(t, s)
out["cce"] = LogitsDistillation(temperature=2.0, loss="categorical_crossentropy").compute_loss(t, s)
out["nested"] = LogitsDistillation(temperature=2.0, loss=["mse", None]).compute_loss([t, t], [s, t])
out["mse"] = FeatureDistillation().compute_loss(t, s)
out["cosine"] = FeatureDistillation(loss="cosine_similarity").compute_loss(t, s)
out = {k: keras.ops.convert_to_numpy(v) for k, v in out.items()}
"""
    expected = run_keras(script, teacher=TEACHER, student=STUDENT)
    ours = {
        "kl_default": LogitsDistillation(temperature=3.0).compute_loss(TEACHER, STUDENT),
        "kl_instance": LogitsDistillation(temperature=4.0, loss=losses.KLDivergence()).compute_loss(TEACHER, STUDENT),
        "cce": LogitsDistillation(temperature=2.0, loss="categorical_crossentropy").compute_loss(TEACHER, STUDENT),
        "nested": LogitsDistillation(temperature=2.0, loss=["mse", None]).compute_loss([TEACHER, TEACHER],
                                                                                       [STUDENT, TEACHER]),
        "mse": FeatureDistillation().compute_loss(TEACHER, STUDENT),
        "cosine": FeatureDistillation(loss="cosine_similarity").compute_loss(TEACHER, STUDENT),
    }
    for name, value in ours.items():
        np.testing.assert_allclose(_np(value), expected[name], rtol=1e-5, err_msg=name)


def test_invalid_arguments_name_the_problem():
    with pytest.raises(ValueError, match="temperature"):
        LogitsDistillation(temperature=0.0)
    with pytest.raises(ValueError, match="temperature"):
        LogitsDistillation(temperature="hot")
    with pytest.raises(ValueError, match="not None"):
        FeatureDistillation(loss=[None, None])
    with pytest.raises(ValueError):
        LogitsDistillation().validate_outputs(TEACHER, {"output": STUDENT})
    with pytest.raises(ValueError, match="nested"):
        FeatureDistillation(loss=["mse", "mse"]).validate_outputs(TEACHER, STUDENT)
    with pytest.raises(NotImplementedError, match="compute_loss"):
        DistillationLoss().compute_loss(TEACHER, STUDENT)


def test_configs_round_trip_in_keras_format():
    for loss in (LogitsDistillation(temperature=4.0, loss=losses.KLDivergence()),
                 LogitsDistillation(loss=["mse", None]),
                 FeatureDistillation(loss="cosine_similarity", teacher_layer_name="t", student_layer_name="s")):
        config = serialization_lib.serialize_keras_object(loss)
        assert config["module"] == "keras.distillation" and config["class_name"] == type(loss).__name__
        rebuilt = serialization_lib.deserialize_keras_object(config)
        assert type(rebuilt) is type(loss) and rebuilt.get_config() == loss.get_config()
        pair = ([TEACHER, TEACHER], [STUDENT, STUDENT]) if isinstance(loss.loss, list) else (TEACHER, STUDENT)
        np.testing.assert_allclose(_np(rebuilt.compute_loss(*pair)), _np(loss.compute_loss(*pair)))


def test_keras_written_config_loads():
    # As Keras 3.15.1 writes it (functions with module "builtins").
    config = {"module": "keras.distillation", "class_name": "FeatureDistillation", "config": {
        "loss": {"module": "builtins", "class_name": "function", "config": "mean_squared_error",
                 "registered_name": "function"}, "teacher_layer_name": "a", "student_layer_name": None},
        "registered_name": None}
    loss = serialization_lib.deserialize_keras_object(config)
    assert isinstance(loss, FeatureDistillation) and loss.loss is losses.mean_squared_error
    assert loss.teacher_layer_name == "a"
    assert float(_np(loss.compute_loss(ops.ones((2, 3)), ops.zeros((2, 3))))) == 1.0
