"""brickwork.losses against NumPy implementations of each formula: functions, classes, reductions,
sample weights, masks, config round trips, lookup by name, and gradients on the training backends."""

import numpy as np
import pytest

from brickwork import backend, losses, ops
from brickwork.losses.loss import set_mask
from tests.conftest import requires_training
from tests.gradient_check import check_gradients

BACKEND = backend.backend()
EPS = 1e-7
rng = np.random.default_rng(0)


def to_np(x):
    return np.asarray(backend.convert_to_numpy(x))


# ---- NumPy references: per-sample losses, float64 ----

def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _bce(t, p, from_logits=False):
    if from_logits:
        return np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def ref_bce(t, p, from_logits=False, label_smoothing=0.0, axis=-1):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    return _bce(t, p, from_logits).mean(axis=axis)


def ref_bfce(t, p, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
             axis=-1):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    p = _sigmoid(p) if from_logits else p
    p_t = t * p + (1 - t) * (1 - p)
    loss = (1 - p_t) ** gamma * _bce(t, p)
    if apply_class_balancing:
        loss = (t * alpha + (1 - t) * (1 - alpha)) * loss
    return loss.mean(axis=axis)


def ref_cce(t, p, from_logits=False, label_smoothing=0.0, axis=-1):
    t = t * (1 - label_smoothing) + label_smoothing / t.shape[-1]
    p = _softmax(p, axis) if from_logits else p / p.sum(axis=axis, keepdims=True)
    return -(t * np.log(np.clip(p, EPS, 1 - EPS))).sum(axis=axis)


