"""The Optimizer base: state, learning rates, gradient handling, stateless use, custom subclasses."""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, ops, optimizers
from tests.conftest import BACKEND, requires_training


def _variables():
    return [backend.Variable(np.array([1.0, -2.0, 3.0], "float32"), name="kernel"),
            backend.Variable(np.array([0.5, 0.25], "float32"), name="bias")]


GRADS = [np.array([0.1, 0.2, -0.3], "float32"), np.array([1.0, -1.0], "float32")]


def _numpy(values):
    return [np.array(backend.convert_to_numpy(v)) for v in values]


class SignSGD(optimizers.Optimizer):
    """A custom optimizer as a user writes one: ``build`` and ``update_step`` only."""

    def __init__(self, learning_rate=0.1, decay=0.5, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.decay = decay

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.traces = self.add_optimizer_variables(variables, "trace")

    def update_step(self, gradient, variable, learning_rate):
        trace = self.traces[self._get_variable_index(variable)]
        self.assign(trace, ops.add(ops.multiply(trace, self.decay), gradient))
        self.assign_sub(variable, ops.multiply(ops.sign(trace), ops.cast(learning_rate, variable.dtype)))

    def get_config(self):
        return {**super().get_config(), "decay": self.decay}


def _sign_sgd_reference(weights, grad_steps, lr=0.1, decay=0.5):
    weights = [w.astype(np.float64) for w in weights]
    traces = [np.zeros_like(w) for w in weights]
    for grads in grad_steps:
        traces = [t * decay + g for t, g in zip(traces, grads)]
        weights = [w - np.sign(t) * lr for w, t in zip(weights, traces)]
    return weights


# ---- state ----


def test_variables_are_iterations_learning_rate_then_slots_in_keras_order():
    optimizer = optimizers.Adam(amsgrad=True)
    optimizer.build(_variables())
    paths = [v.path for v in optimizer.variables]
    assert paths == ["adam/iteration", "adam/learning_rate", "adam/kernel_momentum", "adam/kernel_velocity",
                     "adam/bias_momentum", "adam/bias_velocity", "adam/kernel_velocity_hat",
                     "adam/bias_velocity_hat"]
    assert all(not v.trainable for v in optimizer.variables)
    assert optimizer.iterations.dtype == "int32"  # Keras 3.15.1: dtype "int", int32 outside TensorFlow
    assert optimizer.variables[2].dtype == "float32" and optimizer.variables[2].shape == (3,)


def test_add_variable_initializers():
    optimizer = optimizers.SGD()
    ones = optimizer.add_variable((2, 3), initializer="ones", dtype="float32", name="ones")
    constant = optimizer.add_variable((2,), initializer=0.25, name="constant")
    np.testing.assert_array_equal(ones.numpy(), np.ones((2, 3)))
    np.testing.assert_array_equal(constant.numpy(), [0.25, 0.25])
    assert constant.dtype == backend.floatx()
    assert optimizer.variables[-2:] == [ones, constant]


def test_forgetting_super_init_is_explained():
    class Broken(optimizers.Optimizer):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match="super\\(\\).__init__"):
        Broken().add_variable((1,))


# ---- the learning rate ----


def test_learning_rate_is_a_settable_variable():
    optimizer = optimizers.SGD(learning_rate=0.5)
    assert backend.is_variable(optimizer.learning_rate)
    assert float(optimizer.learning_rate) == pytest.approx(0.5)
    optimizer.learning_rate = 0.25
    assert float(optimizer.learning_rate.numpy()) == pytest.approx(0.25)
    assert optimizer.get_config()["learning_rate"] == pytest.approx(0.25)


def test_learning_rate_accepts_ints_and_numpy_scalars():
    assert float(optimizers.SGD(learning_rate=1).learning_rate) == 1.0
    assert float(optimizers.SGD(learning_rate=np.float32(0.5)).learning_rate) == 0.5


def test_schedule_learning_rate_follows_iterations_and_is_not_settable():
    schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    optimizer = optimizers.SGD(learning_rate=schedule)
    assert len(optimizer.variables) == 1  # no learning-rate variable
    np.testing.assert_allclose(backend.convert_to_numpy(optimizer.learning_rate), 0.1)
    optimizer._iterations.assign(2)
    np.testing.assert_allclose(backend.convert_to_numpy(optimizer.learning_rate), 0.025, rtol=1e-6)
    with pytest.raises(TypeError, match="not settable"):
        optimizer.learning_rate = 0.3


