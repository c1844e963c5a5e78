"""Distiller: the first step's loss by hand, the student's weights after training against Keras 3.15.1 on the
same weights, a frozen teacher, the student as the model's call, and Keras's config and file format."""

import json
import os
import warnings

import numpy as np
import pytest

from brickwork import backend, layers, losses, metrics, models, optimizers, saving
from brickwork.distillation import Distiller, FeatureDistillation, LogitsDistillation
from brickwork.saving import serialization_lib
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras

RNG = np.random.default_rng(3)
X = RNG.normal(size=(8, 5)).astype("float32")
Y = RNG.integers(0, 4, size=(8,)).astype("int32")
TEMPERATURE, STUDENT_WEIGHT, FEATURE_WEIGHT = 2.0, 0.3, 0.5


def _np(x):
    return np.asarray(backend.convert_to_numpy(x))


def _mlp(prefix, hidden):
    return models.Sequential([layers.Input((5,)), layers.Dense(hidden, activation="relu", name=f"{prefix}_hidden"),
                              layers.Dense(6, activation="tanh", name=f"{prefix}_features"),
                              layers.Dense(4, name=f"{prefix}_logits")], name=prefix)


def _weights(model, seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.weights]


def _models():
    teacher, student = _mlp("teacher", 12), _mlp("student", 3)
    teacher.set_weights(_weights(teacher, 1))
    student.set_weights(_weights(student, 2))
    return teacher, student


def _distiller(teacher, student):
    return Distiller(teacher, student, [
        LogitsDistillation(temperature=TEMPERATURE, loss=losses.KLDivergence()),
        FeatureDistillation(loss="mse", teacher_layer_name="teacher_features", student_layer_name="student_features"),
    ], distillation_loss_weights=[1.0, FEATURE_WEIGHT], student_loss_weight=STUDENT_WEIGHT)


def _forward(weights, x):
    """The MLP in NumPy: (features, logits)."""
    w1, b1, w2, b2, w3, b3 = weights
    features = np.tanh(np.maximum(x @ w1 + b1, 0) @ w2 + b2)
    return features, features @ w3 + b3


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _hand_losses(teacher_weights, student_weights):
    t_features, t_logits = _forward(teacher_weights, X)
    s_features, s_logits = _forward(student_weights, X)
    log_probs = s_logits - np.log(np.exp(s_logits).sum(-1, keepdims=True))
    student = -np.mean(log_probs[np.arange(len(Y)), Y])
    p, q = (np.clip(_softmax(z / TEMPERATURE), 1e-7, 1) for z in (t_logits, s_logits))
    kl = np.mean(np.sum(p * np.log(p / q), -1)) * TEMPERATURE ** 2
    distillation = kl + FEATURE_WEIGHT * np.mean((t_features - s_features) ** 2)
    return student, distillation, STUDENT_WEIGHT * student + (1 - STUDENT_WEIGHT) * distillation


def test_call_runs_the_student_and_the_teacher_is_frozen():
    teacher, student = _models()
    distiller = _distiller(teacher, student)
    assert not teacher.trainable and student.trainable
    np.testing.assert_allclose(_np(distiller(X)), _np(student(X)), rtol=1e-6)
    trainable = {id(v) for v in distiller.trainable_weights}
    assert trainable == {id(v) for v in student.trainable_weights}
    assert distiller._teacher_feature_extractor is not None
    assert len(distiller._teacher_feature_extractor.outputs) == 2


