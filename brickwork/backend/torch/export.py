"""Export a model for serving without brickwork: a ``torch.export`` program (``.pt2``) or ONNX.

The model is wrapped in a ``torch.nn.Module`` whose ``forward`` runs ``model(inputs, training=False)``
and whose parameters are the model's variables; ``torch.export.export`` traces it into a
self-contained program (ATen ops only, no brickwork code), with every ``None`` dimension of the input
signature kept dynamic. ONNX is translated from that same program by ``torch.onnx``.
"""

from __future__ import annotations

import re

import optree
import torch

from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.backend.torch.core import get_device, to_torch_dtype
from brickwork.saving.atomic import atomic_write

# Example sizes for dynamic dimensions while tracing: not 0 or 1 (torch.export specializes those) and
# unlikely to equal a static size, which could make the tracer assume the two are the same.
_BATCH_EXAMPLE_SIZE = 7
_FREE_EXAMPLE_SIZE = 37


def _is_keras_tensor(value) -> bool:
    return isinstance(value, KerasTensor)


class _ServingModule(torch.nn.Module):
    """``forward(*flat_inputs)`` = ``model(<inputs in the signature's structure>, training=False)``."""

    def __init__(self, model, treespec):
        super().__init__()
        self._model_call = model.__call__  # a bound method, so the model is not registered as a submodule
        self._treespec = treespec
        for index, variable in enumerate(model.variables):
            name = f"v{index}_" + re.sub(r"\W", "_", variable.path)
            value = variable.value
            if isinstance(value, torch.nn.Parameter):
                self.register_parameter(name, value)
            else:
                self.register_buffer(name, value)

    def forward(self, *flat_inputs):
        return self._model_call(optree.tree_unflatten(self._treespec, list(flat_inputs)), training=False)


def _example_inputs(specs: list) -> tuple[tuple, tuple]:
    """Example tensors for ``specs`` and the matching ``dynamic_shapes`` for ``torch.export``."""
    batch = torch.export.Dim("batch")  # one object: every input's batch dimension is the same size
    device = get_device()
    examples, dynamic_shapes = [], []
    for spec in specs:
        sizes, dynamic = [], {}
        for axis, size in enumerate(spec.shape):
            if size is None:
                # The batch is declared (an error if the model fixes it); other free dims are inferred.
                dynamic[axis] = batch if axis == 0 else torch.export.Dim.AUTO
                size = _BATCH_EXAMPLE_SIZE if axis == 0 else _FREE_EXAMPLE_SIZE
            sizes.append(size)
        examples.append(torch.zeros(sizes, dtype=to_torch_dtype(spec.dtype), device=device))
        dynamic_shapes.append(dynamic or None)
    return tuple(examples), tuple(dynamic_shapes)


def export_program(model, input_signature) -> torch.export.ExportedProgram:
    """Trace ``model`` (inference mode) into a ``torch.export.ExportedProgram``.

    Args:
        model: a built model.
        input_signature: a structure of ``KerasTensor`` (see ``brickwork.export.resolve_input_signature``).
    """
    specs, treespec = optree.tree_flatten(input_signature, is_leaf=_is_keras_tensor)
    examples, dynamic_shapes = _example_inputs(specs)
    with torch.no_grad():
        return torch.export.export(_ServingModule(model, treespec), examples, dynamic_shapes={"flat_inputs": dynamic_shapes})


def _input_names(input_signature) -> list[str]:
    """ONNX input names in flattening order: dict keys, else the inputs' names (``input_<i>`` if unnamed)."""
    paths, specs, _ = optree.tree_flatten_with_path(input_signature, is_leaf=_is_keras_tensor)
    if isinstance(input_signature, dict):
        names = ["_".join(str(part) for part in path) for path in paths]
    else:
        names = [spec.name or f"input_{index}" for index, spec in enumerate(specs)]
    return names if len(set(names)) == len(names) else [f"input_{index}" for index in range(len(specs))]


def export_model(model, filepath: str, format: str = "onnx", verbose: bool = True, input_signature=None,
                 **kwargs) -> None:
    """Write ``model`` to ``filepath``: ``format="torch"`` a ``.pt2`` program, ``format="onnx"`` an ONNX model.

    Args:
        model: a built model.
        filepath: the file to write (atomically).
        format: ``"torch"`` or ``"onnx"``.
        verbose: print where the artifact was saved.
        input_signature: a structure of ``KerasTensor``; ``None`` dimensions stay dynamic.
        **kwargs: passed to ``torch.onnx.export`` (e.g. ``opset_version``) or ``torch.export.save``.
    """
    program = export_program(model, input_signature)
    if format == "torch":
        with atomic_write(filepath) as temporary_path, open(temporary_path, "wb") as file:
            torch.export.save(program, file, **kwargs)  # a file object: the temporary name lacks ".pt2"
    elif format == "onnx":
        onnx_program = torch.onnx.export(program, dynamo=True, verbose=False,
                                         input_names=_input_names(input_signature), **kwargs)
        with atomic_write(filepath) as temporary_path:
            onnx_program.save(temporary_path)
    else:
        raise ValueError(f"export: `format` must be 'torch' or 'onnx' on the torch backend, received {format!r}.")
    if verbose:
        print(f"Saved artifact at '{filepath}'.")