def test_setting_a_schedule_untracks_the_variable():
    optimizer = optimizers.SGD(learning_rate=0.1)
    optimizer.learning_rate = optimizers.schedules.InverseTimeDecay(0.1, 1, 1.0)
    assert [v.name for v in optimizer.variables] == ["iteration"]


@requires_training
def test_schedule_and_callable_learning_rates_drive_the_updates():
    schedule = optimizers.schedules.PiecewiseConstantDecay([0], [0.1, 0.01])
    for learning_rate, expected_rates in ((schedule, [0.1, 0.01]), (lambda: 0.2, [0.2, 0.2])):
        variable = backend.Variable(np.ones(2, "float32"), name="w")
        optimizer = optimizers.SGD(learning_rate=learning_rate)
        for _ in range(2):
            optimizer.apply([np.ones(2, "float32")], [variable])
        np.testing.assert_allclose(variable.numpy(), 1 - sum(expected_rates), rtol=1e-6)


# ---- applying gradients ----


@requires_training
def test_apply_gradients_takes_pairs_and_counts_iterations():
    variables = _variables()
    optimizer = optimizers.SGD(learning_rate=0.1)
    iterations = optimizer.apply_gradients(zip(GRADS, variables))
    assert int(iterations.numpy()) == 1
    optimizer.apply(GRADS)  # built: the variables are implied
    assert int(optimizer.iterations.numpy()) == 2
    np.testing.assert_allclose(variables[1].numpy(), [0.5 - 0.2, 0.25 + 0.2], rtol=1e-6)


@requires_training
def test_none_gradients_are_skipped_with_a_warning():
    variables = _variables()
    optimizer = optimizers.Adam(learning_rate=0.1)
    with pytest.warns(UserWarning, match="Gradients do not exist for variables \\['bias'\\]"):
        optimizer.apply([GRADS[0], None], variables)
    np.testing.assert_array_equal(variables[1].numpy(), [0.5, 0.25])
    assert not np.allclose(variables[0].numpy(), [1.0, -2.0, 3.0])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        optimizer.apply([None, None], variables)


@requires_training
def test_apply_errors_name_the_problem():
    variables = _variables()
    optimizer = optimizers.SGD()
    with pytest.raises(ValueError, match="must already be built"):
        optimizer.apply(GRADS)
    optimizer.apply(GRADS, variables)
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply(GRADS[:1], [backend.Variable(np.ones(3), name="stranger")])
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        optimizer.apply(GRADS, variables[:1])
    optimizer.apply([], variables)  # no gradients: nothing to do
    assert int(optimizer.iterations.numpy()) == 1


@requires_training
def test_weight_decay_respects_exclusions():
    variables = _variables() + [backend.Variable(np.array([2.0], "float32"), name="scale")]
    grads = GRADS + [np.array([1.0], "float32")]
    optimizer = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_list=[variables[2]], var_names=["bia"])
    before = _numpy(variables)
    optimizer.apply(grads, variables)
    np.testing.assert_allclose(variables[0].numpy(), before[0] * (1 - 0.05) - 0.1 * grads[0], rtol=1e-6)
    np.testing.assert_allclose(variables[1].numpy(), before[1] - 0.1 * grads[1], rtol=1e-6)
    np.testing.assert_allclose(variables[2].numpy(), before[2] - 0.1 * grads[2], rtol=1e-6)


@requires_training
def test_loss_scale_factor_scales_the_loss_and_unscales_the_gradients():
    optimizer = optimizers.SGD(learning_rate=0.1, loss_scale_factor=8.0)
    assert float(backend.convert_to_numpy(optimizer.scale_loss(backend.convert_to_tensor(2.0)))) == 16.0
    variable = backend.Variable(np.zeros(2, "float32"), name="w")
    optimizer.apply([np.array([8.0, -16.0], "float32")], [variable])
    np.testing.assert_allclose(variable.numpy(), [-0.1, 0.2], rtol=1e-6)


@requires_training
def test_constraints_apply_after_the_update():
    variables = _variables()
    variables[0].constraint = lambda v: ops.maximum(v, 0.0)
    optimizer = optimizers.SGD(learning_rate=1.0)
    optimizer.apply(GRADS, variables)
    np.testing.assert_allclose(variables[0].numpy(), [0.9, 0.0, 3.3], rtol=1e-6)