def ref_cfce(t, p, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    t = t * (1 - label_smoothing) + label_smoothing / t.shape[-1]
    p = _softmax(p, axis) if from_logits else p
    p = np.clip(p / p.sum(axis=axis, keepdims=True), EPS, 1 - EPS)
    return (alpha * (1 - p) ** gamma * -t * np.log(p)).sum(axis=axis)


def ref_scce(t, p, from_logits=False, ignore_class=None, axis=-1):
    t = t.astype(int)
    one_hot = np.eye(p.shape[-1])[np.where(t == ignore_class, 0, t)]
    loss = ref_cce(one_hot, p, from_logits=from_logits)
    return np.where(t == ignore_class, 0.0, loss)


def _hinge_labels(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t


def _normalize(x, axis):
    return x / np.maximum(np.sqrt((x ** 2).sum(axis=axis, keepdims=True)), EPS)


REFERENCES = {
    "mean_squared_error": lambda t, p: ((t - p) ** 2).mean(-1),
    "mean_absolute_error": lambda t, p: np.abs(t - p).mean(-1),
    "mean_absolute_percentage_error": lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1),
    "mean_squared_logarithmic_error": lambda t, p: (
        (np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2).mean(-1),
    "cosine_similarity": lambda t, p, axis=-1: -(_normalize(t, axis) * _normalize(p, axis)).sum(axis),
    "huber": lambda t, p, delta=1.0: np.where(
        np.abs(p - t) <= delta, 0.5 * (p - t) ** 2, delta * np.abs(p - t) - 0.5 * delta ** 2).mean(-1),
    "log_cosh": lambda t, p: np.log(np.cosh(p - t)).mean(-1),
    "kl_divergence": lambda t, p: (np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1),
    "poisson": lambda t, p: (p - t * np.log(p + EPS)).mean(-1),
    "hinge": lambda t, p: np.maximum(1 - _hinge_labels(t) * p, 0).mean(-1),
    "squared_hinge": lambda t, p: (np.maximum(1 - _hinge_labels(t) * p, 0) ** 2).mean(-1),
    "categorical_hinge": lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
    "binary_crossentropy": ref_bce,
    "binary_focal_crossentropy": ref_bfce,
    "categorical_crossentropy": ref_cce,
    "categorical_focal_crossentropy": ref_cfce,
    "sparse_categorical_crossentropy": ref_scce,
    "dice": lambda t, p, axis=None: 1 - 2 * (t * p).sum(axis) / (t.sum(axis) + p.sum(axis) + EPS),
    "tversky": lambda t, p, alpha=0.5, beta=0.5, axis=None: 1 - (t * p).sum(axis) / (
        (t * p).sum(axis) + alpha * ((1 - p) * t).sum(axis) + beta * (p * (1 - t)).sum(axis) + EPS),
}


def _probabilities(shape):
    return _softmax(rng.normal(size=shape))


def _one_hot(shape):
    return np.eye(shape[-1])[rng.integers(0, shape[-1], shape[:-1])]


# name -> (class, data maker, list of kwargs to try)
CASES = {
    "mean_squared_error": (losses.MeanSquaredError, "regression", [{}]),
    "mean_absolute_error": (losses.MeanAbsoluteError, "regression", [{}]),
    "mean_absolute_percentage_error": (losses.MeanAbsolutePercentageError, "regression", [{}]),
    "mean_squared_logarithmic_error": (losses.MeanSquaredLogarithmicError, "positive", [{}]),
    "cosine_similarity": (losses.CosineSimilarity, "regression", [{}, {"axis": 0}]),
    "huber": (losses.Huber, "regression", [{}, {"delta": 0.3}]),
    "log_cosh": (losses.LogCosh, "regression", [{}]),
    "kl_divergence": (losses.KLDivergence, "distributions", [{}]),
    "poisson": (losses.Poisson, "positive", [{}]),
    "hinge": (losses.Hinge, "binary_scores", [{}]),
    "squared_hinge": (losses.SquaredHinge, "binary_scores", [{}]),
    "categorical_hinge": (losses.CategoricalHinge, "one_hot_scores", [{}]),
    "binary_crossentropy": (losses.BinaryCrossentropy, "binary", [
        {}, {"from_logits": True}, {"label_smoothing": 0.2}, {"from_logits": True, "label_smoothing": 0.1}]),
    "binary_focal_crossentropy": (losses.BinaryFocalCrossentropy, "binary", [
        {}, {"gamma": 3.0, "from_logits": True}, {"apply_class_balancing": True, "alpha": 0.4},
        {"label_smoothing": 0.1}]),
    "categorical_crossentropy": (losses.CategoricalCrossentropy, "categorical", [
        {}, {"from_logits": True}, {"label_smoothing": 0.2}]),
    "categorical_focal_crossentropy": (losses.CategoricalFocalCrossentropy, "categorical", [
        {}, {"from_logits": True, "gamma": 1.0}, {"alpha": [0.2, 0.3, 0.5], "label_smoothing": 0.1}]),
    "sparse_categorical_crossentropy": (losses.SparseCategoricalCrossentropy, "sparse", [
        {}, {"from_logits": True}]),
    "dice": (losses.Dice, "segmentation", [{}, {"axis": (1, 2)}]),
    "tversky": (losses.Tversky, "segmentation", [{}, {"alpha": 0.7, "beta": 0.3, "axis": (1, 2)}]),
}


def make_data(kind, from_logits=False):
    shape = (4, 3)
    if kind == "regression":
        return rng.normal(size=shape), rng.normal(size=shape)
    if kind == "positive":
        return rng.uniform(0, 3, shape), rng.uniform(0.1, 3, shape)
    if kind == "distributions":
        return _probabilities(shape), _probabilities(shape)
    if kind == "binary_scores":
        return rng.integers(0, 2, shape).astype(float), rng.normal(size=shape)
    if kind == "one_hot_scores":
        return _one_hot(shape), rng.normal(size=shape)
    if kind == "binary":
        return rng.integers(0, 2, shape).astype(float), (
            rng.normal(size=shape) if from_logits else rng.uniform(0.05, 0.95, shape))
    if kind == "categorical":
        return _one_hot(shape), rng.normal(size=shape) if from_logits else _probabilities(shape)
    if kind == "sparse":
        return rng.integers(0, 3, (4,)).astype(float), rng.normal(size=shape) if from_logits else _probabilities(shape)
    if kind == "segmentation":
        return rng.integers(0, 2, (2, 3, 3, 1)).astype(float), rng.uniform(0, 1, (2, 3, 3, 1))
    raise ValueError(kind)


SWEEP = [(name, kwargs) for name, (_, _, options) in CASES.items() for kwargs in options]


def _id(case):
    name, kwargs = case
    return name + ("" if not kwargs else "-" + "-".join(f"{k}={v}" for k, v in kwargs.items()))


@pytest.mark.parametrize("case", SWEEP, ids=[_id(c) for c in SWEEP])
def test_function_matches_numpy(case):
    name, kwargs = case
    y_true, y_pred = make_data(CASES[name][1], kwargs.get("from_logits", False))
    expected = REFERENCES[name](y_true, y_pred, **kwargs)
    out = getattr(losses, name)(y_true.astype("float32"), y_pred.astype("float32"), **kwargs)
    assert tuple(out.shape) == np.shape(expected)
    assert backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(to_np(out), expected, rtol=2e-4, atol=1e-5)


@pytest.mark.parametrize("case", SWEEP, ids=[_id(c) for c in SWEEP])
def test_class_matches_numpy_with_sample_weight(case):
    name, kwargs = case
    cls, kind, _ = CASES[name]
    y_true, y_pred = make_data(kind, kwargs.get("from_logits", False))
    per_sample = np.atleast_1d(REFERENCES[name](y_true, y_pred, **kwargs))
    loss = cls(**kwargs)
    out = loss(y_true, y_pred)
    assert tuple(out.shape) == () and backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(to_np(out), per_sample.mean(), rtol=2e-4, atol=1e-5)
    if per_sample.shape[0] == y_true.shape[0] and per_sample.ndim == 1:
        weights = rng.uniform(0, 2, per_sample.shape[0])
        weighted = loss(y_true, y_pred, sample_weight=weights)
        np.testing.assert_allclose(to_np(weighted), (per_sample * weights).mean(), rtol=2e-4, atol=1e-5)


REDUCTIONS = {
    "sum_over_batch_size": lambda values, w: (values * w).sum() / values.size,
    "mean": lambda values, w: (values * w).sum() / values.size,
    "sum": lambda values, w: (values * w).sum(),
    # As Keras: divided by the sum of the weights as given (a scalar weight is not broadcast first).
    "mean_with_sample_weight": lambda values, w: (values * w).sum() / np.sum(w),
    None: lambda values, w: values * w,
    "none": lambda values, w: values * w,
}


@pytest.mark.parametrize("reduction", list(REDUCTIONS), ids=str)
@pytest.mark.parametrize("weight_shape", [None, (), (5,), (5, 1)], ids=str)
def test_reductions_and_sample_weight_broadcasting(reduction, weight_shape):
    y_true, y_pred = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    values = ((y_true - y_pred) ** 2).mean(-1)
    weights = None if weight_shape is None else rng.uniform(0, 2, weight_shape)
    if weight_shape == (5, 1):
        values = values[:, None]  # as Keras: per-sample values take the weight's rank
    expected = REDUCTIONS[reduction](values, 1.0 if weights is None else weights)
    if reduction == "mean_with_sample_weight" and weights is None:
        expected = values.sum() / values.size
    out = losses.MeanSquaredError(reduction=reduction)(y_true, y_pred, sample_weight=weights)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("weight_shape", [(2, 4), (2, 1), (2,)], ids=str)
def test_sample_weight_per_time_step_or_per_sample(weight_shape):
    y_true, y_pred = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    weights = rng.uniform(0, 1, weight_shape)
    values = ((y_true - y_pred) ** 2).mean(-1)
    out = losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights)
    expected = (values * np.reshape(weights, (2, -1))).mean()
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)


