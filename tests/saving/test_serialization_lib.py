"""``deserialize_keras_object`` with ``module_objects`` (Keras's legacy lookup tables), and Keras's tagged plain
values."""

import json

import pytest

from brickwork import activations, initializers, layers, saving


def test_module_objects_resolve_plain_names_and_class_only_configs():
    table = {"glorot_uniform": initializers.GlorotUniform, "relu": activations.relu, "Dense": layers.Dense}
    assert isinstance(saving.deserialize_keras_object("glorot_uniform", module_objects=table),
                      initializers.GlorotUniform)
    assert saving.deserialize_keras_object("relu", module_objects=table) is activations.relu
    dense = saving.deserialize_keras_object({"class_name": "Dense", "config": {"units": 2}}, module_objects=table)
    assert isinstance(dense, layers.Dense) and dense.units == 2
    assert saving.deserialize_keras_object("unknown", module_objects=table) == "unknown"  # as Keras: unchanged


def test_custom_objects_take_precedence_over_module_objects():
    class MyDense(layers.Dense):
        pass

    found = saving.deserialize_keras_object({"class_name": "Dense", "config": {"units": 2}},
                                            custom_objects={"Dense": MyDense}, module_objects={"Dense": layers.Dense})
    assert type(found) is MyDense


def _compiled_model(loss):
    from brickwork import Input, Model

    inputs = Input((3,))
    model = Model(inputs, layers.Dense(2)(inputs))
    model.compile(optimizer="adam", loss=loss, metrics=["mae"])
    return model


def _squared_error(y_true, y_pred):
    from brickwork import ops

    return ops.mean((y_true - y_pred) ** 2, axis=-1)


@saving.register_keras_serializable(package="test_serialization_lib")
def _registered_error(y_true, y_pred):
    from brickwork import ops

    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def test_compile_config_with_loss_instances_and_functions_is_restored(tmp_path):
    from brickwork import losses

    for loss in (losses.MeanSquaredError(), losses.Huber(delta=2.0), losses.mean_absolute_error, _registered_error,
                 "mse"):
        _compiled_model(loss).save(tmp_path / "m.keras")
        loaded = saving.load_model(tmp_path / "m.keras")
        assert loaded.compiled, loss
        restored = loaded.get_compile_config()["loss"]
        if isinstance(loss, losses.Loss):
            assert type(restored) is type(loss) and restored.get_config() == loss.get_config()
        else:
            assert restored == loss


