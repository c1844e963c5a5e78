"""torch.distributed for the distribution API: one process per device, gradients averaged by DDP.

A run is a process group (``gloo`` on CPU, ``nccl`` on CUDA) set up by ``torchrun`` or by
``initialize``. The training step's forward pass goes through ``DistributedDataParallel``, whose
backward hooks all-reduce the gradients bucket by bucket while the backward pass still runs.
"""

from __future__ import annotations

import atexit
import datetime
import os

import numpy as np
import torch
import torch.distributed as dist

from brickwork.backend.torch import core

_TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")


def launched_multiprocess() -> bool:
    """Whether ``torchrun`` (or an equivalent launcher) started this process as one of several."""
    return all(name in os.environ for name in _TORCHRUN_VARIABLES) and int(os.environ["WORLD_SIZE"]) > 1


def initialize(job_addresses=None, num_processes=None, process_id=None) -> None:
    """Join the process group: from the arguments, else from torchrun's environment variables."""
    if dist.is_initialized():
        return
    if job_addresses is None and num_processes is None and process_id is None:
        if not launched_multiprocess():
            raise ValueError(
                "distribution.initialize: no process group to join. Launch with `torchrun --nproc_per_node=N "
                "script.py`, or pass job_addresses, num_processes and process_id.")
        init_method, num_processes, process_id = "env://", None, None
    else:
        if not job_addresses or num_processes is None or process_id is None:
            raise ValueError(
                "distribution.initialize: pass all of job_addresses, num_processes and process_id; received "
                f"job_addresses={job_addresses!r}, num_processes={num_processes!r}, process_id={process_id!r}.")
        init_method = f"tcp://{job_addresses.split(',')[0].strip()}"
    if torch.cuda.is_available():
        local_rank = int(os.environ.get("LOCAL_RANK", (process_id or 0) % torch.cuda.device_count()))
        torch.cuda.set_device(local_rank)
    dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo", init_method=init_method,
                            world_size=-1 if num_processes is None else num_processes,
                            rank=-1 if process_id is None else process_id)
    atexit.register(_shutdown)
    _synchronize_numpy_seed()


def _shutdown() -> None:
    """Leave the process group cleanly at exit: every rank waits for the others, then tears down.

    Exiting with the group alive can abort in the engine's C++ threads ("terminate called without an
    active exception") when one rank finishes before another.
    """
    if dist.is_available() and dist.is_initialized():
        try:
            if dist.get_backend() == "gloo":
                # Bounded: a rank that died must not make the others hang at exit.
                dist.monitored_barrier(timeout=datetime.timedelta(seconds=60))
            else:
                dist.barrier()
        except Exception:  # noqa: BLE001 — best effort at interpreter exit
            pass
        finally:
            dist.destroy_process_group()


def _synchronize_numpy_seed() -> None:
    """Give every process process 0's NumPy seed, so that they all shuffle the data alike."""
    seed = torch.tensor([np.random.randint(2**31 - 1)], dtype=torch.int64, device=_collective_device())
    dist.broadcast(seed, src=0)
    np.random.seed(int(seed.item()))


def _collective_device() -> str:
    return "cuda" if dist.get_backend() == "nccl" else "cpu"


def _ensure_initialized() -> None:
    if not dist.is_initialized() and launched_multiprocess():
        initialize()


def num_processes() -> int:
    _ensure_initialized()
    return dist.get_world_size() if dist.is_initialized() else 1


def process_id() -> int:
    _ensure_initialized()
    return dist.get_rank() if dist.is_initialized() else 0


def list_devices(device_type=None) -> list[str]:
    """One device per process in a multi-process run, else the local devices."""
    kind = (device_type or ("gpu" if torch.cuda.is_available() else "cpu")).lower().replace("cuda", "gpu")
    if kind not in ("cpu", "gpu"):
        raise ValueError(f"list_devices: the torch backend has 'cpu' and 'gpu' devices, received {device_type!r}.")
    if kind == "gpu" and not torch.cuda.is_available():
        raise ValueError("list_devices: no GPU is visible to torch.")
    count = num_processes()
    if count > 1:
        return [f"{kind}:{index}" for index in range(count)]
    return [f"gpu:{index}" for index in range(torch.cuda.device_count())] if kind == "gpu" else ["cpu:0"]


def check_distribution(distribution) -> None:
    """torch splits the batch over processes only: the mesh must be the processes, one device each."""
    from brickwork.distribution.distribution_lib import DataParallel

    if not isinstance(distribution, DataParallel):
        raise NotImplementedError(
            f"{type(distribution).__name__} needs the jax backend (BRICKWORK_BACKEND=jax); on torch, "
            "DataParallel over torchrun processes is available.")
    size, count = int(np.prod(distribution.device_mesh.shape)), num_processes()
    if size != count:
        raise ValueError(
            f"DataParallel on torch runs one process per device: the mesh has {size} devices but this run has "
            f"{count} process(es). Launch with `torchrun --nproc_per_node={size} script.py`.")


def distribute_tensor(tensor, layout):
    """Replicated layouts only: each process holds whole tensors."""
    if any(axis is not None for axis in layout.axes):
        raise NotImplementedError("distribute_tensor: sharded layouts need the jax backend.")
    return core.convert_to_tensor(tensor)


def all_reduce_variables(variables) -> None:
    """Sum (``aggregation="sum"``) or average (``"mean"``) each variable's value over the processes."""
    for variable in variables:
        value = variable.value.detach().clone()
        dist.all_reduce(value, op=dist.ReduceOp.SUM)
        if variable.aggregation == "mean":
            value = value / dist.get_world_size()
        variable.assign(value)


def barrier() -> None:
    dist.barrier()


class _Parameters(torch.nn.Module):
    """The model's trainable parameters as a Module (the same Parameter objects), for DDP to hook."""

    def __init__(self, call, parameters):
        super().__init__()
        self._call = call
        self.parameters_ = torch.nn.ParameterList(parameters)

    def forward(self, *args, **kwargs):
        return self._call(*args, **kwargs)


class DataParallelStep:
    """The forward pass through ``DistributedDataParallel``; ``gradients`` returns the averaged gradients.

    Building it broadcasts process 0's weights to every process, so all replicas start equal.
    """

    def __init__(self, call, trainable_variables):
        parameters = [v.value for v in trainable_variables if v.value.requires_grad]
        device_ids = [torch.cuda.current_device()] if torch.cuda.is_available() else None
        # static_graph: a Keras model uses the same parameters every step, which lets DDP handle
        # parameters that get no gradient without searching the graph each step.
        self.module = torch.nn.parallel.DistributedDataParallel(
            _Parameters(call, parameters), device_ids=device_ids, broadcast_buffers=False, static_graph=True)

    def __call__(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    @staticmethod
    def gradients(loss, trainable_variables) -> list:
        loss.backward()
        grads = []
        for variable in trainable_variables:
            parameter = variable.value
            grads.append(parameter.grad)
            parameter.grad = None
        return grads