@requires_training
def test_gradient_accumulation_updates_every_n_steps_with_the_mean():
    variable = backend.Variable(np.zeros(2, "float32"), name="w")
    optimizer = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=3)
    grads = [np.array([1.0, 2.0], "float32"), np.array([3.0, 0.0], "float32"), np.array([2.0, 1.0], "float32")]
    for i, grad in enumerate(grads[:2]):
        optimizer.apply([grad], [variable])
        np.testing.assert_array_equal(variable.numpy(), [0.0, 0.0])
        assert int(backend.convert_to_numpy(optimizer.iterations)) == 0
    optimizer.apply([grads[2]], [variable])
    np.testing.assert_allclose(variable.numpy(), [-2.0, -1.0], rtol=1e-6)
    assert int(backend.convert_to_numpy(optimizer.iterations)) == 1
    assert int(optimizer._iterations.numpy()) == 3
    np.testing.assert_array_equal(optimizer._accumulated_gradients[0].numpy(), [0.0, 0.0])


@requires_training
def test_ema_averages_and_finalize():
    variable = backend.Variable(np.array([1.0], "float32"), name="w")
    optimizer = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    optimizer.apply([np.array([1.0], "float32")], [variable])  # w = 0, average = w (first step)
    optimizer.apply([np.array([1.0], "float32")], [variable])  # w = -1, average = 0.5 * 0 + 0.5 * -1
    np.testing.assert_allclose(variable.numpy(), [-1.0])
    optimizer.finalize_variable_values([variable])
    np.testing.assert_allclose(variable.numpy(), [-0.5])


@requires_training
def test_set_weights_and_save_load_own_variables():
    variables = _variables()
    optimizer = optimizers.Adam()
    optimizer.apply(GRADS, variables)
    store = {}
    optimizer.save_own_variables(store)
    assert len(store) == len(optimizer.variables)
    clone = optimizers.Adam()
    clone.build(variables)
    clone.load_own_variables(store)
    for a, b in zip(optimizer.variables, clone.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    clone.set_weights([np.zeros(v.shape) for v in clone.variables])
    assert int(clone.iterations.numpy()) == 0
    with pytest.raises(ValueError, match="not compatible"):
        clone.set_weights([np.zeros((7,))])
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.Adam().load_own_variables(store)
    with pytest.raises(ValueError, match="You are calling `set_weights\\(\\)` on Adam 'fresh', which is not built"):
        optimizers.Adam(name="fresh").set_weights([np.zeros(v.shape) for v in clone.variables])


# ---- custom optimizers and stateless use ----


@requires_training
def test_custom_optimizer_subclass_works():
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=(3,)).astype("float32"), rng.normal(size=(2, 2)).astype("float32")]
    grad_steps = [[rng.normal(size=w.shape).astype("float32") for w in weights] for _ in range(4)]
    variables = [backend.Variable(w) for w in weights]
    optimizer = SignSGD(learning_rate=0.1, decay=0.5, clipvalue=10.0)
    for grads in grad_steps:
        optimizer.apply(grads, variables)
    for variable, expected in zip(variables, _sign_sgd_reference(weights, grad_steps)):
        np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-6)
    assert SignSGD.from_config(optimizer.get_config()).get_config() == optimizer.get_config()
    assert optimizer._parallel_kernel() is None


@requires_training
def test_stateless_apply_returns_new_values_and_leaves_variables_alone():
    variables = _variables()
    optimizer = optimizers.Adam(learning_rate=0.1)
    optimizer.build(variables)
    before = _numpy(variables)
    optimizer_values = [v.value for v in optimizer.variables]
    new_trainable, new_optimizer = optimizer.stateless_apply(optimizer_values, GRADS, [v.value for v in variables])
    for variable, value in zip(variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)
    assert int(optimizer.iterations.numpy()) == 0
    assert int(backend.convert_to_numpy(new_optimizer[0])) == 1
    optimizer.apply(GRADS, variables)  # the eager update gives the same values
    for value, variable in zip(new_trainable, variables):
        # The torch fast path computes the bias corrections in float64 Python scalars, the
        # generic path in float32 tensors: they agree to float32 rounding of 1 - beta_2.
        np.testing.assert_allclose(backend.convert_to_numpy(value), variable.numpy(), rtol=1e-5)
    with pytest.raises(ValueError, match="optimizer_variables"):
        optimizer.stateless_apply(optimizer_values[:1], GRADS, [v.value for v in variables])