def test_invalid_arguments_name_the_problem():
    teacher, student = _models()
    with pytest.raises(ValueError, match="teacher must be a keras.Model"):
        Distiller("model", student, LogitsDistillation())
    with pytest.raises(ValueError, match="between 0.0 and 1.0"):
        Distiller(teacher, student, LogitsDistillation(), student_loss_weight=1.5)
    with pytest.raises(ValueError, match="one weight per loss"):
        Distiller(teacher, student, [LogitsDistillation(), LogitsDistillation()], distillation_loss_weights=[1.0])
    with pytest.raises(ValueError, match="cannot be None"):
        Distiller(teacher, student, None)
    with pytest.raises(ValueError, match="no layer named 'missing'"):
        Distiller(teacher, student, FeatureDistillation(teacher_layer_name="missing"))
    wide = models.Sequential([layers.Input((5,)), layers.Dense(7)])
    with pytest.raises(ValueError, match="output shapes differ"):
        Distiller(teacher, wide, LogitsDistillation())
    with pytest.raises(ValueError, match="`loss` cannot be None"):
        Distiller(teacher, student, LogitsDistillation()).compile(optimizer="sgd")


@requires_training
def test_first_step_loss_matches_a_hand_computation():
    teacher, student = _models()
    expected = _hand_losses(teacher.get_weights(), student.get_weights())
    distiller = _distiller(teacher, student)
    distiller.compile(optimizer=optimizers.SGD(0.1), loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    history = distiller.fit(X, Y, batch_size=len(X), epochs=1, shuffle=False, verbose=0).history
    for name, value in zip(("student_loss", "distillation_loss", "total_loss"), expected):
        np.testing.assert_allclose(history[name][0], value, rtol=1e-5, err_msg=name)
    np.testing.assert_allclose(history["loss"][0], expected[2], rtol=1e-5)


_KERAS_FIT = """
from keras.distillation import Distiller, FeatureDistillation, LogitsDistillation
def mlp(prefix, hidden):
    return keras.Sequential([keras.Input((5,)), keras.layers.Dense(hidden, activation="relu", name=f"{prefix}_hidden"),
                             keras.layers.Dense(6, activation="tanh", name=f"{prefix}_features"),
                             keras.layers.Dense(4, name=f"{prefix}_logits")], name=prefix)
teacher, student = mlp("teacher", 12), mlp("student", 3)
teacher.set_weights([data[f"t{i}"] for i in range(6)])
student.set_weights([data[f"s{i}"] for i in range(6)])
distiller = Distiller(teacher, student, [
    LogitsDistillation(temperature=2.0, loss=keras.losses.KLDivergence()),
    FeatureDistillation(loss="mse", teacher_layer_name="teacher_features", student_layer_name="student_features"),
], distillation_loss_weights=[1.0, 0.5], student_loss_weight=0.3)
distiller.compile(optimizer=keras.optimizers.SGD(0.1),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = distiller.fit(data["x"], data["y"], batch_size=4, epochs=3, shuffle=False, verbose=0).history
for name in ("loss", "student_loss", "distillation_loss", "total_loss"):
    out[name] = np.array(history[name])
for i, w in enumerate(student.get_weights()):
    out[f"student{i}"] = w
out["evaluate"] = np.array(distiller.evaluate(data["x"], data["y"], verbose=0))
out["names"] = np.array(distiller.metrics_names)
"""


@requires_training
def test_training_matches_keras_and_leaves_the_teacher_alone():
    teacher, student = _models()
    arrays = {"x": X, "y": Y, **{f"t{i}": w for i, w in enumerate(teacher.get_weights())},
              **{f"s{i}": w for i, w in enumerate(student.get_weights())}}
    expected = run_keras(_KERAS_FIT, **arrays)
    teacher_before = teacher.get_weights()
    distiller = _distiller(teacher, student)
    distiller.compile(optimizer=optimizers.SGD(0.1), loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
    history = distiller.fit(X, Y, batch_size=4, epochs=3, shuffle=False, verbose=0).history
    for name in ("loss", "student_loss", "distillation_loss", "total_loss"):
        np.testing.assert_allclose(history[name], expected[name], rtol=1e-4, atol=1e-6, err_msg=name)
    for i, w in enumerate(student.get_weights()):
        np.testing.assert_allclose(w, expected[f"student{i}"], rtol=1e-4, atol=1e-5, err_msg=f"student weight {i}")
    for before, after in zip(teacher_before, teacher.get_weights()):
        np.testing.assert_array_equal(before, after)
    assert distiller.metrics_names == list(expected["names"])
    np.testing.assert_allclose(distiller.evaluate(X, Y, verbose=0), expected["evaluate"], rtol=1e-4, atol=1e-6)


@requires_training
def test_student_loss_weight_one_and_zero():
    teacher, student = _models()
    only_labels = Distiller(teacher, student, LogitsDistillation(), student_loss_weight=1.0)
    only_labels.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    logs = only_labels.fit(X, Y, epochs=1, verbose=0).history
    assert logs["distillation_loss"] == [0.0]
    only_teacher = Distiller(teacher, student, LogitsDistillation(), student_loss_weight=0.0)
    only_teacher.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    logs = only_teacher.fit(X, Y, epochs=1, verbose=0).history
    assert logs["student_loss"] == [0.0] and logs["distillation_loss"][0] > 0


@pytest.mark.skipif(backend.SUPPORTS_TRAINING, reason="checks the inference-only engine's answer")
def test_fit_is_refused_on_an_inference_only_engine():
    teacher, student = _models()
    distiller = _distiller(teacher, student)
    distiller.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(Exception, match="(?i)train"):
        distiller.fit(X, Y, verbose=0)


def test_config_round_trip_and_keras_file_format(tmp_path):
    teacher, student = _models()
    distiller = _distiller(teacher, student)
    config = serialization_lib.serialize_keras_object(distiller)
    assert config["module"] == "keras.distillation" and config["class_name"] == "Distiller"
    json.dumps(config)
    rebuilt = serialization_lib.deserialize_keras_object(config)
    assert rebuilt.student_loss_weight == STUDENT_WEIGHT and rebuilt.distillation_loss_weights == [1.0, FEATURE_WEIGHT]
    assert [type(loss) for loss in rebuilt.distillation_losses] == [LogitsDistillation, FeatureDistillation]
    distiller(X)
    distiller.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    path = os.path.join(tmp_path, "distiller.keras")
    distiller.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # compile() is custom: it is not replayed on loading, as in Keras
        loaded = saving.load_model(path)
    assert isinstance(loaded, Distiller) and loaded.student_loss_weight == STUDENT_WEIGHT
    np.testing.assert_allclose(_np(loaded(X)), _np(distiller(X)), rtol=1e-6)
    assert not loaded.teacher.trainable


_KERAS_SAVE = """
import sys
from keras.distillation import Distiller, LogitsDistillation
def mlp(hidden, seed):
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(hidden, activation="relu"),
                              keras.layers.Dense(4)])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.weights])
    return model
distiller = Distiller(mlp(8, 1), mlp(3, 2), LogitsDistillation(temperature=3.0), student_loss_weight=0.7)
distiller.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
distiller.fit(data["x"], data["y"], epochs=1, verbose=0)
distiller.save(data["path"].item())
out["y"] = distiller.predict(data["x"], verbose=0)
"""


def test_loads_a_distiller_saved_by_keras(tmp_path):
    path = str(tmp_path / "keras_distiller.keras")
    expected = run_keras(_KERAS_SAVE, x=X, y=Y, path=np.array(path))
    if not os.path.exists(path):  # the answer came from the cache: this run has no file
        expected = run_keras(_KERAS_SAVE + "\nout['again'] = np.array(1)", x=X, y=Y, path=np.array(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = saving.load_model(path)
    assert isinstance(loaded, Distiller) and loaded.student_loss_weight == 0.7
    assert loaded.distillation_losses[0].temperature == 3.0
    np.testing.assert_allclose(_np(loaded.predict(X, verbose=0)), expected["y"], rtol=1e-5, atol=1e-6)
    assert isinstance(metrics.Mean(), metrics.Metric)  # the trackers' class is the public one