def test_mask_on_y_pred_excludes_entries_from_the_mean():
    y_true, y_pred = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    y_pred_tensor = ops.convert_to_tensor(y_pred.astype("float32"))
    set_mask(y_pred_tensor, ops.convert_to_tensor(mask))
    values = ((y_true - y_pred) ** 2).mean(-1)
    out = losses.MeanSquaredError()(y_true, y_pred_tensor)
    np.testing.assert_allclose(to_np(out), values[mask].mean(), rtol=1e-5)
    summed = losses.MeanSquaredError(reduction="sum")(y_true, y_pred_tensor, sample_weight=np.full((2,), 2.0))
    np.testing.assert_allclose(to_np(summed), 2 * values[mask].sum(), rtol=1e-5)


def test_ignore_class_is_left_out_of_the_mean():
    y_true = np.array([1, 255, 2, 0])
    y_pred = _probabilities((4, 3))
    per_sample = ref_scce(np.where(y_true == 255, 0, y_true), y_pred)
    valid = y_true != 255
    out = losses.SparseCategoricalCrossentropy(ignore_class=255)(y_true, y_pred)
    np.testing.assert_allclose(to_np(out), per_sample[valid].mean(), rtol=1e-5)
    function_out = losses.sparse_categorical_crossentropy(y_true, y_pred.astype("float32"), ignore_class=255)
    np.testing.assert_allclose(to_np(function_out), np.where(valid, per_sample, 0.0), rtol=1e-5, atol=1e-7)


