"""SwapEMAWeights: evaluation runs on the optimizer's moving averages; training weights come back."""

import numpy as np
import pytest

from brickwork.callbacks import LambdaCallback, SwapEMAWeights
from tests.callbacks.callback_models import dense_model, regression_data
from tests.conftest import requires_training


def _copies(arrays):
    return [np.array(a, copy=True) for a in arrays]


def _averages(model):
    return _copies(np.asarray(v.value if hasattr(v, "value") else v)
                   for v in model.optimizer._model_variables_moving_average)


@requires_training
def test_evaluate_sees_the_averages_and_the_weights_return():
    x, y = regression_data()
    model = dense_model(learning_rate=0.05, use_ema=True, ema_momentum=0.5)
    for start in range(0, 32, 8):  # train_on_batch: unlike fit, it leaves the averages in the optimizer
        model.train_on_batch(x[start:start + 8], y[start:start + 8])
    trained, averages = _copies(model.get_weights()), _averages(model)
    assert not np.allclose(trained[0], averages[0])
    seen = []
    spy = LambdaCallback(on_test_batch_begin=lambda batch, logs: seen.append(_copies(model.get_weights())))
    ema_loss = model.evaluate(x, y, batch_size=32, callbacks=[SwapEMAWeights(), spy], verbose=0)
    for during, average in zip(seen[0], averages):
        np.testing.assert_allclose(during, average, rtol=1e-6)
    for after, before in zip(model.get_weights(), trained):
        np.testing.assert_array_equal(after, before)
    # The loss evaluate reports is the loss of the averaged weights.
    kernel, bias = averages
    assert ema_loss == pytest.approx(float(np.mean((x @ kernel + bias - y) ** 2)), rel=1e-5)


@requires_training
def test_swap_on_epoch_shows_the_averages_to_later_callbacks():
    x, y = regression_data()
    model = dense_model(learning_rate=0.05, use_ema=True, ema_momentum=0.5)
    at_epoch_end = []
    averages = []
    spy = LambdaCallback(on_epoch_end=lambda epoch, logs: (at_epoch_end.append(_copies(model.get_weights())),
                                                            averages.append(_averages(model))))
    model.fit(x, y, batch_size=8, epochs=2, callbacks=[SwapEMAWeights(swap_on_epoch=True), spy], verbose=0)
    # After the swap, the optimizer's slots hold the training weights and the model the averages;
    # in the last epoch both hold the averages (fit then writes the averages into the model).
    assert not np.allclose(at_epoch_end[0][0], averages[0][0])
    np.testing.assert_allclose(at_epoch_end[1][0], averages[1][0], rtol=1e-6)
    np.testing.assert_allclose(model.get_weights()[0], at_epoch_end[1][0], rtol=1e-6)


def test_without_ema_the_error_says_so():
    x, y = regression_data(n=8)
    model = dense_model()
    model.predict(x, verbose=0)
    with pytest.raises(ValueError, match="use_ema=True"):
        model.evaluate(x, y, callbacks=[SwapEMAWeights()], verbose=0)


@requires_training
def test_a_loss_scale_optimizer_ends_fit_on_the_averages_as_its_inner_optimizer():
    """fit writes the inner optimizer's moving averages into the model at its end, through the wrapper too: the
    last validation and an evaluate afterwards see the same weights (Keras's swap_ema_weights test)."""
    from brickwork import layers, models, optimizers

    x, y = regression_data()
    results = []
    for wrap in (False, True):
        optimizer = optimizers.SGD(0.05, use_ema=True, ema_momentum=0.5)
        model = models.Sequential([layers.Input((3,)), layers.Dense(1, kernel_initializer="ones")])
        model.compile(optimizer=optimizers.LossScaleOptimizer(optimizer) if wrap else optimizer, loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, validation_data=(x, y),
                            callbacks=[SwapEMAWeights()], verbose=0)
        assert history.history["val_loss"][-1] == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-6)
        results.append(model.get_weights())
    for plain, wrapped in zip(*results):
        np.testing.assert_allclose(wrapped, plain, rtol=1e-6)