JIT_CASES = [
    (optimizers.Adam, {"learning_rate": 0.1}),
    (optimizers.SGD, {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    (optimizers.RMSprop, {"centered": True, "clipnorm": 0.5}),
    (optimizers.Nadam, {"global_clipnorm": 0.5}),
    (optimizers.Lamb, {}),
    (optimizers.Ftrl, {"learning_rate": 0.1}),
    (optimizers.Adam, {"gradient_accumulation_steps": 2}),
    (optimizers.SGD, {"learning_rate": 0.5, "use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2}),
    (optimizers.SGD, {"learning_rate": optimizers.schedules.ExponentialDecay(0.2, 1, 0.5)}),
    (SignSGD, {}),
]


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax trainer's")
@pytest.mark.parametrize("cls, kwargs", JIT_CASES, ids=[f"{c.__name__}-{sorted(k)}" for c, k in JIT_CASES])
def test_stateless_apply_under_jax_jit_equals_eager_apply(cls, kwargs):
    import jax

    rng = np.random.default_rng(5)
    grad_steps = [[rng.normal(size=(3,)).astype("float32"), rng.normal(size=(2,)).astype("float32")]
                  for _ in range(5)]
    eager_variables, jit_variables = _variables(), _variables()
    eager, jitted = cls(**kwargs), cls(**kwargs)
    jitted.build(jit_variables)
    step = jax.jit(jitted.stateless_apply)
    trainable = [v.value for v in jit_variables]
    optimizer_values = [v.value for v in jitted.variables]
    for grads in grad_steps:
        eager.apply(grads, eager_variables)
        trainable, optimizer_values = step(optimizer_values, [backend.convert_to_tensor(g) for g in grads],
                                           trainable)
    for value, variable in zip(trainable, eager_variables):
        np.testing.assert_allclose(np.asarray(value), variable.numpy(), rtol=1e-5, atol=1e-6)
    for value, variable in zip(optimizer_values, eager.variables):
        np.testing.assert_allclose(np.asarray(value), variable.numpy(), rtol=1e-5, atol=1e-6, err_msg=variable.path)


def _marked_and_plain():
    marked = backend.Variable(np.array([1.0, 2.0], "float32"), name="scale")
    marked.overwrite_with_gradient = True
    return marked, backend.Variable(np.array([1.0, 2.0], "float32"), name="kernel")


@requires_training
def test_a_variable_marked_overwrite_with_gradient_takes_its_gradient():
    marked, plain = _marked_and_plain()
    optimizer = optimizers.SGD(learning_rate=0.5, clipvalue=0.1)  # no clipping for the overwritten one
    optimizer.apply([np.array([3.0, -4.0], "float32"), np.array([1.0, 1.0], "float32")], [marked, plain])
    np.testing.assert_allclose(marked.numpy(), [3.0, -4.0])
    np.testing.assert_allclose(plain.numpy(), [1.0 - 0.5 * 0.1, 2.0 - 0.5 * 0.1])
    assert int(optimizer.iterations.numpy()) == 1


@requires_training
def test_overwrite_with_gradient_under_accumulation_keeps_the_running_maximum():
    marked, plain = _marked_and_plain()
    optimizer = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=2)
    steps = [np.array([1.0, 5.0], "float32"), np.array([3.0, 2.0], "float32"), np.array([0.0, 1.0], "float32")]
    expected_marked = [[1.0, 2.0], [3.0, 5.0], [3.0, 5.0]]  # written on the update step: max over the window
    expected_plain = [[1.0, 2.0], [-1.0, -1.5], [-1.0, -1.5]]  # minus the mean of the window's gradients
    for grad, want_marked, want_plain in zip(steps, expected_marked, expected_plain):
        optimizer.apply([grad, grad], [marked, plain])
        np.testing.assert_allclose(marked.numpy(), want_marked)
        np.testing.assert_allclose(plain.numpy(), want_plain)
    accumulator = optimizer._accumulated_gradients[0]
    np.testing.assert_allclose(backend.convert_to_numpy(accumulator), [0.0, 1.0])  # a new window started
