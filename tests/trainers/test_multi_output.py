"""compile/fit on models with several outputs: losses, weights and metrics per output, checked against NumPy
formulas and against Keras 3.15.1 on the same weights and data (logs, their names and order, trained weights)."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, models
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras

pytestmark = requires_training

_RNG = np.random.default_rng(7)
X = _RNG.normal(size=(16, 4)).astype("float32")
Y_REG = _RNG.normal(size=(16, 2)).astype("float32")
Y_CLS = _RNG.integers(0, 2, size=(16, 1)).astype("float32")
SW = _RNG.uniform(0.5, 2.0, size=(16,)).astype("float32")
WEIGHTS = [_RNG.normal(size=(4, 2)).astype("float32") * 0.5, np.zeros(2, "float32"),
           _RNG.normal(size=(4, 1)).astype("float32") * 0.5, np.full(1, 0.1, "float32")]

# The same model, compile arguments and data in Keras 3.15.1: `data` holds the arrays above.
_KERAS_MODEL = """
x = keras.Input((4,), name="x")
reg = keras.layers.Dense(2, name="reg")(x)
cls = keras.layers.Dense(1, activation="sigmoid", name="cls")(x)
model = keras.Model(x, {output})
model.get_layer("reg").set_weights([data["w0"], data["w1"]])
model.get_layer("cls").set_weights([data["w2"], data["w3"]])
model.compile(optimizer=keras.optimizers.SGD(0.1), loss={loss}, loss_weights={loss_weights},
              metrics={metrics}, weighted_metrics={weighted_metrics})
"""


_OUTPUTS = {"list": "[reg, cls]", "dict": '{"reg": reg, "cls": cls}'}


def _model(output="list"):
    x = layers.Input((4,), name="x")
    reg = layers.Dense(2, name="reg")(x)
    cls = layers.Dense(1, activation="sigmoid", name="cls")(x)
    model = models.Model(x, [reg, cls] if output == "list" else {"reg": reg, "cls": cls})
    model.get_layer("reg").set_weights(WEIGHTS[:2])
    model.get_layer("cls").set_weights(WEIGHTS[2:])
    return model


def _bce(y, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(axis=-1)


def _weighted_mean(values, sample_weight):
    return float((values * sample_weight).sum() / len(values))  # sum_over_batch_size


def test_list_outputs_losses_weights_and_metrics_match_numpy():
    model = _model()
    model.compile(optimizer="sgd", loss=["mse", "binary_crossentropy"], loss_weights=[0.5, 2.0],
                  metrics=[["mae"], ["accuracy"]], weighted_metrics=[[], ["mse"]])
    logs = model.evaluate(X, (Y_REG, Y_CLS), sample_weight=SW, batch_size=16, verbose=0, return_dict=True)
    reg, cls = model.predict(X, verbose=0)
    reg_loss = _weighted_mean(((reg - Y_REG) ** 2).mean(-1), SW)
    cls_loss = _weighted_mean(_bce(Y_CLS, cls), SW)
    assert sorted(logs) == ["cls_accuracy", "cls_loss", "cls_mse", "loss", "reg_loss", "reg_mae"]
    assert logs["reg_loss"] == pytest.approx(reg_loss, rel=1e-5)
    assert logs["cls_loss"] == pytest.approx(cls_loss, rel=1e-5)
    assert logs["loss"] == pytest.approx(0.5 * reg_loss + 2.0 * cls_loss, rel=1e-5)
    assert logs["reg_mae"] == pytest.approx(np.abs(reg - Y_REG).mean(), rel=1e-5)
    assert logs["cls_accuracy"] == pytest.approx(((cls > 0.5) == Y_CLS).mean(), rel=1e-6)
    squared = ((cls - Y_CLS) ** 2).mean(-1)
    assert logs["cls_mse"] == pytest.approx((squared * SW).sum() / SW.sum(), rel=1e-5)  # a weighted mean


def test_one_loss_for_every_output_and_partial_labels():
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    logs = model.evaluate(X, [Y_REG, Y_CLS], batch_size=16, verbose=0, return_dict=True)
    reg, cls = model.predict(X, verbose=0)
    expected = {"reg_loss": ((reg - Y_REG) ** 2).mean(), "cls_loss": ((cls - Y_CLS) ** 2).mean()}
    assert logs["loss"] == pytest.approx(sum(expected.values()), rel=1e-5)
    for name, value in expected.items():
        assert logs[name] == pytest.approx(value, rel=1e-5)
    # A loss for one output only: the labels given are that output's.
    model.compile(optimizer="sgd", loss=[None, "binary_crossentropy"])
    logs = model.evaluate(X, Y_CLS, batch_size=16, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(_bce(Y_CLS, cls).mean(), rel=1e-5)


def test_a_loss_on_an_inner_node_receives_the_sub_structure():
    seen = []

    def pair_loss(y_true, y_pred):
        seen.append((type(y_true).__name__, type(y_pred).__name__))
        return keras.ops.mean(keras.ops.abs(y_true["reg"] - y_pred["reg"]), axis=-1) + keras.ops.mean(
            keras.ops.abs(y_true["cls"] - y_pred["cls"]), axis=-1)

    model = _model("dict")
    model.compile(optimizer="sgd", loss=[pair_loss, {"cls": "binary_crossentropy"}])
    logs = model.evaluate(X, {"reg": Y_REG, "cls": Y_CLS}, batch_size=16, verbose=0, return_dict=True)
    out = model.predict(X, verbose=0)
    pair = (np.abs(out["reg"] - Y_REG).mean(-1) + np.abs(out["cls"] - Y_CLS).mean(-1)).mean()
    bce = _bce(Y_CLS, out["cls"]).mean()
    assert ("dict", "dict") in seen
    assert sorted(logs) == ["cls_loss", "cls_reg_loss", "loss"]
    assert logs["cls_reg_loss"] == pytest.approx(pair, rel=1e-5)
    assert logs["loss"] == pytest.approx(pair + bce, rel=1e-5)


@pytest.mark.parametrize("output", ["list", "dict"])
def test_fit_and_evaluate_match_keras(output):
    compile_args = dict(loss='{"reg": "mse", "cls": "binary_crossentropy"}', loss_weights='{"reg": 0.5, "cls": 2.0}',
                        metrics='{"reg": ["mae"], "cls": ["accuracy", "mse"]}', weighted_metrics='{"cls": ["mse"]}')
    # Labels shaped like the outputs (Keras 3.15.1 fails on dict labels for list outputs with sample weights).
    listed = output == "list"
    labels_code = '[data["y_reg"], data["y_cls"]]' if listed else '{"reg": data["y_reg"], "cls": data["y_cls"]}'
    script = _KERAS_MODEL.format(output=_OUTPUTS[output], **compile_args) + f"""
