"""Where the active backend computes: ``uses_gpu``, ``uses_tpu`` and the per-backend forms Keras's
tests use to skip or loosen a check (``jax_uses_tpu()``, ``torch_uses_gpu()``, …)."""

from __future__ import annotations

from brickwork import backend


def _device_kind() -> str:
    """``"gpu"``, ``"tpu"`` or ``"cpu"``: where the active backend puts new tensors."""
    device = backend.get_device()
    name = str(getattr(device, "platform", device)).lower()
    if "tpu" in name:
        return "tpu"
    if "cuda" in name or "gpu" in name:
        return "gpu"
    return "cpu"


def uses_gpu() -> bool:
    """Whether the active backend computes on a GPU."""
    return _device_kind() == "gpu"


def uses_tpu() -> bool:
    """Whether the active backend computes on a TPU."""
    return _device_kind() == "tpu"


def jax_uses_gpu() -> bool:
    return backend.backend() == "jax" and uses_gpu()


def jax_uses_tpu() -> bool:
    return backend.backend() == "jax" and uses_tpu()


def tensorflow_uses_gpu() -> bool:
    return backend.backend() == "tensorflow" and uses_gpu()


def tensorflow_uses_tpu() -> bool:
    return backend.backend() == "tensorflow" and uses_tpu()


def torch_uses_gpu() -> bool:
    return backend.backend() == "torch" and uses_gpu()
