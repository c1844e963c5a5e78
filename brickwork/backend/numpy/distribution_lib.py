"""The numpy backend runs inference on one device: no distribution."""

from __future__ import annotations

_NO_DISTRIBUTION = (
    "The numpy backend is for inference on one device and cannot distribute; use BRICKWORK_BACKEND=torch "
    "(DataParallel with torchrun) or jax (DataParallel, ModelParallel over a device mesh).")


def launched_multiprocess() -> bool:
    return False


def initialize(job_addresses=None, num_processes=None, process_id=None) -> None:
    raise RuntimeError(_NO_DISTRIBUTION)


def num_processes() -> int:
    return 1


def process_id() -> int:
    return 0


def list_devices(device_type=None) -> list[str]:
    if device_type not in (None, "cpu"):
        raise ValueError(f"list_devices: the numpy backend has only the 'cpu' device, received {device_type!r}.")
    return ["cpu:0"]


def check_distribution(distribution) -> None:
    raise RuntimeError(_NO_DISTRIBUTION)


def distribute_tensor(tensor, layout):
    raise RuntimeError(_NO_DISTRIBUTION)


def all_reduce_variables(variables) -> None:
    raise RuntimeError(_NO_DISTRIBUTION)


def barrier() -> None:
    raise RuntimeError(_NO_DISTRIBUTION)
