"""in_grain_data_pipeline / in_tf_graph: what KerasHub asks to choose its NumPy path."""

import sys
import types

from brickwork.utils import backend_utils


def test_outside_any_pipeline():
    assert backend_utils.in_grain_data_pipeline() is False
    assert backend_utils.in_tf_graph() is False


def test_inside_a_grain_dataset_frame(monkeypatch):
    monkeypatch.setitem(sys.modules, "grain", types.ModuleType("grain"))
    assert backend_utils.in_grain_data_pipeline() is False  # grain imported, but not on the stack
    filename = "/site-packages/grain/_src/python/dataset/transformations/map.py"
    code = compile("def transform():\n    return probe()\n", filename, "exec")
    namespace = {"probe": backend_utils.in_grain_data_pipeline}
    exec(code, namespace)
    assert namespace["transform"]() is True
