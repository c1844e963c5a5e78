"""Bad input to fit/evaluate/predict (and to a layer), one table: each case names the error class and a message
that names the argument or the layer. The checks run once per call, at the boundary, never per step."""

import numpy as np
import pytest

from brickwork import backend, layers, losses
from brickwork.models import Sequential
from brickwork.trainers import input_checks
from tests.conftest import requires_training

X = np.ones((4, 2), "float32")
Y = np.ones((4, 1), "float32")
LABELS = np.array([0, 1, 2, 1])


def _regressor():
    model = Sequential([layers.Input((2,)), layers.Dense(1, name="head")], name="regressor")
    model.compile("sgd", "mse")
    return model


def _classifier(loss="sparse_categorical_crossentropy"):
    model = Sequential([layers.Input((2,)), layers.Dense(3, activation="softmax", name="classes")], name="classifier")
    model.compile("sgd", loss)
    return model


def _predict(**kwargs):
    return lambda: _regressor().predict(**{"x": X, "verbose": 0, **kwargs})


def _fit(model=_regressor, **kwargs):
    return lambda: model().fit(**{"x": X, "y": Y, "verbose": 0, **kwargs})


def _evaluate(model=_regressor, **kwargs):
    return lambda: model().evaluate(**{"x": X, "y": Y, "verbose": 0, **kwargs})


def _labels(values, dtype=None, loss="sparse_categorical_crossentropy", method="fit"):
    y = np.array(values, dtype=dtype)
    return (_fit if method == "fit" else _evaluate)(lambda: _classifier(loss), y=y)


