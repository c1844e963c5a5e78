"""IoU metrics against scikit-learn's ``jaccard_score`` and Keras 3 on the same inputs."""

import numpy as np
import pytest
from sklearn.metrics import jaccard_score

import brickwork as keras
from brickwork import backend, metrics
from tests.conftest import BACKEND, requires_training
from tests.layers.keras_reference import run_keras
from tests.metrics.metric_check import to_np

rng = np.random.default_rng(0)


def _reference_mean_iou(y_true, y_pred, num_classes, targets, weights=None, ignore_class=None):
    """The mean over ``targets`` that occur of scikit-learn's per-class IoU (Jaccard index)."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    weights = np.ones(y_true.shape) if weights is None else np.ravel(np.broadcast_to(weights, np.shape(y_true)))
    keep = (y_true >= 0) & (y_true < num_classes) & (y_pred >= 0) & (y_pred < num_classes)
    if ignore_class is not None:
        keep &= y_true != ignore_class
    y_true, y_pred, weights = y_true[keep], y_pred[keep], weights[keep]
    per_class = jaccard_score(y_true, y_pred, labels=list(range(num_classes)), average=None, sample_weight=weights,
                              zero_division=0)
    present = [c for c in targets if weights[(y_true == c) | (y_pred == c)].sum() > 0]
    return float(np.mean(per_class[present])) if present else 0.0


def _batches(num_classes, count=3, shape=(4, 5)):
    return [(rng.integers(0, num_classes, shape), rng.integers(0, num_classes, shape), rng.uniform(0, 2, shape))
            for _ in range(count)]


@pytest.mark.parametrize("targets", [[0], [1, 3], [0, 1, 2, 3]])
@pytest.mark.parametrize("weighted", [False, True])
def test_iou_accumulates_like_jaccard_score(targets, weighted):
    batches = _batches(4)
    metric = metrics.IoU(num_classes=4, target_class_ids=targets, dtype="float32")
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights if weighted else None)
    y_true, y_pred, weights = (np.concatenate([b[i].ravel() for b in batches]) for i in range(3))
    expected = _reference_mean_iou(y_true, y_pred, 4, targets, weights if weighted else None)
    np.testing.assert_allclose(to_np(metric.result()), expected, rtol=1e-5)
    metric.reset_state()
    np.testing.assert_allclose(to_np(metric.result()), 0.0)


def test_mean_iou_ignores_a_class_and_out_of_range_labels():
    y_true = np.array([[0, 1, 255, 2], [2, 2, 1, 255]])
    y_pred = np.array([[0, 2, 1, 2], [2, 1, 1, 0]])
    metric = metrics.MeanIoU(num_classes=3, ignore_class=255)
    metric.update_state(y_true, y_pred)
    np.testing.assert_allclose(to_np(metric.result()), _reference_mean_iou(y_true, y_pred, 3, [0, 1, 2]), rtol=1e-6)
    assert metric.dtype == "int32" and backend.standardize_dtype(metric.total_cm.dtype) == "int32"


def test_absent_classes_are_left_out_of_the_mean():
    metric = metrics.MeanIoU(num_classes=5)
    metric.update_state([0, 0, 1], [0, 1, 1])
    np.testing.assert_allclose(to_np(metric.result()), (0.5 + 0.5) / 2, rtol=1e-6)


def test_one_hot_variants_take_the_argmax():
    y_true = np.eye(3)[rng.integers(0, 3, 12)]
    y_pred = rng.uniform(size=(12, 3))
    one_hot = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    one_hot.update_state(y_true, y_pred)
    mean = metrics.OneHotMeanIoU(num_classes=3)
    mean.update_state(y_true, y_pred)
    labels, predictions = y_true.argmax(-1), y_pred.argmax(-1)
    np.testing.assert_allclose(to_np(one_hot.result()), _reference_mean_iou(labels, predictions, 3, [0, 2]),
                               rtol=1e-6)
    np.testing.assert_allclose(to_np(mean.result()), _reference_mean_iou(labels, predictions, 3, [0, 1, 2]),
                               rtol=1e-6)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_binary_iou_thresholds_scores(threshold):
    y_true, y_pred, weights = rng.integers(0, 2, 20), rng.uniform(size=20), rng.integers(0, 3, 20)
    metric = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=threshold)
    metric.update_state(y_true, y_pred, sample_weight=weights)
    expected = _reference_mean_iou(y_true, (y_pred >= threshold).astype(int), 2, [0, 1], weights)
    np.testing.assert_allclose(to_np(metric.result()), expected, rtol=1e-6)


def test_matches_keras_including_int_truncation_of_weights():
    y_true, y_pred = rng.integers(0, 3, (6, 4)), rng.integers(0, 3, (6, 4))
    scores = rng.uniform(size=(6, 4))
    weights = rng.uniform(0, 3, (6, 4)).astype("float32")
    script = """
    out["iou"] = keras.metrics.IoU(3, [0, 2])(data["t"], data["p"]).numpy()
    m = keras.metrics.MeanIoU(3, dtype="float32"); m.update_state(data["t"], data["p"], data["w"])
    out["mean"] = m.result().numpy()
    m = keras.metrics.MeanIoU(3); m.update_state(data["t"], data["p"], data["w"])
    out["mean_int"] = m.result().numpy()
    m = keras.metrics.BinaryIoU([1], 0.4); m.update_state(data["t"] > 0, data["s"])
    out["binary"] = m.result().numpy()
    """
    expected = run_keras(script, t=y_true, p=y_pred, s=scores, w=weights)
    np.testing.assert_allclose(to_np(metrics.IoU(3, [0, 2])(y_true, y_pred)), expected["iou"], rtol=1e-6)
    mean = metrics.MeanIoU(3, dtype="float32")
    mean.update_state(y_true, y_pred, weights)
    np.testing.assert_allclose(to_np(mean.result()), expected["mean"], rtol=1e-5)
    truncated = metrics.MeanIoU(3)
    with pytest.warns(UserWarning, match="truncates"):
        truncated.update_state(y_true, y_pred, keras.ops.convert_to_tensor(weights))
    np.testing.assert_allclose(to_np(truncated.result()), expected["mean_int"], rtol=1e-6)
    binary = metrics.BinaryIoU([1], 0.4)
    binary.update_state(y_true > 0, scores)
    np.testing.assert_allclose(to_np(binary.result()), expected["binary"], rtol=1e-6)


def test_invalid_target_class_is_refused():
    with pytest.raises(ValueError, match="target_class_ids"):
        metrics.IoU(num_classes=2, target_class_ids=[2])


@pytest.mark.parametrize("name", ["IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU"])
def test_deserialize_by_name(name):
    config = {"class_name": name, "config": {"num_classes": 2, "target_class_ids": [0]}}
    config["config"] = {k: v for k, v in config["config"].items()
                        if k in getattr(metrics, name).__init__.__code__.co_varnames}
    assert type(metrics.deserialize(config)) is getattr(metrics, name)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax backend's compiler")
def test_stateless_update_inside_jax_jit():
    import jax

    eager, jitted = metrics.MeanIoU(4, ignore_class=0), metrics.MeanIoU(4, ignore_class=0)
    step = jax.jit(lambda values, t, p: jitted.stateless_update_state(values, t, p))
    values = [v.value for v in jitted.variables]
    for y_true, y_pred, _ in _batches(4):
        eager.update_state(y_true, y_pred)
        values = step(values, y_true, y_pred)
    np.testing.assert_allclose(to_np(jitted.stateless_result(values)), to_np(eager.result()), rtol=1e-6)


@requires_training
def test_in_fit():
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.integers(0, 3, 32)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=[metrics.MeanIoU(3, sparse_y_pred=False)])
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    logged = history.history["mean_io_u"][-1]
    expected = _reference_mean_iou(y, model.predict(x, verbose=0).argmax(-1), 3, [0, 1, 2])
    assert 0.0 <= logged <= 1.0
    evaluated = model.evaluate(x, y, verbose=0, return_dict=True)["mean_io_u"]
    np.testing.assert_allclose(evaluated, expected, rtol=1e-5)
