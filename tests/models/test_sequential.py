"""Sequential: construction, add/pop, deferred build, layer access, summary."""

import numpy as np
import pytest

from brickwork import layers
from brickwork.models import Sequential
from tests.conftest import requires_training


def test_seed_example_builds_with_input_shape():
    model = Sequential()
    model.add(layers.Dense(32, activation="relu", input_shape=(784,)))
    model.add(layers.Dense(10, activation="softmax"))
    assert model.built
    assert model.output_shape == (None, 10)
    assert model.count_params() == 784 * 32 + 32 + 32 * 10 + 10
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]


def test_list_input_and_pop():
    model = Sequential([layers.Input((4,)), layers.Dense(3), layers.Dense(2)])
    assert len(model.layers) == 2
    popped = model.pop()
    assert popped.units == 2
    assert len(model.layers) == 1
    model.add(layers.Dense(5))
    assert model.output_shape == (None, 5)


def test_deferred_build_on_first_data():
    model = Sequential([layers.Dense(3), layers.Dense(1)])
    assert not model.built
    out = model(np.ones((2, 6), dtype="float32"))
    assert model.built and tuple(out.shape) == (2, 1)
    assert model.layers[0].kernel.shape == (6, 3)


def test_get_layer_by_name_and_index():
    model = Sequential([layers.Input((2,)), layers.Dense(3, name="a"), layers.Dense(1, name="b")])
    assert model.get_layer("b").name == "b"
    assert model.get_layer(index=0).name == "a"
    with pytest.raises(ValueError, match="no layer named 'c'"):
        model.get_layer("c")


def test_add_rejects_non_layers():
    with pytest.raises(ValueError, match="Only instances of `keras.Layer`.*received str"):  # Keras's ValueError
        Sequential().add("dense")


def test_add_rejects_a_second_input_and_a_repeated_name():
    model = Sequential([layers.Input((2,)), layers.Dense(3, name="dense")])
    with pytest.raises(ValueError, match="already been configured"):
        model.add(layers.Input((2,)))
    with pytest.raises(ValueError, match="should have unique names.*'dense'"):
        model.add(layers.Dense(3, name="dense"))
    assert [layer.name for layer in model.layers] == ["dense"]


def test_layers_cannot_be_assigned():
    with pytest.raises(AttributeError, match=r"Use `add\(\)` and `pop\(\)`"):
        Sequential().layers = [layers.Dense(4)]


def test_summary_layout():
    model = Sequential(name="mlp")
    model.add(layers.Dense(32, activation="relu", input_shape=(784,)))
    model.add(layers.Dense(10, activation="softmax"))
    printed = []
    model.summary(print_fn=printed.append, line_length=76)
    expected = [
        'Model: "mlp"',
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
        "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
        "│ dense (Dense)                   │ (None, 32)             │        25,120 │",
        "├─────────────────────────────────┼────────────────────────┼───────────────┤",
        "│ dense_1 (Dense)                 │ (None, 10)             │           330 │",
        "└─────────────────────────────────┴────────────────────────┴───────────────┘",
        " Total params: 25,450 (99.41 KB)",
        " Trainable params: 25,450 (99.41 KB)",
        " Non-trainable params: 0 (0.00 B)",
    ]
    assert printed == ["\n".join(expected) + "\n"]  # one call with the whole text, as Keras makes it


def test_config_round_trip():
    model = Sequential([layers.Input((3,)), layers.Dense(2, activation="relu"), layers.Dropout(0.5)], name="m")
    clone = Sequential.from_config(model.get_config())
    assert clone.name == "m"
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dropout"]
    assert clone.output_shape == (None, 2)


class _NoShapeInference(layers.Layer):
    """A layer whose shapes cannot be inferred symbolically (Keras then leaves the Sequential unbuilt)."""

    def call(self, x):
        return x * 2

    def compute_output_spec(self, x):
        raise NotImplementedError("no shape inference")


def test_a_layer_without_shape_inference_leaves_the_model_unbuilt_until_it_runs():
    dense = layers.Dense(2)
    model = Sequential([layers.Input((3,)), _NoShapeInference(), dense])
    assert not model.built and not dense.built
    x = np.ones((2, 3), "float32")
    assert tuple(model(x).shape) == (2, 2)
    assert model.built and dense.built and len(model.weights) == 2


@requires_training
def test_fit_builds_a_model_whose_layer_has_no_shape_inference():
    model = Sequential([layers.Input((3,)), _NoShapeInference(), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), epochs=1, verbose=0)
    assert model.built and model.predict(np.ones((1, 3), "float32"), verbose=0).shape == (1, 2)


def test_from_config_names_what_a_malformed_config_lacks():
    dense = {"class_name": "Dense", "module": "keras.layers", "config": {"units": 2}}
    with pytest.raises(ValueError, match="containing the 'name' and 'layers' keys"):
        Sequential.from_config({"layers": [dense]})
    with pytest.raises(ValueError, match="Expected a dictionary containing a 'config' key"):
        Sequential.from_config({"name": "s", "layers": [dense, {"class_name": "Dense"}]})