labels = {labels_code}
before = model.evaluate(data["x"], labels, sample_weight=data["sw"], batch_size=8, verbose=0)
history = model.fit(data["x"], labels, sample_weight=data["sw"], batch_size=8, epochs=2, shuffle=False, verbose=0)
out["before"] = np.array(before)
out["names"] = np.array(sorted(history.history))
out["history"] = np.array([history.history[k] for k in sorted(history.history)])
for i, w in enumerate(model.get_layer("reg").get_weights() + model.get_layer("cls").get_weights()):
    out[f"w{{i}}"] = w
"""
    reference = run_keras(script, x=X, y_reg=Y_REG, y_cls=Y_CLS, sw=SW, **{f"w{i}": w for i, w in enumerate(WEIGHTS)})
    model = _model(output)
    model.compile(optimizer=keras.optimizers.SGD(0.1), **{k: eval(v) for k, v in compile_args.items()})
    labels = [Y_REG, Y_CLS] if listed else {"reg": Y_REG, "cls": Y_CLS}
    before = model.evaluate(X, labels, sample_weight=SW, batch_size=8, verbose=0)
    history = model.fit(X, labels, sample_weight=SW, batch_size=8, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(before, reference["before"], rtol=1e-5, atol=1e-6)  # values in Keras's list order
    assert sorted(history.history) == list(reference["names"])
    np.testing.assert_allclose([history.history[k] for k in sorted(history.history)], reference["history"],
                               rtol=1e-4, atol=1e-6)
    trained = model.get_layer("reg").get_weights() + model.get_layer("cls").get_weights()
    for i, weight in enumerate(trained):
        np.testing.assert_allclose(weight, reference[f"w{i}"], rtol=1e-4, atol=1e-6)


def test_structure_errors_name_what_was_expected():
    model = _model()
    model.compile(optimizer="sgd", loss={"reg": "mse", "other": "mse"})
    with pytest.raises(ValueError, match=r"Expected keys \['reg', 'cls'\] in loss dict.*'other'"):
        model.fit(X, [Y_REG, Y_CLS], verbose=0)
    model.compile(optimizer="sgd", loss="mse", metrics={"other": ["mae"]})
    with pytest.raises(ValueError, match="(?s)Invalid `metrics`.*other"):
        model.fit(X, [Y_REG, Y_CLS], verbose=0)
    model.compile(optimizer="sgd", loss=["mse", "mse"])
    with pytest.raises(ValueError, match="y_true and y_pred have different structures"):
        model.fit(X, [Y_REG, Y_CLS, Y_CLS], verbose=0)
    with pytest.raises(ValueError, match="`loss_weights` must match the number of losses, got 2 losses and 3"):
        model.compile(optimizer="sgd", loss=["mse", "mse"], loss_weights=[1.0, 2.0, 3.0])
        model.fit(X, [Y_REG, Y_CLS], verbose=0)
    with pytest.raises(ValueError, match="Expected `metrics` argument to be a list, tuple, or dict"):
        model.compile(optimizer="sgd", loss="mse", metrics="mae")
