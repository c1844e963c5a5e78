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
    """Whether the active backend computes on a GPU.

    Returns:
        ``True`` when tensors are placed on a GPU, else ``False``.

    Example:
    >>> from brickwork.testing import uses_gpu
    >>> uses_gpu()   # False on a machine without a GPU
    """
    return _device_kind() == "gpu"


def uses_tpu() -> bool:
    """Whether the active backend computes on a TPU.

    Returns:
        ``True`` when tensors are placed on a TPU, else ``False``.

    Example:
    >>> from brickwork.testing import uses_tpu
    >>> uses_tpu()   # False
    """
    return _device_kind() == "tpu"


def jax_uses_gpu() -> bool:
    """Whether the active backend is jax and computes on a GPU (to skip a test that needs it).

    Returns:
        ``True`` on jax with a GPU, ``False`` otherwise.

    Example:
        >>> brickwork.testing.jax_uses_gpu() in (True, False)
        True
    """
    return backend.backend() == "jax" and uses_gpu()


def jax_uses_tpu() -> bool:
    """Whether the active backend is jax and computes on a TPU (to skip a test that needs it).

    Returns:
        ``True`` on jax with a TPU, ``False`` otherwise.

    Example:
        >>> brickwork.testing.jax_uses_tpu() in (True, False)
        True
    """
    return backend.backend() == "jax" and uses_tpu()


def tensorflow_uses_gpu() -> bool:
    """Whether the active backend is tensorflow and computes on a GPU (to skip a test that needs it).

    Returns:
        ``True`` on tensorflow with a GPU, ``False`` otherwise.

    Example:
        >>> brickwork.testing.tensorflow_uses_gpu() in (True, False)
        True
    """
    return backend.backend() == "tensorflow" and uses_gpu()


def tensorflow_uses_tpu() -> bool:
    """Whether the active backend is tensorflow and computes on a TPU (to skip a test that needs it).

    Returns:
        ``True`` on tensorflow with a TPU, ``False`` otherwise.

    Example:
        >>> brickwork.testing.tensorflow_uses_tpu() in (True, False)
        True
    """
    return backend.backend() == "tensorflow" and uses_tpu()


def torch_uses_gpu() -> bool:
    """Whether the active backend is torch and computes on a GPU (to skip a test that needs it).

    Returns:
        ``True`` on torch with a GPU, ``False`` otherwise.

    Example:
        >>> brickwork.testing.torch_uses_gpu() in (True, False)
        True
    """
    return backend.backend() == "torch" and uses_gpu()
