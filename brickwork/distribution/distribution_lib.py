"""Keras 3's distribution API, on the engines' own machinery.

* **JAX**: ``jax.sharding``. A ``DeviceMesh`` becomes a ``jax.sharding.Mesh``; variables are placed
  replicated (``DataParallel``) or sharded by a ``LayoutMap`` (``ModelParallel``), each batch is
  sharded along the mesh's batch axis, and ``jax.jit`` partitions the step (GSPMD).
* **PyTorch**: ``torch.distributed``, one process per device (``torchrun``). ``DataParallel`` runs the
  training step's forward pass through ``DistributedDataParallel``, which averages the gradients.

In both, a process reads its slice of each global batch, metrics are reduced across processes
before they are logged, and only process 0 (the chief) prints progress.

Example:
    keras.distribution.set_distribution(keras.distribution.DataParallel())
    model.fit(x, y, batch_size=64)   # 64 = the global batch, split across the devices
"""

from __future__ import annotations

import collections.abc
import contextlib
import importlib
import os
import re
import warnings

import numpy as np
import optree

from brickwork.backend import config

DEFAULT_BATCH_DIM_NAME = "batch"
_ENV_ADDRESSES, _ENV_NUM_PROCESSES, _ENV_PROCESS_ID = (
    "KERAS_DISTRIBUTION_JOB_ADDRESSES", "KERAS_DISTRIBUTION_NUM_PROCESSES", "KERAS_DISTRIBUTION_PROCESS_ID")


def _engine():
    """The active backend's ``distribution_lib`` (imported on first use: it loads torch.distributed)."""
    return importlib.import_module(f"brickwork.backend.{config.backend()}.distribution_lib")


def list_devices(device_type: str | None = None) -> list[str]:
    """The devices available to distribute over, as ``"cpu:0"``, ``"gpu:1"``, …

    Args:
        device_type: ``"cpu"``, ``"gpu"`` or ``"tpu"``; default the accelerators if any, else the CPU.

    On torch, each process drives one device: in a multi-process run the list has one entry per process.

    Returns:
        A list of device names such as ``"gpu:0"``.

    Example:
    >>> keras.distribution.list_devices()   # ['cpu:0'] on a machine without accelerators
    """
    return _engine().list_devices(device_type)


def get_device_count(device_type: str | None = None) -> int:
    """How many devices of ``device_type`` there are to distribute over (as ``len(list_devices(...))``).

    Args:
        device_type: ``"cpu"``, ``"gpu"`` or ``"tpu"``; ``None`` (default) counts the accelerators if
            any, else the CPUs.

    Returns:
        The number of devices, an int.

    Example:
        >>> keras.distribution.get_device_count("cpu")
        1
    """
    return len(list_devices(device_type))


def initialize(job_addresses: str | None = None, num_processes: int | None = None,
               process_id: int | None = None) -> None:
    """Join a multi-process run (several hosts, or several processes on one host).

    Call it before building a model, in every process. Each argument may come from the environment
    instead (``KERAS_DISTRIBUTION_JOB_ADDRESSES``, ``KERAS_DISTRIBUTION_NUM_PROCESSES``,
    ``KERAS_DISTRIBUTION_PROCESS_ID``); under ``torchrun`` nothing is needed at all.

    Args:
        job_addresses: comma-separated ``host:port`` of the processes; only the first (process 0,
            the coordinator) is used.
        num_processes: how many processes take part.
        process_id: this process's index, ``0`` to ``num_processes - 1``.

    Returns:
        ``None``; the process is now part of the run.
    """
    if job_addresses is None:
        job_addresses = os.environ.get(_ENV_ADDRESSES)
    if num_processes is None and _ENV_NUM_PROCESSES in os.environ:
        num_processes = int(os.environ[_ENV_NUM_PROCESSES])
    if process_id is None and _ENV_PROCESS_ID in os.environ:
        process_id = int(os.environ[_ENV_PROCESS_ID])
    _engine().initialize(job_addresses, num_processes, process_id)


def num_processes() -> int:
    """How many processes take part in the run (1 unless initialized for several)."""
    return _engine().num_processes()


def process_id() -> int:
    """This process's index in the run (0 is the chief: it prints and writes files)."""
    return _engine().process_id()


