"""``model.summary()`` printed by brickwork and by Keras 3.15.1, character for character: the same program,
run under each, for line_length, positions, show_trainable, expand_nested, layer_range, wrapped cells,
a "Connected to" column and the terminal's width."""

import io
import json
import os
import textwrap
from contextlib import redirect_stdout

import pytest

import brickwork
from tests.layers.keras_reference import run_keras_script

PROGRAM = textwrap.dedent('''
    import json, os
    os.environ["COLUMNS"] = "{columns}"
    layers, ops = keras.layers, keras.ops
    inner = keras.Sequential([keras.Input((8,)), layers.Dense(4, name="inner_dense"),
                              keras.Sequential([keras.Input((4,)), layers.Dense(3, name="deepest")], name="deeper")],
                             name="inner")
    inputs = keras.Input((8,), name="inp")
    x = layers.Dense(8, name="a_rather_long_layer_name_that_wraps")(inputs)
    x = inner(x)
    frozen = layers.Dense(2, name="frozen")
    frozen.trainable = False
    chain = keras.Model(inputs, frozen(x), name="chain")
    a = keras.Input((4,), name="a")
    b = keras.Input((4, 3), name="b")
    joined = layers.Concatenate(name="cat")([layers.Dense(3, name="da")(a), ops.mean(b, axis=-1)])
    branchy = keras.Model([a, b], layers.Dense(1, name="head")(joined), name="branchy")
    sequential = keras.Sequential([keras.Input((5,)), layers.Dense(3), layers.Dropout(0.5), layers.Dense(1)],
                                  name="seq")
    sequential.compile(optimizer="adam", loss="mse")
    sequential.optimizer.build(sequential.trainable_variables)
    configs = [{{}}, {{"line_length": 60}}, {{"positions": [0.5, 0.7, 1.0]}}, {{"show_trainable": True}},
               {{"expand_nested": True}}, {{"layer_range": ["a_rather.*", "inner"]}},
               {{"line_length": 50, "show_trainable": True}},
               {{"line_length": 70, "positions": [30, 50, 70]}}]  # absolute positions: far wider than the line
    out = {{}}
    for model in (chain, branchy, sequential):
        for config in configs:
            if model is branchy and config.get("positions") == [0.5, 0.7, 1.0]:
                config = {{"positions": [0.25, 0.5, 0.7, 1.0]}}
            if model is branchy and config.get("positions") == [30, 50, 70]:
                config = {{"line_length": 70, "positions": [20, 40, 55, 70]}}
            if model is not chain and "layer_range" in config:
                config = {{"layer_range": [".*", "d.*"]}}
            printed = []
            model.summary(print_fn=printed.append, **config)
            out[model.name + " " + json.dumps(config, sort_keys=True)] = printed
    print(json.dumps(out))
''')


def _ours(program: str) -> dict:
    buffer = io.StringIO()
    saved = os.environ.get("COLUMNS")
    try:
        with redirect_stdout(buffer):
            exec(program, {"keras": brickwork})  # noqa: S102 - the test's own program, run as Keras runs it
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved
    return json.loads(buffer.getvalue())


@pytest.mark.parametrize("columns", [80, 200])
def test_summaries_match_keras_character_for_character(columns):
    program = PROGRAM.format(columns=columns)
    theirs = json.loads(run_keras_script("import keras\n" + program))
    ours = _ours(program)
    assert ours.keys() == theirs.keys()
    for key, printed in theirs.items():
        assert ours[key] == printed, f"{key}:\nKeras:\n{printed[0]}\nbrickwork:\n{ours[key][0]}"
