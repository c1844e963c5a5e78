"""How Functional and Sequential models take their inputs, as Keras 3.15.1 does (its models/*_test.py pin the same)."""

import warnings

import numpy as np
import pytest

from brickwork import backend, layers, models, ops, optimizers


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _two_input_dict_model(keys=("a", "b")):
    a, b = layers.Input((3,), name=keys[0]), layers.Input((3,), name=keys[1])
    return models.Model({keys[0]: a, keys[1]: b}, layers.Subtract()([a, b]))


def test_nested_dict_inputs_are_matched_by_key_at_every_depth():
    i1, i2, i3 = layers.Input((1,)), layers.Input((2,)), layers.Input((3,))
    model = models.Model({"1": i1, "others": {"2": i2, "3": i3}},
                         {"1": i1 * 2, "others": {"2": i2 + 1, "3": i3 - 1}})
    out = model({"others": {"3": np.ones((2, 3)), "2": np.zeros((2, 2))}, "1": np.full((2, 1), 5.0)})
    np.testing.assert_allclose(_np(out["1"]), np.full((2, 1), 10.0))
    np.testing.assert_allclose(_np(out["others"]["2"]), np.ones((2, 2)))
    np.testing.assert_allclose(_np(out["others"]["3"]), np.zeros((2, 3)))
    symbolic = model({"1": layers.Input((1,), batch_size=4), "others": {"2": layers.Input((2,), batch_size=4),
                                                                         "3": layers.Input((3,), batch_size=4)}})
    assert symbolic["others"]["3"].shape == (4, 3)  # traced with the given batch size


