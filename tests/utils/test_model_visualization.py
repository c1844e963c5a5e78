"""plot_model writes real PNG and SVG files through Graphviz."""

import shutil

import pytest

from brickwork import layers, models, ops, utils

requires_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's `dot` is not installed")


def _branchy_model():
    inner_in = layers.Input((4,))
    inner = models.Model(inner_in, layers.Dense(3, name="inner_dense")(inner_in), name="inner")
    a, b = layers.Input((4,), name="a"), layers.Input((4,), name="b", dtype="float32")
    merged = ops.add(inner(a), layers.Dense(3, name="side")(b))
    return models.Model([a, b], layers.Dense(1, name="head")(merged), name="branchy")


def test_dot_source_has_every_layer_shape_and_edge():
    dot = utils.model_to_dot(_branchy_model(), show_shapes=True, show_dtype=True, expand_nested=True)
    for name in ("a (InputLayer)", "inner_dense (Dense)", "side (Dense)", "head (Dense)", "(None, 3)", "float32"):
        assert name in dot
    assert "cluster_" in dot and dot.count("->") >= 4


@requires_dot
def test_png_and_svg_files(tmp_path):
    model = _branchy_model()
    png = tmp_path / "model.png"
    svg = tmp_path / "model.svg"
    utils.plot_model(model, str(png), show_shapes=True, show_dtype=True, expand_nested=True)
    utils.plot_model(models.Sequential([layers.Input((3,)), layers.Dense(2)]), str(svg), show_shapes=True)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        assert image.size[0] > 50 and image.size[1] > 50
