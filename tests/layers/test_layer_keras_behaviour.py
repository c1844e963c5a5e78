"""Base-layer behaviour that Keras 3.15.1's own layer tests check: paths, per-path dtype policies, call-context
arguments, state tracking (metrics, seed generators, untracking, the lock on state made in ``call``), losses
per outermost call, activity penalties per sample, argument errors. Where the value is Keras's, Keras computes
it on the same inputs."""

import numpy as np
import pytest

import brickwork
from brickwork import backend, dtype_policies, layers, metrics, models, ops, random
from tests.layers.keras_reference import run_keras


class Inner(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(1,), initializer="ones", name="w")
        self.dense = layers.Dense(2, kernel_initializer="ones")

    def call(self, x):
        return self.dense(x + self.w)


class Outer(models.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = Inner()
        self.dense = layers.Dense(3, kernel_initializer="ones")

    def call(self, x):
        return self.dense(self.inner(x))


KERAS_PATHS = """
from keras import layers
class Inner(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(1,), initializer="ones", name="w")
        self.dense = layers.Dense(2, kernel_initializer="ones")
    def call(self, x):
        return self.dense(x + self.w)
class Outer(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = Inner()
        self.dense = layers.Dense(3, kernel_initializer="ones")
    def call(self, x):
        return self.dense(self.inner(x))
model = Outer(name="outer")
out["y"] = keras.ops.convert_to_numpy(model(data["x"]))
out["paths"] = np.array(sorted(v.path for v in model.variables))
out["layer_paths"] = np.array([model.inner.path, model.inner.dense.path])
"""


def test_variable_paths_nest_under_the_layers_whose_first_call_builds_them():
    x = np.arange(8, dtype="float32").reshape(2, 4)
    expected = run_keras(KERAS_PATHS, x=x)
    model = Outer(name="outer")
    np.testing.assert_allclose(backend.convert_to_numpy(model(x)), expected["y"])
    assert sorted(v.path for v in model.variables) == list(expected["paths"])
    assert [model.inner.path, model.inner.dense.path] == list(expected["layer_paths"])


def test_path_is_none_until_built_and_weights_added_later_keep_the_parent_path():
    layer = layers.Dense(2, name="d")
    assert layer.path is None
    model = models.Sequential([layer], name="seq")
    model.build((None, 3))
    assert layer.path == "seq/d"
    late = layer.add_weight(shape=(), name="late")
    assert late.path == "seq/d/late"


def test_a_dtype_policy_map_gives_each_layer_the_policy_of_its_path():
    policy_map = dtype_policies.DTypePolicyMap("float32")
    policy_map["half"] = "float16"
    half = layers.Dense(2, name="half", dtype=policy_map)
    full = layers.Dense(2, name="full", dtype=policy_map)
    x = np.ones((1, 3), "float32")
    assert backend.standardize_dtype(half(x).dtype) == "float16"
    full(x)
    assert half.kernel.dtype == "float16" and full.kernel.dtype == "float32"
    half.dtype_policy = "mixed_bfloat16"  # sets the layer's entry; the map stays its policy
    assert isinstance(half.dtype_policy, dtype_policies.DTypePolicyMap)
    assert half.dtype_policy["half"].name == "mixed_bfloat16" and half.compute_dtype == "bfloat16"


def test_a_layer_with_a_low_precision_policy_casts_float_inputs_and_keeps_their_mask():
    seen = {}

    class Probe(layers.Layer):
        supports_masking = True

        def call(self, x, mask=None):
            seen["dtype"], seen["mask"] = backend.standardize_dtype(x.dtype), mask
            return x

    x = ops.zeros((1, 2))
    backend.set_keras_mask(x, ops.array([True, False]))
    Probe(dtype="float16")(x)
    assert seen["dtype"] == "float16" and seen["mask"] is not None


class FooInner(layers.Layer):
    def __init__(self):
        super().__init__()
        self._register_call_context_args("foo_mode")

    def call(self, x, foo_mode=False):
        return x + (1.0 if foo_mode else 0.0)


class FooOuter(layers.Layer):
    def __init__(self):
        super().__init__()
        self.inner = FooInner()

    def call(self, x):
        return self.inner(x)


def test_call_context_arguments_reach_the_inner_layers_that_registered_them():
    x = np.zeros((2, 1), "float32")
    model = models.Sequential([layers.Identity(), FooOuter()])
    model._register_call_context_args("foo_mode")
    np.testing.assert_allclose(backend.convert_to_numpy(model(x, foo_mode=True)), x + 1)
    np.testing.assert_allclose(backend.convert_to_numpy(model(x)), x)  # not left behind by the previous call
    assert set(model._call_context_args) == {"training", "foo_mode"}

    inputs = layers.Input((1,))
    functional = models.Model(inputs, FooOuter()(inputs))
    functional._register_call_context_args("foo_mode")
    np.testing.assert_allclose(backend.convert_to_numpy(functional(x, foo_mode=True)), x + 1)


def test_call_context_arguments_need_registration_and_come_before_the_first_call():
    class Plain(layers.Layer):
        def call(self, x, foo_mode=None):
            return x + (1.0 if foo_mode else 0.0)

    class Wrapper(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Plain()

        def call(self, x):
            return self.inner(x)

    wrapper = Wrapper()
    wrapper._register_call_context_args("foo_mode")
    assert float(backend.convert_to_numpy(wrapper(np.zeros((), "float32"), foo_mode=True))) == 0.0
    with pytest.raises(RuntimeError, match="after the layer has been called"):
        wrapper._register_call_context_args("bar_mode")


def test_metrics_and_seed_generators_in_attributes_and_lists_are_tracked():
    class WithState(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)
            self.metric = metrics.Mean()
            self.seeds = [random.SeedGenerator(1), random.SeedGenerator(2)]

        def call(self, x):
            return self.dense(x) * random.normal((), seed=self.seeds[0])

    layer = WithState()
    layer(np.ones((1, 3), "float32"))
    assert layer.metrics == [layer.metric] and len(layer.metrics_variables) == 2
    assert [v for v in layer.variables if v.dtype != "float32"] == [g.state for g in layer.seeds]
    assert len(layer.weights) == 2


def test_untracking_and_deleting_a_weight_and_the_lock_on_state_made_in_call():
    class Late(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(), name="w")

        def call(self, x):
            self.extra = self.add_weight(shape=(), name="extra")
            return x

    layer = Late()
    layer.build(None)
    layer._untrack_variable(layer.w)
    assert layer.weights == []
    layer.w = layer.add_weight(shape=(), name="w2")
    del layer.w
    assert layer.weights == []
    with pytest.raises(ValueError, match="cannot add new elements of state"):
        layer(np.ones((2,), "float32"))


def test_frozen_layer_has_no_trainable_weights_even_when_its_sublayers_are_trainable():
    class Holder(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(), name="w")
            self.sub = layers.Dense(1)
            self.sub.build((None, 2))

    layer = Holder(trainable=False)
    layer.build(None)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 3
    layer.trainable = True
    assert len(layer.trainable_weights) == 3
    with pytest.raises(ValueError, match="to be a boolean"):
        layers.Dense(2, trainable="yes")


KERAS_ACTIVITY = """
class Identity(keras.layers.Layer):
    def call(self, x):
        return x
for n in (0, 1, 5):
    layer = Identity(activity_regularizer="l2")
    layer(keras.ops.ones((n, 5)) * 2.0)
    out[f"loss{n}"] = keras.ops.convert_to_numpy(layer.losses[0])
"""


def test_activity_penalty_is_divided_by_the_batch_size():
    class Identity(layers.Layer):
        def call(self, x):
            return x

    expected = run_keras(KERAS_ACTIVITY)
    for n in (0, 1, 5):
        layer = Identity(activity_regularizer="l2")
        layer(ops.ones((n, 5)) * 2.0)
        np.testing.assert_allclose(backend.convert_to_numpy(layer.losses[0]), expected[f"loss{n}"], rtol=1e-6)
    assert type(layers.Dense(2, activity_regularizer="l1").activity_regularizer).__name__ == "L1"


def test_losses_belong_to_the_outermost_call_that_added_them():
    class LossLayer(layers.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x))
            return x

    first, second = LossLayer(), LossLayer()
    first(np.ones((1,), "float32"))
    second(np.ones((2,), "float32"))
    assert len(first.losses) == 1  # another layer's call leaves them
    model = models.Sequential([first])
    model(np.ones((1,), "float32"))
    assert len(model.losses) == 1  # the model's call replaces the layer's own


def test_argument_errors_name_the_fix():
    class TwoInputs(layers.Layer):
        def build(self, foo_shape, bar):
            pass

        def call(self, foo, bar):
            return foo + bar

    with pytest.raises(ValueError, match="argument `bar`, which does not end in `_shape`"):
        TwoInputs()(np.ones((1, 2), "float32"), np.ones((1, 2), "float32"))

    class Positional(layers.Layer):
        def call(self, x, flag):
            return x

    with pytest.raises(ValueError, match="Only input tensors may be passed as positional"):
        Positional()(layers.Input((2,)), True)

    class Keras2Style(layers.Layer):
        def __init__(self):
            super().__init__()
            self.w = self.add_weight("kernel", shape=(2,))

    with pytest.raises(ValueError, match="`name` must be passed as a keyword argument"):
        Keras2Style()
    with pytest.raises(NotImplementedError, match="does not have a `call` method implemented"):
        layers.Layer()(np.ones((1,), "float32"))
    with pytest.raises(NotImplementedError, match="does not have a `quantize` method implemented"):
        layers.Identity().quantize("int8")


def test_stateless_call_of_a_plain_layer_returns_the_new_seed_state():
    class Noisy(layers.Layer):
        def __init__(self):
            super().__init__()
            self.seed = random.SeedGenerator(7)

        def call(self, x):
            return x + random.normal((), seed=self.seed)

    layer = Noisy()
    before = backend.convert_to_numpy(layer.seed.state.value).copy()
    _, (state,) = layer.stateless_call([], [v.value for v in layer.non_trainable_variables], np.zeros((), "float32"))
    np.testing.assert_array_equal(backend.convert_to_numpy(layer.seed.state.value), before)
    assert backend.convert_to_numpy(state)[1] == before[1] + 1


# The customizing-saving guide's layer: ``build`` takes a second, string argument. One source, run by Keras and
# by brickwork (as ``keras``), so both sides test the same program.
BUILD_WITH_INITIALIZER = """
class BuildWithInitializer(keras.layers.Layer):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b
    def get_config(self):
        return dict(units=self.units, **super().get_config())
    def build(self, input_shape, layer_init):
        super().build(input_shape)
        self._input_shape = input_shape
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer=layer_init)
        self.b = self.add_weight(shape=(self.units,), initializer=layer_init)
        self.layer_init = layer_init
    def get_build_config(self):
        return {"layer_init": self.layer_init, "input_shape": self._input_shape}
    def build_from_config(self, config):
        self.build(config["input_shape"], config["layer_init"])
"""

KERAS_BUILD_WITH_INITIALIZER = BUILD_WITH_INITIALIZER + """
import tempfile, os
layer = BuildWithInitializer()
layer.build(input_shape=(3,), layer_init="ones")
model = keras.Sequential([layer, keras.layers.Dense(1, kernel_initializer="ones")])
out["y"] = keras.ops.convert_to_numpy(model(data["x"]))
path = os.path.join(tempfile.mkdtemp(), "m.keras")
model.save(path)
restored = keras.models.load_model(path, custom_objects={"BuildWithInitializer": BuildWithInitializer})
out["restored"] = keras.ops.convert_to_numpy(restored(data["x"]))
out["built"] = np.array([restored.layers[0].built, restored.layers[0].layer_init == "ones"])
"""


def test_build_with_a_string_argument_builds_saves_and_loads(tmp_path):
    """A ``build(input_shape, layer_init)`` called with an initializer's name: the shape recorded for the first
    call must not take the string for a nested shape (it recursed without end on its one-character items)."""
    x = np.arange(6, dtype="float32").reshape(2, 3)
    expected = run_keras(KERAS_BUILD_WITH_INITIALIZER, x=x)
    namespace = {"keras": brickwork}
    exec(BUILD_WITH_INITIALIZER, namespace)
    build_with_initializer = namespace["BuildWithInitializer"]
    layer = build_with_initializer()
    layer.build(input_shape=(3,), layer_init="ones")
    assert layer.built
    model = models.Sequential([layer, layers.Dense(1, kernel_initializer="ones")])
    np.testing.assert_allclose(ops.convert_to_numpy(model(x)), expected["y"], rtol=1e-6)
    path = tmp_path / "m.keras"
    model.save(path)
    restored = models.load_model(path, custom_objects={"BuildWithInitializer": build_with_initializer})
    np.testing.assert_allclose(ops.convert_to_numpy(restored(x)), expected["restored"], rtol=1e-6)
    assert [restored.layers[0].built, restored.layers[0].layer_init == "ones"] == expected["built"].tolist()


def test_from_config_reports_a_refused_config_as_a_type_error_naming_the_class():
    """Keras's ``from_config`` turns the class's own error into a TypeError that names the class and quotes it;
    the loader's refusals (a function a file names) pass through as they are."""
    with pytest.raises(TypeError, match="Embedding.*`input_dim` must be a positive integer") as caught:
        layers.Embedding.from_config({"input_dim": 3.7, "output_dim": 8})
    assert isinstance(caught.value.__cause__, ValueError)
    from brickwork.saving.serialization_lib import RefusedToLoad

    hostile = {"units": 2, "activation": {"module": "builtins", "class_name": "function", "config": "eval",
                                          "registered_name": None}}
    with pytest.raises(RefusedToLoad, match="Refused to load the function 'eval'"):
        layers.Dense.from_config(hostile)