def test_an_unregistered_loss_function_loads_with_custom_objects_or_uncompiled_with_a_warning(tmp_path):
    import pytest

    _compiled_model(_squared_error).save(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras", custom_objects={"_squared_error": _squared_error})
    assert loaded.compiled and loaded.get_compile_config()["loss"] is _squared_error
    with pytest.warns(UserWarning, match="compile configuration"):
        uncompiled = saving.load_model(tmp_path / "m.keras")
    assert not uncompiled.compiled


def test_keras_compile_config_names_its_own_functions_under_builtins():
    from brickwork import losses

    written_by_keras = {"optimizer": "adam", "loss": {"module": "builtins", "class_name": "function",
                                                      "config": "mean_absolute_error", "registered_name": "function"}}
    assert saving.deserialize_keras_object(written_by_keras)["loss"] is losses.mean_absolute_error


@pytest.mark.parametrize("value", [b"hello", Ellipsis, slice(None, 20, 1), {"a": [slice(1, 2, None), b"x"]}],
                         ids=["bytes", "ellipsis", "slice", "nested"])
def test_plain_values_round_trip_in_keras_form(value):
    from brickwork.saving import serialization_lib

    config = serialization_lib.serialize_keras_object(value)
    assert json.loads(json.dumps(config)) == config
    assert serialization_lib.deserialize_keras_object(config) == value


def test_keras_3_6_registered_function_without_its_package():
    """Keras 3.6 wrote a registered function by its bare name with module "builtins"."""
    from brickwork.saving import object_registration, serialization_lib

    @object_registration.register_keras_serializable(package="bare_name_test")
    def doubled_for_bare_name_test(x):
        return 2 * x

    config = {"module": "builtins", "class_name": "function", "config": "doubled_for_bare_name_test",
              "registered_name": "function"}
    assert serialization_lib.deserialize_keras_object(config) is doubled_for_bare_name_test


def test_engine_tensors_serialize_as_keras_tensors_values():
    from brickwork import backend, ops
    from brickwork.saving import serialization_lib

    if backend.backend() == "numpy":
        pytest.skip("the numpy engine's tensors are NumPy arrays, written as plain lists")
    config = serialization_lib.serialize_keras_object({"mu": ops.ones((2, 3)) * 0.5})
    assert config["mu"]["class_name"] == "__tensor__" and config["mu"]["config"]["dtype"] == "float32"
    restored = serialization_lib.deserialize_keras_object(json.loads(json.dumps(config)))["mu"]
    assert backend.is_tensor(restored) and backend.convert_to_numpy(restored).tolist() == [[0.5] * 3] * 2


@pytest.mark.parametrize("config, message", [
    ({"class_name": "Dense", "module": "keras.layers", "config": [4]}, "Expected 'config' to be a dict"),
    ({"class_name": "function", "module": "builtins", "config": None}, "Expected 'config' to be a non-null str"),
    ({"class_name": "__typespec__", "config": {"shape": [2]}}, "Expected 'config' to be a list or a tuple"),
    ({"class_name": "__typespec__", "spec_name": "TensorSpec", "config": [[2], "float32"]}, "TensorFlow"),
], ids=["class-list", "function-none", "typespec-dict", "typespec-list"])
def test_malformed_configs_are_type_errors_that_name_the_expected_shape(config, message):
    from brickwork.saving import serialization_lib

    with pytest.raises(TypeError, match=message):
        serialization_lib.deserialize_keras_object(config)


def test_a_bare_lambda_is_written_as_bytecode_and_loads_only_outside_safe_mode():
    from brickwork.saving import serialization_lib

    offset = 3
    config = json.loads(json.dumps(serialization_lib.serialize_keras_object({"fn": lambda x: x + offset})))
    assert config["fn"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="arbitrary code execution"):
        serialization_lib.deserialize_keras_object(config)
    assert serialization_lib.deserialize_keras_object(config, safe_mode=False)["fn"](4) == 7  # closure kept


@pytest.mark.parametrize("config", [
    {"class_name": "Dense", "module": "keras.layers", "registered_name": "os.system", "config": {"units": 1}},
    {"class_name": "function", "module": "builtins", "registered_name": "pkg>relu", "config": "relu"},
], ids=["class", "function"])
def test_a_builtin_given_a_foreign_registered_name_is_refused(config):
    from brickwork.saving import serialization_lib

    with pytest.raises(ValueError, match="resolved to a Keras built-in"):
        serialization_lib.deserialize_keras_object(config)


def test_a_builtin_under_its_own_registered_name_or_none_loads():
    from brickwork.saving import serialization_lib

    for registered_name in (None, "", "Dense"):
        dense = serialization_lib.deserialize_keras_object(
            {"class_name": "Dense", "module": "keras.layers", "registered_name": registered_name,
             "config": {"units": 3}})
        assert isinstance(dense, layers.Dense) and dense.units == 3
    relu = serialization_lib.deserialize_keras_object(
        {"class_name": "function", "module": "builtins", "registered_name": "function", "config": "relu"})
    assert relu is activations.relu


def test_a_registered_class_wins_over_the_builtin_of_the_same_class_name():
    from brickwork.saving import serialization_lib

    @saving.register_keras_serializable(package="test_builtin_guard")
    class Dense(layers.Dense):
        pass

    config = serialization_lib.serialize_keras_object(Dense(2))
    assert config["registered_name"] == "test_builtin_guard>Dense"
    assert type(serialization_lib.deserialize_keras_object(config)) is Dense


class _Doubler:
    def __call__(self, x):
        return 2 * x

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls()


def test_object_sharing_scope_writes_a_shared_object_once_and_reads_it_back_as_one():
    from brickwork.saving import serialization_lib

    doubler = _Doubler()
    with serialization_lib.ObjectSharingScope():
        config = serialization_lib.serialize_keras_object([doubler, {"again": doubler}, _Doubler()])
    assert config[0]["shared_object_id"] == config[1]["again"]["shared_object_id"]
    assert "shared_object_id" not in config[2]
    config = json.loads(json.dumps(config))
    custom = {"_Doubler": _Doubler}
    with serialization_lib.ObjectSharingScope():
        first, holder, other = serialization_lib.deserialize_keras_object(config, custom_objects=custom)
    assert holder["again"] is first and other is not first
    # outside a scope the tags are ignored: each config gives its own object
    first, holder, _ = serialization_lib.deserialize_keras_object(config, custom_objects=custom)
    assert holder["again"] is not first


def test_a_layer_shared_by_a_model_and_a_wrapper_stays_one_layer_after_saving(tmp_path):
    import numpy as np

    from brickwork import Input, Model

    @saving.register_keras_serializable(package="test_sharing")
    class Twice(layers.Wrapper):
        def call(self, x):
            return self.layer(self.layer(x))

    inputs = Input((3,))
    dense = layers.Dense(3)
    model = Model(inputs, [dense(inputs), Twice(dense)(inputs)])
    model.save(tmp_path / "shared.keras")
    loaded = saving.load_model(tmp_path / "shared.keras")
    wrapper = next(layer for layer in loaded.layers if isinstance(layer, Twice))
    assert wrapper.layer in loaded.layers
    x = np.random.rand(2, 3).astype("float32")
    for expected, got in zip(model.predict(x, verbose=0), loaded.predict(x, verbose=0)):
        np.testing.assert_allclose(expected, got, rtol=1e-6)


def test_a_registered_class_without_from_config_is_refused_not_guessed():
    from brickwork.saving import serialization_lib

    @saving.register_keras_serializable(package="test_no_from_config")
    class Halve:
        def __init__(self, factor=0.5):
            self.factor = factor

        def get_config(self):
            return {"factor": self.factor}

    config = serialization_lib.serialize_keras_object(Halve())
    with pytest.raises(TypeError, match="Unable to reconstruct an instance of 'Halve'.*from_config"):
        serialization_lib.deserialize_keras_object(config)


def test_a_config_object_left_undeserialized_gets_one_hint_at_the_failing_class(tmp_path):
    from brickwork import Input, Model

    @saving.register_keras_serializable(package="test_undeserialized")
    class Holder(layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner  # from a file this is the inner layer's config dict: never deserialized

        def call(self, x):
            return self.inner(x)

        def get_config(self):
            return {**super().get_config(), "inner": self.inner}

    inputs = Input((3,))
    Model(inputs, Holder(layers.Dense(2))(inputs)).save(tmp_path / "holder.keras")
    with pytest.raises(TypeError, match="explicitly deserialized") as caught:
        saving.load_model(tmp_path / "holder.keras")
    assert str(caught.value).count("explicitly deserialized") == 1


def test_a_refusal_inside_a_model_is_not_rewrapped_as_a_from_config_hint():
    from brickwork.saving import serialization_lib

    config = serialization_lib.serialize_keras_object(saving.deserialize_keras_object(
        {"class_name": "Sequential", "module": "keras", "config": {"name": "s", "layers": []}}))
    config["config"]["layers"] = [{"class_name": "Evil", "module": "os", "config": {}}]
    with pytest.raises(TypeError, match="^Refused to load class 'Evil'"):
        serialization_lib.deserialize_keras_object(config)


def test_functional_with_a_slice_survives_the_json_round_trip():
    """JSON turns the key ``(slice, 1)`` into a list; the rebuilt model still indexes as ``x[:, 1]`` (NumPy)."""
    import json

    import numpy as np

    from brickwork import layers, models
    from brickwork.saving import serialization_lib

    inputs = layers.Input(shape=(2,))
    model = models.Model(inputs, inputs[:, 1])
    config = json.loads(json.dumps(serialization_lib.serialize_keras_object(model)))
    rebuilt = serialization_lib.deserialize_keras_object(config)
    x = np.arange(6, dtype="float32").reshape(3, 2)
    np.testing.assert_array_equal(np.asarray(rebuilt.predict(x, verbose=0)), x[:, 1])
    assert tuple(rebuilt.output.shape) == (None,)
