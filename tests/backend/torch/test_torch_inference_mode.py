"""On torch, ``predict`` and ``evaluate`` run their loop in ``torch.inference_mode()`` when only brickwork's own
code runs in it, else each step under ``no_grad`` as in Keras; variables made meanwhile stay trainable."""

import numpy as np
import pytest

import brickwork as keras
from tests.conftest import BACKEND

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.skipif(BACKEND != "torch", reason="torch's inference mode")


class _GradModes(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.modes = []

    def on_predict_batch_end(self, batch, logs=None):
        self.modes.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_predict_without_callbacks_runs_in_inference_mode_and_with_them_as_keras():
    model, x = _model(), np.ones((6, 3), "float32")
    seen = []
    layer_call = model.layers[0].call

    def spying_call(inputs, **kwargs):
        seen.append(torch.is_inference_mode_enabled())
        return layer_call(inputs, **kwargs)

    model.layers[0].call = spying_call
    model.predict(x, batch_size=2, verbose=0)
    assert seen == [True] * 3
    seen.clear()
    modes = _GradModes()
    model.predict(x, batch_size=2, verbose=0, callbacks=[modes])
    assert seen == [False] * 3 and modes.modes == [(False, True)] * 3  # the step alone under no_grad


def test_an_overridden_predict_step_may_enable_gradients():
    class Saliency(keras.Sequential):
        def predict_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            with torch.enable_grad():
                x = x.clone().requires_grad_(True)
                (grad,) = torch.autograd.grad(self(x).sum(), x)
            return grad

    model = Saliency([keras.Input((3,)), keras.layers.Dense(1)])
    kernel = keras.ops.convert_to_numpy(model.layers[0].kernel)
    grads = model.predict(np.ones((4, 3), "float32"), batch_size=2, verbose=0)
    np.testing.assert_allclose(grads, np.tile(kernel[:, 0], (4, 1)), rtol=1e-6)


def test_a_variable_made_in_inference_mode_trains_afterwards():
    with torch.inference_mode():
        variable = keras.Variable(np.array([1.0, 2.0], "float32"))
    assert not variable.value.is_inference()
    (grad,) = torch.autograd.grad((variable.value * variable.value).sum(), [variable.value])
    np.testing.assert_allclose(grad.numpy(), [2.0, 4.0])
    variable.assign_add(np.array([1.0, 1.0], "float32"))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(variable), [2.0, 3.0])


def test_training_after_predict_and_evaluate():
    model = _model()
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    before = model.predict(x, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=1, verbose=0)
    after = model.predict(x, verbose=0)
    assert np.all(np.abs(after) < np.abs(before))  # one step of SGD towards zero


@pytest.mark.parametrize("layer", ["GRU", "LSTM"])
def test_a_recurrent_model_predicted_first_then_trains(layer):
    """The fused kernels cache small constants (the GRU gate order, LSTM's zero bias); one first made under
    predict's inference mode must not break a later backward pass."""
    from brickwork.backend.torch import rnn

    rnn._GRU_ORDER.clear()
    rnn._ZEROS.clear()
    model = keras.Sequential([keras.Input((4, 3)), getattr(keras.layers, layer)(5), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 4, 3), "float32"), np.zeros((4, 1), "float32")
    model.predict(x, verbose=0)
    before = model.get_weights()
    model.fit(x, y, epochs=1, verbose=0)
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
