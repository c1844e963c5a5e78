"""print_summary's Output Shape and Trainable columns for models that are not plain graphs of layers."""

import numpy as np

import brickwork as keras
from brickwork import layers, ops
from brickwork.utils.summary_utils import print_summary


def _rows(model, **kwargs) -> dict:
    """``{layer name: [output shape, params, ...]}`` from the printed table."""
    printed = []
    print_summary(model, print_fn=printed.append, **kwargs)
    assert len(printed) == 1  # print_fn gets the whole summary at once, as in Keras
    rows = {}
    for line in printed[0].splitlines():
        if line.startswith("│"):
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            rows[cells[0].split(" (")[0]] = cells[1:]
    return rows


def test_layers_built_by_hand_show_the_shape_their_build_gives():
    class TwoDense(keras.Model):
        def __init__(self):
            super().__init__()
            self.first = layers.Dense(4)
            self.second = layers.Dense(2)
            self.unused = layers.Dense(1)

        def build(self, input_shape):
            self.first.build(input_shape)
            self.second.build(self.first.compute_output_shape(input_shape))

        def call(self, inputs):
            return self.second(self.first(inputs))

    model = TwoDense()
    model.build((None, 3))
    rows = _rows(model)
    assert rows["dense"][:2] == ["(None, 4)", "16"]  # 3 * 4 + 4
    assert rows["dense_1"][:2] == ["(None, 2)", "10"]
    assert rows["dense_2"][:2] == ["?", "0 (unbuilt)"]


def test_a_layer_returning_a_dict_and_one_with_several_inputs():
    class Heads(layers.Layer):
        def __init__(self):
            super().__init__()
            self.head = layers.Dense(10)

        def call(self, x):
            return {"logits": self.head(x)}

        def compute_output_shape(self, input_shape):
            return {"logits": self.head.compute_output_shape(input_shape)}

    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.heads = Heads()
            self.attention = layers.MultiHeadAttention(2, 2, output_shape=(4,))

        def call(self, x):
            return self.heads(x), self.attention(x, x, x)

    model = Model()
    model(np.zeros((1, 3, 16), "float32"))
    rows = _rows(model)
    assert rows["heads"][0] == "(1, 3, 10)"
    assert rows["multi_head_attention"][0] == "(1, 3, 4)"


def test_a_layer_built_by_a_call_on_a_dict():
    """Its recorded input is one dict-structured shape, not one shape per argument (Keras's test only asks
    that the summary prints; Keras shows ``?`` where we can show the shapes)."""
    class PassDicts(layers.Layer):
        def call(self, inputs):
            return inputs

    model = keras.Sequential([PassDicts(name="passes")])
    assert isinstance(model({"a": np.ones((3, 2)), "b": np.ones((3, 2))}), dict)
    assert _rows(model)["passes"][:2] == ["{a: (3, 2), b: (3, 2)}", "0"]


def test_an_op_in_a_functional_model_has_a_row_without_weights():
    inputs = keras.Input((2,))
    outputs = ops.mean(layers.Dense(4)(inputs))
    rows = _rows(keras.Model(inputs, outputs), show_trainable=True)
    assert rows["input_layer"] == ["(None, 2)", "0", "-"]
    assert rows["dense"] == ["(None, 4)", "12", "Y"]
    assert [cells for name, cells in rows.items() if name not in ("input_layer", "dense")] == [["()", "0", "-"]]