def test_extra_dict_keys_are_dropped_with_one_warning():
    model = _two_input_dict_model()
    data = {"a": np.ones((2, 3)), "b": np.zeros((2, 3)), "unused": np.ones((2, 7))}
    with pytest.warns(UserWarning, match="The structure of `inputs` doesn't match the expected structure"):
        out = model(data)
    np.testing.assert_allclose(_np(out), np.ones((2, 3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model(data)  # the same layout again: no second warning


def test_a_list_for_a_dict_model_needs_sorted_keys():
    sorted_model = _two_input_dict_model(("a", "b"))
    with pytest.warns(UserWarning, match="doesn't match the expected structure"):
        out = sorted_model([np.ones((2, 3)), np.zeros((2, 3))])
    np.testing.assert_allclose(_np(out), np.ones((2, 3)))  # a - b, in key order
    unsorted_model = _two_input_dict_model(("z", "a"))
    with pytest.raises(ValueError, match="doesn't match the expected structure"):
        unsorted_model([np.ones((2, 3)), np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"expects 2 named input\(s\) with keys"):
        sorted_model(np.ones((2, 3)))
    with pytest.raises(ValueError, match="Missing data for input 'b'"):
        sorted_model({"a": np.ones((2, 3))})


def test_inputs_are_converted_to_each_input_dtype():
    f, i = layers.Input((2,), dtype="float16"), layers.Input((2,), dtype="int32")
    model = models.Model((f, i), (f + 2, i + 2))
    out_f, out_i = model((np.ones((2, 2)), np.ones((2, 2))))  # float64 data
    assert backend.standardize_dtype(out_f.dtype) == "float16"
    assert backend.standardize_dtype(out_i.dtype) == "int32"
    np.testing.assert_array_equal(_np(out_i), np.full((2, 2), 3))


def test_wrong_sizes_and_ranks_name_the_input():
    inputs = layers.Input((4,), name="features")
    model = models.Model(inputs, layers.Dense(2)(inputs))
    with pytest.raises(ValueError, match=r"name 'features'.*expected shape=\(None, 4\), found shape=\(2, 3\)"):
        model(np.zeros((2, 3)))
    nested = [{"foo": layers.Input((3,), name="deep")}]
    deep_model = models.Model(nested, layers.Dense(3)(nested[0]["foo"]))
    with pytest.raises(ValueError, match="name 'deep' and path '0.foo'"):
        deep_model(np.zeros(()))


def test_none_is_refused_for_a_required_input():
    x = layers.Input((3,), name="x")
    model = models.Model(x, layers.Dense(1)(x))
    with pytest.raises(ValueError, match="The input 'x' is not optional"):
        model([None])


def test_a_graph_cut_at_an_intermediate_tensor_starts_at_a_new_input_layer():
    inputs = layers.Input((2,))
    hidden = layers.Dense(3, name="first")(inputs)
    outputs = layers.Dense(4, name="second")(hidden)
    full = models.Model(inputs, outputs)
    tail = models.Model(hidden, outputs)
    assert isinstance(tail.layers[0], layers.InputLayer) and [l.name for l in tail.layers[1:]] == ["second"]
    h = np.random.rand(5, 3).astype("float32")
    np.testing.assert_allclose(_np(tail(h)), _np(full.get_layer("second")(h)), rtol=1e-6)
    assert [type(op).__name__ for op in full.operations] == ["InputLayer", "Dense", "Dense"]


def test_a_disconnected_output_is_named_by_its_path():
    i1, i2 = layers.Input((2,), name="i1"), layers.Input((2,), name="i2")
    with pytest.raises(ValueError, match="Output with path `second` is not connected to `inputs`"):
        models.Model(i1, {"first": i1 * 2, "second": i2 * 3})


def test_sequential_with_a_model_first_is_built_and_takes_dict_inputs_unbuilt():
    inner_in = layers.Input((4,))
    inner = models.Model(inner_in, layers.Dense(3)(inner_in))
    model = models.Sequential([inner, layers.Dense(1)])
    assert model.built and model.inputs[0].shape == (None, 4)

    class First(layers.Layer):
        def call(self, inputs):
            return inputs["a"] + inputs["b"]

    dict_model = models.Sequential([First()])
    out = dict_model({"a": np.ones((2, 2)), "b": np.ones((2, 2))})
    np.testing.assert_allclose(_np(out), np.full((2, 2), 2.0))
    assert not hasattr(models.Sequential(), "inputs")  # AttributeError until an input is known


def test_sequential_errors_follow_keras():
    class TwoArguments(layers.Layer):
        def call(self, inputs, training):
            return inputs

    model = models.Sequential([TwoArguments()])
    with pytest.raises(ValueError, match="can only have a single positional argument"):
        model.build((None, 2))
    with pytest.raises(ValueError, match="no layers"):
        models.Sequential()(np.ones((2, 2)))
    configured = models.Sequential([layers.Input((2,), batch_size=3), layers.Dense(2)])
    with pytest.raises(ValueError, match="already been configured"):
        configured.build((3, 4))
    configured.build((3, 2))


def test_clone_model_recursive_and_compiled():
    inner_in = layers.Input((4,))
    inner = models.Model(inner_in, layers.Dense(3)(inner_in))
    outer_in = layers.Input((4,))
    model = models.Model(outer_in, layers.Dense(2)(inner(outer_in)))
    model.compile(optimizer="adam", loss="mse")
    seen = []

    def clone_function(layer):
        seen.append(type(layer).__name__)
        return type(layer).from_config(layer.get_config())

    twin = models.clone_model(model, clone_function=clone_function, recursive=True)
    assert seen.count("Functional") == 0 and seen.count("Dense") == 2  # the inner model was walked, not copied
    assert twin.compiled
    with pytest.raises(ValueError, match="`input_tensors` must have the same structure as model.input"):
        models.clone_model(_two_input_dict_model(), input_tensors=[layers.Input((3,)), layers.Input((3,))])


def test_optimizers_are_named_as_layers_are():
    # Keras 3.15.1 snake-cases the class name and makes it unique: 'rm_sprop', 'adam_w', 'sgd', 'sgd_1', ...
    first, second = optimizers.RMSprop(), optimizers.RMSprop()
    assert first.name.startswith("rm_sprop") and second.name.startswith("rm_sprop_") and second.name != first.name
    assert optimizers.AdamW().name.startswith("adam_w")
