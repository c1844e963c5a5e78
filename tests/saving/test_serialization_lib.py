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
