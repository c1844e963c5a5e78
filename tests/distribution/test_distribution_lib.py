"""The distribution API in one process: meshes, layouts, layout maps, the active distribution, batch slices."""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, distribution
from brickwork.distribution import distribution_lib
from tests.conftest import BACKEND


@pytest.fixture(autouse=True)
def _no_distribution():
    yield
    distribution.set_distribution(None)


def _mesh(shape=(1,), names=("batch",)):
    return distribution.DeviceMesh(shape, list(names), devices=["cpu:0"] * int(np.prod(shape)))


def test_list_devices_names_the_local_device():
    devices = distribution.list_devices("cpu")
    assert devices and all(d.startswith("cpu:") for d in devices)
    assert distribution_lib.num_processes() == 1 and distribution_lib.process_id() == 0


def test_device_mesh_shape_and_errors():
    mesh = _mesh((2, 1), ("batch", "model"))
    assert mesh.shape == (2, 1) and mesh.axis_names == ["batch", "model"] and mesh.devices.shape == (2, 1)
    with pytest.raises(ValueError, match=r"DeviceMesh: shape \(3,\) holds 3 devices, but 2 were given"):
        distribution.DeviceMesh((3,), ["batch"], devices=["cpu:0", "cpu:0"])
    with pytest.raises(ValueError, match="DeviceMesh: `shape` and `axis_names`"):
        distribution.DeviceMesh((2,), ["batch", "model"], devices=["cpu:0", "cpu:0"])


def test_tensor_layout_checks_its_axes_against_the_mesh():
    mesh = _mesh((1, 1), ("batch", "model"))
    layout = distribution.TensorLayout((None, "model"), mesh)
    assert layout.axes == (None, "model") and layout.device_mesh is mesh
    with pytest.raises(ValueError, match=r"axes \['rows'\] are not axes of the mesh"):
        distribution.TensorLayout(("rows", None), mesh)
    with pytest.raises(ValueError, match="already set"):
        layout.device_mesh = mesh


def test_layout_map_matches_paths_by_regex():
    mesh = _mesh((1, 1), ("batch", "model"))
    layout_map = distribution.LayoutMap(mesh)
    layout_map["dense.*kernel"] = (None, "model")
    layout_map["dense.*bias"] = distribution.TensorLayout(("model",))
    assert layout_map["dense_3/kernel"].axes == (None, "model")
    assert layout_map["encoder/dense/bias"].device_mesh is mesh
    assert layout_map["conv2d/kernel"] is None
    assert len(layout_map) == 2 and list(layout_map) == ["dense.*kernel", "dense.*bias"]
    layout_map["dense_3.*"] = (None, None)
    with pytest.raises(ValueError, match="matches several keys"):
        layout_map["dense_3/kernel"]
    with pytest.raises(ValueError, match="already set"):
        layout_map["dense.*kernel"] = (None, None)
    with pytest.raises(ValueError, match="TensorLayouts or tuples"):
        layout_map["x"] = "model"
    del layout_map["dense_3.*"]
    assert len(layout_map) == 2


def test_layouts_of_data_and_variables():
    mesh = _mesh((1, 1), ("data", "model"))
    layout_map = distribution.LayoutMap(mesh)
    layout_map["kernel"] = (None, "model")
    kernel = backend.Variable(np.zeros((3, 4), "float32"), name="kernel")
    bias = backend.Variable(np.zeros(4, "float32"), name="bias")
    if BACKEND != "jax":
        with pytest.raises((NotImplementedError, RuntimeError), match="jax"):
            distribution.ModelParallel(layout_map=layout_map)
        return
    model_parallel = distribution.ModelParallel(layout_map=layout_map, batch_dim_name="data")
    assert model_parallel.get_data_layout((8, 3)).axes == ("data", None)
    assert model_parallel.get_variable_layout(kernel).axes == (None, "model")
    assert model_parallel.get_variable_layout(bias).axes == (None,)
    layout_map["bias"] = (None, "model")
    with pytest.raises(ValueError, match="layout .* matched for variable 'bias' has 2 axes"):
        model_parallel.get_variable_layout(bias)


def test_data_parallel_on_one_device_and_the_active_distribution():
    if BACKEND == "numpy":
        with pytest.raises(RuntimeError, match="numpy backend .* cannot distribute"):
            distribution.DataParallel()
        return
    data_parallel = distribution.DataParallel(devices=distribution.list_devices()[:1])
    assert data_parallel.device_mesh.axis_names == ["batch"] and data_parallel.batch_dim_name == "batch"
    assert data_parallel.get_data_layout((4, 2, 3)).axes == ("batch", None, None)
    assert distribution.distribution() is None
    with data_parallel.scope():
        assert distribution.distribution() is data_parallel
        assert distribution_lib.is_chief() and distribution_lib.batch_shard() is None
    assert distribution.distribution() is None
    with pytest.raises(ValueError, match="expected a Distribution"):
        distribution.set_distribution("data_parallel")
    with pytest.raises(ValueError, match="`device_mesh` must be a DeviceMesh"):
        distribution.DataParallel(device_mesh=(2,))


def test_model_parallel_needs_a_layout_map():
    with pytest.raises(ValueError, match="`layout_map` must be a LayoutMap"):
        distribution.ModelParallel(layout_map={"dense": (None,)})


@pytest.mark.parametrize("size, count, expected", [
    (8, 2, [range(0, 4), range(4, 8)]),
    (5, 2, [range(0, 2), range(2, 5)]),
    (1, 2, [range(0, 1), range(0, 1)]),  # too small to split: every process takes it all
])
def test_each_process_takes_its_slice_of_a_batch(size, count, expected):
    x = np.arange(size * 2).reshape(size, 2)
    batch = ({"a": x}, np.arange(size), None)
    for index in range(count):
        local = distribution_lib.local_batch(batch, index, count)
        np.testing.assert_array_equal(local[1], np.arange(size)[list(expected[index])])
        np.testing.assert_array_equal(local[0]["a"], x[list(expected[index])])
        assert local[2] is None


@pytest.mark.skipif(BACKEND != "torch", reason="torch runs one process per device")
def test_torch_needs_one_process_per_device():
    with pytest.raises(ValueError, match=r"mesh has 2 devices but this run has 1 process\(es\).*torchrun"):
        distribution.DataParallel(devices=["cpu:0", "cpu:1"])
    with pytest.raises(ValueError, match="no process group to join"):
        distribution.initialize()


def test_get_device_count_counts_the_listed_devices():
    from brickwork import distribution

    assert distribution.get_device_count() == len(distribution.list_devices())
    assert distribution.get_device_count("cpu") == len(distribution.list_devices("cpu")) >= 1
