"""Distribution on the TensorFlow engine: one process, TensorFlow's own devices; no device mesh yet."""

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
    raise RuntimeError(_NO_DISTRIBUTION)


def distribute_tensor(tensor, layout):
    raise RuntimeError(_NO_DISTRIBUTION)


def all_reduce_variables(variables) -> None:
    raise RuntimeError(_NO_DISTRIBUTION)


def barrier() -> None:
    raise RuntimeError(_NO_DISTRIBUTION)