class DeviceMesh:
    """Devices arranged in a named grid: ``(8,)`` for data parallelism, ``(2, 4)`` for data x model.

    Args:
        shape: the grid's shape.
        axis_names: one name per axis, used by ``TensorLayout`` to say which axis a dimension is split over.
        devices: default ``list_devices()``; their number must equal the grid's size.

    Example:
    >>> mesh = DeviceMesh((2,), ["batch"], devices=["cpu:0", "cpu:1"])
    """

    def __init__(self, shape, axis_names, devices=None):
        shape, axis_names = tuple(int(d) for d in shape or ()), list(axis_names or ())
        if not shape or len(shape) != len(axis_names):
            raise ValueError(
                "DeviceMesh: `shape` and `axis_names` must be non-empty and of the same length; received "
                f"shape={shape}, axis_names={axis_names}.")
        devices = np.array(list_devices() if devices is None else devices, dtype=object)
        if int(np.prod(shape)) != devices.size:
            raise ValueError(
                f"DeviceMesh: shape {shape} holds {int(np.prod(shape))} devices, but {devices.size} were given "
                f"({list(devices.reshape(-1))}).")
        self._shape, self._axis_names = shape, axis_names
        self._devices = devices.reshape(shape)
        self._backend_mesh = None  # the engine's mesh, made on first use

    shape = property(lambda self: self._shape)
    axis_names = property(lambda self: self._axis_names)
    devices = property(lambda self: self._devices)

    def __repr__(self):
        return f"<DeviceMesh shape={self._shape}, axis_names={self._axis_names}>"


class TensorLayout:
    """How a tensor's dimensions are split over a ``DeviceMesh``: one mesh axis name (or ``None``,
    not split) per dimension.

    Args:
        axes: one entry per tensor dimension: the name of the mesh axis splitting it, or ``None`` to keep it whole.
        device_mesh: the ``DeviceMesh``; may be ``None`` and set later (a ``LayoutMap`` sets it to its own).

    Example:
    >>> TensorLayout((None, "model"), mesh)   # a kernel split by columns over the "model" axis
    """

    def __init__(self, axes, device_mesh: DeviceMesh | None = None):
        self._axes = tuple(axes)
        self._device_mesh = None
        if device_mesh is not None:
            self.device_mesh = device_mesh

    axes = property(lambda self: self._axes)

    @property
    def device_mesh(self) -> DeviceMesh | None:
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh: DeviceMesh) -> None:
        if self._device_mesh is not None:
            raise ValueError(f"TensorLayout: the device mesh is already set to {self._device_mesh}.")
        unknown = {a for a in self._axes if a is not None} - set(device_mesh.axis_names)
        if unknown:
            raise ValueError(
                f"TensorLayout: axes {sorted(unknown)} are not axes of the mesh; valid names are "
                f"{device_mesh.axis_names}, received axes={self._axes}.")
        self._device_mesh = device_mesh

    def __repr__(self):
        return f"<TensorLayout axes={self._axes}, device_mesh={self._device_mesh}>"


class Distribution:
    """Base class: where variables and data live on a ``DeviceMesh``.

        Use one of its subclasses, ``DataParallel`` or ``ModelParallel``, with ``set_distribution``.

        Args:
            device_mesh: the ``DeviceMesh`` of the devices taking part.
            batch_dim_name: the mesh axis the batch is split over; ``None`` (default) takes the mesh's
                first axis.
            auto_shard_dataset: if ``True`` (default), each process reads its own slice of every batch.
    """

    def __init__(self, device_mesh: DeviceMesh, batch_dim_name: str | None = None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self.batch_dim_name = batch_dim_name or device_mesh.axis_names[0]
        if self.batch_dim_name not in device_mesh.axis_names:
            raise ValueError(
                f"{type(self).__name__}: batch_dim_name={self.batch_dim_name!r} is not an axis of the mesh "
                f"{device_mesh.axis_names}.")
        self.auto_shard_dataset = bool(auto_shard_dataset)
        self._engine_state = _engine().check_distribution(self)

    device_mesh = property(lambda self: self._device_mesh)

    def get_data_layout(self, data_shape) -> TensorLayout:
        """Batches are split along their first dimension over the batch axis."""
        axes = [None] * len(data_shape)
        if axes:
            axes[0] = self.batch_dim_name
        return TensorLayout(axes, self._device_mesh)

    def get_variable_layout(self, variable) -> TensorLayout:
        """Variables are replicated on every device."""
        return TensorLayout([None] * len(variable.shape), self._device_mesh)

    def get_tensor_layout(self, path: str) -> TensorLayout | None:
        return None

    @contextlib.contextmanager
    def scope(self):
        """Make this the active distribution inside the ``with`` block."""
        previous = _STATE["distribution"]
        set_distribution(self)
        try:
            yield self
        finally:
            set_distribution(previous)

    def distribute_dataset(self, dataset):
        """Datasets are sharded batch by batch by ``fit``; returned as they are."""
        return dataset

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self._device_mesh}>"


