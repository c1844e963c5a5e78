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


def test_dynamic_backend_reaches_another_engine():
    import numpy as np
    import pytest
    import torch

    from brickwork import backend

    dynamic = backend_utils.DynamicBackend()
    assert dynamic.name == backend.backend()
    dynamic.set_backend("torch")
    values = np.array([1.0, 10.0, 1000.0], "float32")
    result = dynamic.numpy.log10(values)
    assert isinstance(result, torch.Tensor)
    np.testing.assert_allclose(result.numpy(), np.log10(values))
    dynamic.reset()
    assert dynamic.name == backend.backend()
    with pytest.raises(ValueError, match="Available backends are"):
        dynamic.set_backend("abc")


def test_dynamic_backend_numpy_only_while_active():
    import numpy as np
    import pytest

    from brickwork import backend

    dynamic = backend_utils.DynamicBackend("numpy")
    values = np.array([1.0, 100.0], "float32")
    if backend.backend() == "numpy":
        np.testing.assert_allclose(dynamic.numpy.log10(values), [0.0, 2.0], rtol=1e-6)  # float32 log10
    else:
        with pytest.raises(NotImplementedError, match="cannot dynamically import the numpy backend"):
            dynamic.numpy.log10(values)
