"""should_quantize_layer: which layers Model.quantize(filters=...) picks (also keras.src.quantizers.utils)."""

import pytest

from brickwork import layers
from brickwork.compat.keras_src_map import brickwork_module_for
from brickwork.quantizers.model_quantization import should_quantize_layer


@pytest.mark.parametrize("filters, name, expected", [
    (None, "dense", True),
    ("dense", "dense_1", True),
    ("^dense$", "dense_1", False),  # searched, so anchors count
    ("conv", "dense_1", False),
    (["conv", "dense"], "dense_1", True),
    (("conv", "pool"), "dense_1", False),
    (lambda layer: layer.name.endswith("_1"), "dense_1", True),
    (lambda layer: "conv" in layer.name, "dense_1", False),
])
def test_should_quantize_layer(filters, name, expected):
    assert should_quantize_layer(layers.Layer(name=name), filters) is expected


def test_keras_src_path_names_it():
    assert brickwork_module_for("keras.src.quantizers.utils") == "brickwork.quantizers.model_quantization"