def test_y_true_is_cast_to_the_loss_dtype_and_ranks_are_aligned():
    y_true = np.array([[1], [0], [1]], dtype="int32")
    y_pred = np.array([0.9, 0.2, 0.6], dtype="float32")
    out = losses.MeanSquaredError()(y_true, y_pred)
    assert backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(to_np(out), np.mean((y_true[:, 0] - y_pred) ** 2), rtol=1e-6)
    assert backend.standardize_dtype(losses.MeanSquaredError(dtype="float64")(y_true, y_pred).dtype) == "float64"


def test_hinge_keeps_labels_that_are_not_binary():
    y_true, y_pred = np.array([[-1.0, 1.0, 1.0]]), np.array([[0.3, -0.2, 2.0]])
    np.testing.assert_allclose(to_np(losses.hinge(y_true, y_pred)), REFERENCES["hinge"](y_true, y_pred), rtol=1e-6)


def test_keras_documented_values():
    bce = losses.BinaryCrossentropy(from_logits=True)
    np.testing.assert_allclose(to_np(bce([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8])), 0.8654, atol=1e-4)
    cce = losses.CategoricalCrossentropy()
    y_true, y_pred = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    np.testing.assert_allclose(to_np(cce(y_true, y_pred, sample_weight=np.array([0.3, 0.7]))), 0.814, atol=1e-3)
    dice = losses.dice([[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]],
                       [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]], axis=(1, 2, 3))
    np.testing.assert_allclose(to_np(dice), [0.5, 0.75757575], rtol=1e-5)


class SquaredErrorLoss(losses.Loss):
    def call(self, y_true, y_pred):
        return ops.mean(ops.square(y_pred - y_true), axis=-1)


def test_custom_loss_subclass_and_function_wrapper():
    y_true, y_pred = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    expected = ((y_true - y_pred) ** 2).mean()
    np.testing.assert_allclose(to_np(SquaredErrorLoss()(y_true, y_pred)), expected, rtol=1e-5)
    wrapper = losses.LossFunctionWrapper(lambda t, p, scale: scale * ops.mean(ops.abs(t - p), axis=-1),
                                         name="scaled_l1", reduction="sum", scale=2.0)
    np.testing.assert_allclose(to_np(wrapper(y_true, y_pred)), 2 * np.abs(y_true - y_pred).mean(-1).sum(), rtol=1e-5)
    assert SquaredErrorLoss().name.startswith("squared_error_loss")


