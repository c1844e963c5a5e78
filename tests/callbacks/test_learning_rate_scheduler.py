"""LearningRateScheduler: the rate each epoch comes from the schedule, and the step uses it."""

import numpy as np
import pytest

from brickwork import ops
from brickwork.callbacks import LambdaCallback, LearningRateScheduler
from tests.callbacks.callback_models import StubModel, dense_model, regression_data
from tests.conftest import requires_training


def _drive(callback, epochs, learning_rate=0.1):
    model = StubModel(learning_rate)
    callback.set_model(model)
    rates, logged = [], []
    for epoch in range(epochs):
        callback.on_epoch_begin(epoch, {})
        rates.append(float(np.asarray(model.optimizer.learning_rate)))
        logs = {"loss": 1.0}
        callback.on_epoch_end(epoch, logs)
        logged.append(logs["learning_rate"])
    return rates, logged


def test_schedule_of_epoch_and_rate():
    rates, logged = _drive(LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr * 0.5), 4)
    assert rates == pytest.approx([0.1, 0.1, 0.05, 0.025])
    assert logged == pytest.approx(rates)


def test_schedule_of_epoch_only():
    rates, _ = _drive(LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1)), 3)
    assert rates == pytest.approx([0.01, 0.02, 0.03])


def test_backend_scalar_is_accepted():
    rates, _ = _drive(LearningRateScheduler(lambda epoch, lr: lr * ops.exp(-0.1)), 2, learning_rate=1.0)
    assert rates == pytest.approx([np.exp(-0.1), np.exp(-0.2)], rel=1e-6)


@pytest.mark.parametrize("bad", ["0.1", None, [0.1], 1])
def test_non_float_schedule_output_is_refused(bad):
    with pytest.raises(ValueError, match="should be a float"):
        _drive(LearningRateScheduler(lambda epoch, lr: bad), 1)


@requires_training
def test_the_compiled_step_uses_the_scheduled_rate():
    x, y = regression_data()
    model = dense_model(learning_rate=0.1)
    kernels = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: kernels.append(np.array(model.get_weights()[0])))
    zero_after_first = LearningRateScheduler(lambda epoch, lr: 0.1 if epoch == 0 else 0.0)
    history = model.fit(x, y, batch_size=8, epochs=3, callbacks=[zero_after_first, record], verbose=0)
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.0, 0.0])
    assert not np.allclose(kernels[0], 0.0)
    np.testing.assert_array_equal(kernels[1], kernels[0])  # a zero rate: the weights stay put
    np.testing.assert_array_equal(kernels[2], kernels[0])


def test_learning_rate_logs_names_each_inner_optimizer():
    from brickwork import optimizers
    from brickwork.callbacks.learning_rate_scheduler import learning_rate_logs

    assert learning_rate_logs(optimizers.SGD(learning_rate=0.5)) == {"learning_rate": 0.5}
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(
        default_optimizer=optimizers.SGD(learning_rate=0.25, name="body"),
        optimizer_map={"head": optimizers.Adam(learning_rate=0.125, name="head")}))
    expected = {"learning_rate_head": 0.125, "learning_rate_body": 0.25}
    assert learning_rate_logs(multi) == expected
    assert learning_rate_logs(optimizers.LossScaleOptimizer(multi)) == expected
