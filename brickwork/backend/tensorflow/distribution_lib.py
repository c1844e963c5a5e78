"""Distribution on the TensorFlow engine: one process, one device.

A ``DataParallel`` over a single device runs as an ordinary fit (there is nothing to split), so a program
written for several devices still runs on one. A larger mesh is refused with a clear error: as in Keras 3,
whose TensorFlow distribution code is a prototype, spreading work over devices needs the jax or torch engine.

Example:
    DataParallel(devices=list_devices()[:1])  # accepted: every batch stays on that device
"""

from __future__ import annotations

import tensorflow as tf

_NO_DISTRIBUTION = (
    "The tensorflow backend does not distribute yet; use BRICKWORK_BACKEND=torch (DataParallel with torchrun) "
    "or jax (DataParallel, ModelParallel over a device mesh).")


def launched_multiprocess() -> bool:
    return False


def initialize(job_addresses=None, num_processes=None, process_id=None) -> None:
    raise RuntimeError(_NO_DISTRIBUTION)


def num_processes() -> int:
    return 1


def process_id() -> int:
    return 0


def list_devices(device_type=None) -> list[str]:
    """TensorFlow's logical devices of ``device_type`` (``"cpu"``, ``"gpu"``), as ``"cpu:0"``-style names."""
    kinds = [device_type.upper()] if device_type else ["GPU", "CPU"]
    for kind in kinds:
        devices = tf.config.list_logical_devices(kind)
        if devices:
            return [f"{kind.lower()}:{i}" for i in range(len(devices))]
    return []


def check_distribution(distribution) -> None:
    """A mesh of one device only: anything larger is refused (nothing is distributed on this engine)."""
    from brickwork.distribution.distribution_lib import DataParallel

    size = int(distribution.device_mesh.devices.size)
    if not isinstance(distribution, DataParallel) or size != 1:
        raise RuntimeError(
            f"{type(distribution).__name__} over {size} device(s): {_NO_DISTRIBUTION} "
            "A DataParallel over one device is accepted.")


def distribute_tensor(tensor, layout):
    """On one device every layout is the whole tensor."""
    from brickwork.backend.tensorflow import core

    return core.convert_to_tensor(tensor)


def all_reduce_variables(variables) -> None:
    raise RuntimeError(_NO_DISTRIBUTION)


def barrier() -> None:
    raise RuntimeError(_NO_DISTRIBUTION)