def test_incompatible_shapes_name_the_loss_and_the_shapes():
    # ValueError, or TypeError where the engine reports a broadcasting failure as one (jax).
    with pytest.raises((ValueError, TypeError), match=r"MeanSquaredError 'mean_squared_error'.*y_true.shape=\(2, 3\), "
                                         r"y_pred.shape=\(2, 4\)"):
        losses.MeanSquaredError()(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises((ValueError, TypeError), match="ops.subtract"):
        losses.mean_absolute_error(np.ones((2, 3)), np.ones((2, 4)))


def test_invalid_reduction_names_the_argument():
    with pytest.raises(ValueError, match="reduction.*'avg'"):
        losses.MeanSquaredError(reduction="avg")


LOSS_CLASSES = sorted({cls for cls, _, _ in CASES.values()} | {losses.CTC}, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", LOSS_CLASSES, ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    loss = cls(name="custom", reduction="sum")
    config = loss.get_config()
    import inspect

    assert set(config) == set(inspect.signature(cls.__init__).parameters) - {"self"}
    rebuilt = cls.from_config(config)
    assert rebuilt.get_config() == config
    again = losses.deserialize(losses.serialize(loss))
    assert type(again) is cls and again.get_config() == config


def test_function_wrapper_config_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", delta=0.5)
    rebuilt = losses.LossFunctionWrapper.from_config(wrapper.get_config())
    assert rebuilt.fn is losses.huber and rebuilt._fn_kwargs == {"delta": 0.5}


@pytest.mark.parametrize("identifier, expected", [
    ("mse", losses.mean_squared_error), ("MSE", losses.mean_squared_error), ("mae", losses.mean_absolute_error),
    ("binary_crossentropy", losses.binary_crossentropy), ("kld", losses.kl_divergence),
    ("categorical_crossentropy", losses.categorical_crossentropy),
])
def test_get_by_function_name(identifier, expected):
    assert losses.get(identifier) is expected


def test_get_by_class_name_config_and_objects():
    assert isinstance(losses.get("Huber"), losses.Huber)
    from_dict = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(from_dict, losses.CategoricalCrossentropy) and from_dict.from_logits
    instance = losses.Poisson()
    assert losses.get(instance) is instance
    assert isinstance(losses.get(losses.Hinge), losses.Hinge)
    assert losses.get(None) is None
    assert losses.deserialize(losses.serialize(losses.huber)) is losses.huber


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match="categorical_crossentropyy.*Did you mean 'categorical_crossentropy'"):
        losses.get("categorical_crossentropyy")
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(3)


@pytest.mark.parametrize("case", SWEEP, ids=[_id(c) for c in SWEEP])
def test_functions_infer_symbolic_shapes(case):
    name, kwargs = case
    y_true, y_pred = make_data(CASES[name][1], kwargs.get("from_logits", False))
    shape = lambda x: (None,) + x.shape[1:]  # noqa: E731
    true_dtype = "int32" if name.startswith("sparse") else "float32"
    out = getattr(losses, name)(backend.KerasTensor(shape(y_true), dtype=true_dtype),
                                backend.KerasTensor(shape(y_pred)), **kwargs)
    concrete = getattr(losses, name)(y_true.astype(true_dtype), y_pred.astype("float32"), **kwargs)
    expected = tuple(None if i == 0 and kwargs.get("axis") != 0 else d for i, d in enumerate(concrete.shape))
    assert tuple(out.shape) == expected
    assert backend.standardize_dtype(out.dtype) == "float32"


def test_ctc_loss_runs_and_is_positive():
    if not hasattr(ops, "ctc_loss"):
        pytest.skip("ops.ctc_loss is not available")
    y_true = np.array([[1, 2, 0], [2, 0, 0]])
    y_pred = rng.normal(size=(2, 5, 4)).astype("float32")
    out = losses.CTC()(y_true, y_pred)
    assert tuple(out.shape) == () and float(to_np(out)) > 0


@requires_training
@pytest.mark.parametrize("name, kwargs", [
    ("mean_squared_error", {}), ("huber", {"delta": 0.5}), ("log_cosh", {}), ("cosine_similarity", {}),
    ("binary_crossentropy", {"from_logits": True}), ("categorical_crossentropy", {"from_logits": True}),
    ("binary_focal_crossentropy", {"from_logits": True}), ("categorical_focal_crossentropy", {"from_logits": True}),
])
def test_gradients_match_finite_differences(name, kwargs):
    kind = CASES[name][1]
    y_true, y_pred = make_data(kind, from_logits=True)
    y_true_tensor = ops.convert_to_tensor(y_true)
    fn = getattr(losses, name)
    check_gradients(lambda p: fn(y_true_tensor, p, **kwargs), [y_pred], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("from_logits", [True, False])
def test_sparse_categorical_crossentropy_on_a_class_axis_other_than_the_last(from_logits):
    """Segmentation maps laid out (batch, classes, height, width): axis=1 against NumPy's log-softmax."""
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(2, 3, 4, 5)).astype("float32")
    labels = rng.integers(0, 3, size=(2, 4, 5))
    probabilities = np.exp(raw) / np.exp(raw).sum(axis=1, keepdims=True)
    picked = np.take_along_axis(probabilities, labels[:, None], axis=1)[:, 0]
    expected = -np.log(picked).mean()
    y_pred = raw if from_logits else probabilities
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits, axis=1)
    np.testing.assert_allclose(float(ops.convert_to_numpy(loss(labels, y_pred))), expected, rtol=1e-5)