# name: (call, error class, message phrase naming the argument or the layer, needs training)
CASES = {
    # predict
    "predict-x-rank-1": (_predict(x=np.ones((4,), "float32")), ValueError, r"`x` has shape \(4,\).*layer 'head'", 0),
    "predict-x-rank-3": (_predict(x=np.ones((4, 2, 3), "float32")), ValueError, r"`x` has shape \(4, 2, 3\)", 0),
    "predict-x-empty": (_predict(x=np.zeros((0, 2), "float32")), ValueError, r"`x` has no samples", 0),
    "predict-x-scalar": (_predict(x=np.array(1.0, "float32")), ValueError, r"`x` has no samples", 0),
    "predict-x-None": (_predict(x=None), ValueError, r"`x` is None", 0),
    "predict-x-strings": (_predict(x=np.array([["a", "b"]])), TypeError, r"`x` is an array of strings.*'head'", 0),
    "predict-x-bytes": (_predict(x=np.array([[b"a", b"b"]])), TypeError, r"`x` is an array of strings.*'head'", 0),
    "predict-x-objects": (_predict(x=np.array([[1, None]], dtype=object)), TypeError, r"`x` is an array of objects", 0),
    "predict-batch_size-0": (_predict(batch_size=0), ValueError, r"`batch_size` must be a positive integer", 0),
    "predict-batch_size-negative": (_predict(batch_size=-3), ValueError, r"`batch_size`.*batch_size=-3", 0),
    "predict-batch_size-float": (_predict(batch_size=2.5), ValueError, r"`batch_size`.*batch_size=2.5", 0),
    "predict-batch_size-bool": (_predict(batch_size=True), ValueError, r"`batch_size`.*batch_size=True", 0),
    "predict-steps-0": (_predict(steps=0), ValueError, r"`steps` must be a positive integer", 0),
    # fit: counts
    "fit-batch_size-0": (_fit(batch_size=0), ValueError, r"fit: `batch_size`.*batch_size=0", 1),
    "fit-batch_size-negative": (_fit(batch_size=-1), ValueError, r"fit: `batch_size`.*batch_size=-1", 1),
    "fit-batch_size-string": (_fit(batch_size="32"), ValueError, r"fit: `batch_size`.*'32'", 1),
    "fit-epochs-negative": (_fit(epochs=-1), ValueError, r"fit: `epochs` must be a non-negative integer", 1),
    "fit-epochs-float": (_fit(epochs=1.5), ValueError, r"fit: `epochs`.*epochs=1.5", 1),
    "fit-epochs-string": (_fit(epochs="3"), ValueError, r"fit: `epochs`.*'3'", 1),
    "fit-initial_epoch-negative": (_fit(initial_epoch=-1), ValueError, r"`initial_epoch`", 1),
    "fit-steps_per_epoch-0": (_fit(steps_per_epoch=0), ValueError, r"`steps_per_epoch` must be a positive", 1),
    "fit-validation_split-1": (_fit(validation_split=1.0), ValueError, r"`validation_split`.*\[0, 1\)", 1),
    "fit-validation_split-negative": (_fit(validation_split=-0.1), ValueError, r"`validation_split`", 1),
    "fit-validation_freq-0": (_fit(validation_freq=0), ValueError, r"`validation_freq`", 1),
    # fit: data
    "fit-empty": (_fit(x=np.zeros((0, 2), "float32"), y=np.zeros((0, 1), "float32")), ValueError,
                  r"fit: `x` has no samples", 1),
    "fit-y-empty": (_fit(y=np.zeros((0, 1), "float32")), ValueError, r"fit: `y` has no samples", 1),
    "fit-sample_weight-empty": (_fit(sample_weight=np.zeros((0,), "float32")), ValueError,
                                r"`sample_weight` has no samples", 1),
    "fit-x-None": (_fit(x=None), ValueError, r"fit: `x` is None", 1),
    "fit-x-rank-1": (_fit(x=np.ones((4,), "float32")), ValueError, r"fit: `x` has shape \(4,\).*'head'", 1),
    "fit-x-strings": (_fit(x=np.array([["a", "b"]] * 4)), TypeError, r"fit: `x` is an array of strings.*'head'", 1),
    "fit-y-strings": (_fit(y=np.array([["a"]] * 4)), TypeError, r"fit: `y` is an array of strings", 1),
    # fit/evaluate: sparse categorical labels (NumPy, checked once on the host)
    "sparse-label-too-large": (_labels([0, 1, 5, 2]), ValueError, r"`y` holds the label 5.*'classifier' has 3", 1),
    "sparse-label-negative": (_labels([0, -1, 1, 2]), ValueError, r"`y` holds the label -1", 1),
    "sparse-label-fractional": (_labels([0, 1, 1.5, 2]), ValueError, r"`y` holds 1.5.*class indices", 1),
    "sparse-label-nan": (_labels([0, 1, np.nan, 2]), ValueError, r"`y` holds nan", 1),
    "sparse-label-loss-instance": (_labels([0, 1, 3, 2], loss=losses.SparseCategoricalCrossentropy()), ValueError,
                                   r"`y` holds the label 3", 1),
    "sparse-label-ignore_class-other": (_labels([0, -1, 7, 2], loss=losses.SparseCategoricalCrossentropy(
        ignore_class=-1)), ValueError, r"`y` holds the label 7", 1),
    "evaluate-sparse-label-too-large": (_labels([0, 1, 3, 2], method="evaluate"), ValueError,
                                        r"evaluate: `y` holds the label 3", 1),
    # evaluate
    "evaluate-batch_size-0": (_evaluate(batch_size=0), ValueError, r"evaluate: `batch_size`", 1),
    "evaluate-steps-negative": (_evaluate(steps=-1), ValueError, r"evaluate: `steps`", 1),
    "evaluate-x-empty": (_evaluate(x=np.zeros((0, 2), "float32"), y=np.zeros((0, 1), "float32")), ValueError,
                         r"evaluate: `x` has no samples", 1),
    # layers and configs
    "layer-call-on-strings": (lambda: layers.Dense(2, name="numbers")(np.array([["a", "b"]])), TypeError,
                              r"Layer 'numbers' \(Dense\).*`inputs` an array of strings", 0),
    "dense-10e12-units": (lambda: Sequential([layers.Input((3,)), layers.Dense(10**12, name="huge")]), ValueError,
                          r"Layer 'huge' \(Dense\).*'kernel' of shape \(3, 1000000000000\)", 0),
    "embedding-absurd-vocabulary": (lambda: layers.Embedding(2**40, 64, name="table").build((None, 4)), ValueError,
                                    r"Layer 'table' \(Embedding\).*shape \(1099511627776, 64\)", 0),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_naming_the_argument_or_layer(case):
    call, error, message, needs_training = CASES[case]
    if needs_training and not backend.SUPPORTS_TRAINING:
        pytest.skip(f"the {backend.backend()} backend is for inference only")
    with pytest.raises(error, match=message):
        call()


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


@requires_training
def test_good_labels_pass():
    """Integer-valued float labels, and the ignore_class value, are accepted."""
    _classifier().fit(X, np.array([0.0, 1.0, 2.0, 1.0]), verbose=0)
    model = _classifier(losses.SparseCategoricalCrossentropy(ignore_class=-1))
    model.fit(X, np.array([0, -1, 2, 1]), verbose=0)
    assert _regressor().predict(np.ones((4, 2, 1), "float32")[..., 0], verbose=0).shape == (4, 1)


@requires_training
def test_checks_run_once_per_call_not_per_step(monkeypatch):
    counts = {}
    for name in ("check_loop_arguments", "check_data", "check_sparse_labels"):
        original = getattr(input_checks, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            counts[_name] = counts.get(_name, 0) + 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(input_checks, name, counted)
    _classifier().fit(np.ones((32, 2), "float32"), np.zeros((32,), "int64"), batch_size=4, epochs=3, verbose=0)
    assert counts == {"check_loop_arguments": 1, "check_data": 1, "check_sparse_labels": 1}
