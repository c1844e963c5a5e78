"""``deserialize_keras_object`` with ``module_objects`` (Keras's legacy lookup tables)."""

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
