"""The engine half of a layer that wraps an engine's own model: ``backend/<engine>/<module>.py``, or a clear error."""

from __future__ import annotations

import functools
import importlib
import types

from brickwork import backend


@functools.cache
def engine_module(module: str, layer_name: str, engine: str) -> types.ModuleType:
    """The active engine's ``module`` that ``layer_name`` runs on; a ValueError naming the fix on other engines.

    Example:
        engine_module("module_wrapper", "TorchModuleWrapper", "torch")  # brickwork.backend.torch.module_wrapper
    """
    name = f"{backend.active.__name__}.{module}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
    raise ValueError(
        f"{layer_name} runs only on the {engine} backend; the active backend is {backend.backend()!r}. "
        f"Choose it before importing keras or brickwork: KERAS_BACKEND={engine} (or BRICKWORK_BACKEND={engine})."
    )