class DataParallel(Distribution):
    """Replicate the model on every device and split each batch among them.

    Args:
        device_mesh: a 1-D ``DeviceMesh`` (for more axes, the first is the batch axis).
        devices: the devices, instead of a mesh; default ``list_devices()``.
        auto_shard_dataset: each process reads its slice of every batch (default True).

    On torch the devices are the processes of a ``torchrun`` launch, one device each.

    Example:
        keras.distribution.set_distribution(keras.distribution.DataParallel())
    """

    def __init__(self, device_mesh: DeviceMesh | None = None, devices=None, auto_shard_dataset: bool = True):
        if device_mesh is None:
            devices = list_devices() if devices is None else list(devices)
            device_mesh = DeviceMesh((len(devices),), [DEFAULT_BATCH_DIM_NAME], devices)
        elif not isinstance(device_mesh, DeviceMesh):
            raise ValueError(f"DataParallel: `device_mesh` must be a DeviceMesh, received {device_mesh!r}.")
        elif len(device_mesh.shape) != 1:
            warnings.warn(f"DataParallel expects a 1-D mesh, received shape {device_mesh.shape}: its first axis "
                          "is used to split the data.", stacklevel=2)
        super().__init__(device_mesh, auto_shard_dataset=auto_shard_dataset)


class ModelParallel(Distribution):
    """Shard variables over the mesh as a ``LayoutMap`` says (jax); the data is split over the batch axis.

    Args:
        layout_map: a ``LayoutMap`` (its mesh is the distribution's mesh).
        batch_dim_name: the mesh axis the data is split over; default the mesh's first axis.

    Example:
        mesh = DeviceMesh((2, 4), ["batch", "model"])
        layout_map = LayoutMap(mesh)
        layout_map["dense.*kernel"] = (None, "model")
        layout_map["dense.*bias"] = ("model",)
        set_distribution(ModelParallel(layout_map=layout_map))
    """

    def __init__(self, *, layout_map: "LayoutMap | None" = None, batch_dim_name: str | None = None,
                 auto_shard_dataset: bool = True, **kwargs):
        kwargs.pop("device_mesh", None)  # Keras's older signature: the layout map's mesh is used
        if kwargs:
            raise TypeError(f"ModelParallel: unrecognized argument(s) {sorted(kwargs)}.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(f"ModelParallel: `layout_map` must be a LayoutMap, received {layout_map!r}.")
        self._layout_map = layout_map
        super().__init__(layout_map.device_mesh, batch_dim_name, auto_shard_dataset)

    def get_variable_layout(self, variable) -> TensorLayout:
        layout = self._layout_map[variable.path]
        if layout is None:
            return super().get_variable_layout(variable)
        if len(layout.axes) != len(variable.shape):
            raise ValueError(
                f"ModelParallel: the layout {layout.axes} matched for variable {variable.path!r} has "
                f"{len(layout.axes)} axes, but the variable has shape {tuple(variable.shape)}.")
        return layout

    def get_tensor_layout(self, path: str) -> TensorLayout | None:
        return self._layout_map[path]


class LayoutMap(collections.abc.MutableMapping):
    """A dict from variable paths to ``TensorLayout``; keys are regular expressions when looked up.

    A path matches its exact key, else the one key whose regex ``re.search``-es it (more than one
    match is an error, none gives ``None``: the variable is replicated). A tuple of axis names
    stands for a ``TensorLayout`` on the map's mesh.

    Args:
        device_mesh: the ``DeviceMesh`` every layout in the map refers to.

    Example:
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map["dense.*kernel"] = (None, "model")
    >>> layout_map["dense_1/kernel"].axes
    (None, 'model')
    """

    def __init__(self, device_mesh: DeviceMesh):
        self._layouts: dict[str, TensorLayout] = {}
        self._device_mesh = device_mesh

    device_mesh = property(lambda self: self._device_mesh)

    def __getitem__(self, key: str) -> TensorLayout | None:
        if key in self._layouts:
            return self._layouts[key]
        matches = [pattern for pattern in self._layouts if re.search(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"LayoutMap: path {key!r} matches several keys {matches}; make the keys exclusive.")
        return self._layouts[matches[0]] if matches else None

    def __setitem__(self, key: str, layout) -> None:
        if key in self._layouts:
            raise ValueError(f"LayoutMap: key {key!r} is already set to {self._layouts[key]}.")
        if isinstance(layout, (tuple, list)):
            layout = TensorLayout(layout)
        if not isinstance(layout, TensorLayout):
            raise ValueError(f"LayoutMap: values must be TensorLayouts or tuples of axis names, received {layout!r}.")
        if layout.device_mesh is None and self._device_mesh is not None:
            layout.device_mesh = self._device_mesh
        self._layouts[key] = layout

    def __delitem__(self, key: str) -> None:
        del self._layouts[key]

    def __len__(self) -> int:
        return len(self._layouts)

    def __iter__(self):
        return iter(self._layouts)


def distribute_tensor(tensor, layout: TensorLayout):
    """``tensor`` placed (or, inside a compiled step, constrained) to ``layout``; symbolic tensors pass through.

    Args:
        tensor: a tensor (or a symbolic ``KerasTensor``, returned as it is).
        layout: the ``TensorLayout`` saying which mesh axis splits each dimension.

    Returns:
        The tensor laid out as ``layout`` says (inside a compiled step, constrained to that layout).
    """
    from brickwork.backend import KerasTensor

    if isinstance(tensor, KerasTensor):
        return tensor
    return _engine().distribute_tensor(tensor, layout)


# --------------------------------------------------------------------------- the active distribution
_STATE = {"distribution": None, "auto_checked": False}


def set_distribution(value: Distribution | None) -> None:
    """Make ``value`` the distribution ``fit``/``evaluate``/``predict`` use (``None``: a single device).

    Args:
        value: a ``Distribution`` (``DataParallel``, ``ModelParallel``) or ``None`` for a single device.

    Returns:
        ``None``.

    Example:
    >>> keras.distribution.set_distribution(keras.distribution.DataParallel(devices=["cpu:0"]))
    >>> type(keras.distribution.distribution()).__name__   # 'DataParallel'
    >>> keras.distribution.set_distribution(None)   # back to a single device
    """
    if value is not None and not isinstance(value, Distribution):
        raise ValueError(f"set_distribution: expected a Distribution or None, received {value!r}.")
    _STATE["distribution"] = value
    _STATE["auto_checked"] = True


def distribution() -> Distribution | None:
    """The active distribution. Under ``torchrun`` (several processes), ``DataParallel`` by default.

    Returns:
        The ``Distribution`` set by ``set_distribution`` (or the default one under ``torchrun``), or ``None``.

    Example:
    >>> keras.distribution.distribution()   # None until set_distribution is called
    """
    if not _STATE["auto_checked"]:
        _STATE["auto_checked"] = True
        if _engine().launched_multiprocess():
            _STATE["distribution"] = DataParallel()
    return _STATE["distribution"]


# --------------------------------------------------------------------------- used by the training loop
def is_chief() -> bool:
    """Whether this process prints progress and writes files (process 0; always true in one process)."""
    return distribution() is None or process_id() == 0


def batch_shard() -> tuple[int, int] | None:
    """``(process_id, num_processes)`` when each process must read its slice of every batch, else None."""
    active = distribution()
    if active is None or not active.auto_shard_dataset:
        return None
    count = num_processes()
    return (process_id(), count) if count > 1 else None


def local_batch(batch, index: int, count: int):
    """Process ``index``'s contiguous slice of a global batch (the whole batch when it is smaller than ``count``).

    With batches divisible by ``count``, the processes' losses average to the global batch's loss.
    """
    leaves = [leaf for leaf in optree.tree_leaves(batch) if hasattr(leaf, "shape")]
    if not leaves:
        return batch
    size = int(leaves[0].shape[0])
    if size < count:
        return batch  # every process takes it all: the average of equal means is the mean
    start, stop = index * size // count, (index + 1) * size // count
    return optree.tree_map(lambda leaf: leaf[start:stop] if hasattr(leaf, "shape") else leaf, batch,
                           none_is_leaf=True)


def reduce_metrics(metrics) -> None:
    """Combine every metric's state across processes (sum or mean, by each variable's ``aggregation``)."""
    if distribution() is None or num_processes() == 1:
        return
    variables = [v for metric in metrics for v in metric.variables if v.aggregation in ("sum", "mean")]
    _engine().all_reduce_variables(variables)


def barrier() -> None:
    """Wait until every process gets here (no-op in one process)."""
    if distribution() is not None and num_processes() > 1:
        _engine().barrier()
