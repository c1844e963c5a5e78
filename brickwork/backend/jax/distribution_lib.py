"""jax.sharding for the distribution API: meshes, named shardings, and sharded batches.

Variables are placed once with their layout's ``NamedSharding`` (replicated for ``DataParallel``),
each batch is split along the mesh's batch axis, and the jitted step is partitioned by XLA.
Metrics are then computed on the global batch, so they need no reduction afterwards.
"""

from __future__ import annotations

import jax
import numpy as np
import optree
from jax.sharding import Mesh, NamedSharding, PartitionSpec


def launched_multiprocess() -> bool:
    return False  # a jax multi-process run starts with distribution.initialize(...)


def initialize(job_addresses=None, num_processes=None, process_id=None) -> None:
    """``jax.distributed.initialize``: ``job_addresses``' first entry is the coordinator."""
    coordinator = job_addresses.split(",")[0].strip() if job_addresses else None
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes, process_id=process_id)


def num_processes() -> int:
    return jax.process_count()


def process_id() -> int:
    return jax.process_index()


def list_devices(device_type=None) -> list[str]:
    kind = device_type.lower().replace("cuda", "gpu") if device_type else None
    try:
        devices = jax.devices(kind) if kind else jax.devices()
    except RuntimeError as error:
        raise ValueError(f"list_devices: no {device_type!r} device visible to jax ({error}).") from None
    return [f"{device.platform}:{device.id}" for device in devices]


def _to_jax_device(device):
    if not isinstance(device, str):
        return device
    kind, _, index = device.lower().replace("cuda", "gpu").partition(":")
    for candidate in jax.devices(kind):
        if candidate.id == int(index or 0):
            return candidate
    raise ValueError(f"DeviceMesh: jax has no device {device!r}; available: {list_devices()}.")


def to_jax_mesh(device_mesh) -> Mesh:
    if device_mesh._backend_mesh is None:
        devices = np.vectorize(_to_jax_device, otypes=[object])(device_mesh.devices)
        device_mesh._backend_mesh = Mesh(devices, tuple(device_mesh.axis_names))
    return device_mesh._backend_mesh


def to_jax_sharding(layout) -> NamedSharding:
    return NamedSharding(to_jax_mesh(layout.device_mesh), PartitionSpec(*layout.axes))


def check_distribution(distribution) -> None:
    to_jax_mesh(distribution.device_mesh)  # every device must exist


def distribute_tensor(tensor, layout):
    sharding = to_jax_sharding(layout)
    if isinstance(tensor, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(tensor, sharding)
    return jax.device_put(tensor, sharding)


def distribute_variables(variables, distribution) -> None:
    """Place each variable's array as ``distribution.get_variable_layout`` says."""
    for variable in variables:
        sharding = to_jax_sharding(distribution.get_variable_layout(variable))
        variable._direct_assign(jax.device_put(variable._value, sharding))


def distribute_data(batch, distribution):
    """Each array of ``batch`` split along its first dimension over the batch axis.

    A batch that does not divide evenly over that axis (an epoch's last) is replicated instead:
    the step then computes the same thing on every device, which is correct, only not split.
    In a multi-process run, ``batch`` is this process's slice and the global array is assembled.
    """
    mesh = to_jax_mesh(distribution.device_mesh)
    splits = mesh.shape[distribution.batch_dim_name]
    multiprocess = jax.process_count() > 1

    def place(array):
        if not hasattr(array, "shape"):
            return array
        layout = distribution.get_data_layout(array.shape)
        if array.ndim == 0 or (array.shape[0] * jax.process_count()) % splits:
            if multiprocess:
                raise ValueError(
                    f"A batch of {array.shape[0]} samples per process does not split evenly over the "
                    f"{splits} devices of the mesh's {distribution.batch_dim_name!r} axis; choose a global "
                    "batch size divisible by the number of devices.")
            layout = type(layout)([None] * array.ndim, distribution.device_mesh)
        sharding = to_jax_sharding(layout)
        if multiprocess:
            return jax.make_array_from_process_local_data(sharding, np.asarray(array))
        return jax.device_put(array, sharding)

    return optree.tree_map(place, batch, none_is_leaf=True)


def all_reduce_variables(variables) -> None:
    """Nothing to do: jax computes metrics on the global (sharded) batch."""


def barrier() -> None:
    from jax.experimental import multihost_utils

    multihost_utils.sync_global_devices("brickwork.distribution.barrier")
