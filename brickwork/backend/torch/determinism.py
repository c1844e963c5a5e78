"""torch backend: deterministic mode (``brickwork.config.enable_determinism``).

PyTorch's own switch, ``torch.use_deterministic_algorithms``, picks deterministic kernels and makes
every op without one raise (or, with ``warn_only``, warn). On CUDA two more settings are needed:
cuDNN's autotuner must not pick kernels per run (``cudnn.benchmark = False``, ``cudnn.deterministic
= True``) and cuBLAS needs a fixed workspace (``CUBLAS_WORKSPACE_CONFIG``), read once when cuBLAS
first runs in the process.
"""

from __future__ import annotations

import os
import re
import warnings

import torch

_CUBLAS_WORKSPACE = ":4096:8"
_SAVED = {}  # the cuDNN settings found when determinism was turned on, restored when it is turned off
_NO_DETERMINISTIC_KERNEL = re.compile(r"^(\S+) does not have a deterministic implementation")


def enable(warn_only: bool = False) -> None:
    """Deterministic kernels only; an op without one raises (``warn_only``: warns)."""
    if not _SAVED:
        _SAVED.update(benchmark=torch.backends.cudnn.benchmark, deterministic=torch.backends.cudnn.deterministic)
    if "CUBLAS_WORKSPACE_CONFIG" not in os.environ:
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            warnings.warn(
                "enable_determinism: CUDA is already in use in this process, so setting CUBLAS_WORKSPACE_CONFIG "
                f"now may come too late for cuBLAS. Set CUBLAS_WORKSPACE_CONFIG={_CUBLAS_WORKSPACE} in the "
                "environment before starting Python (or call enable_determinism() before any CUDA work).",
                stacklevel=3)
        os.environ["CUBLAS_WORKSPACE_CONFIG"] = _CUBLAS_WORKSPACE
    torch.use_deterministic_algorithms(True, warn_only=warn_only)
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True


def disable() -> None:
    """Back to PyTorch's defaults (and the cuDNN settings found by ``enable``)."""
    torch.use_deterministic_algorithms(False)
    if _SAVED:
        torch.backends.cudnn.benchmark = _SAVED["benchmark"]
        torch.backends.cudnn.deterministic = _SAVED["deterministic"]
        _SAVED.clear()


def nondeterministic_op(error: BaseException) -> str | None:
    """The op named by PyTorch's error for a kernel with no deterministic implementation, else ``None``."""
    match = _NO_DETERMINISTIC_KERNEL.match(str(error))
    return match.group(1) if match else None
