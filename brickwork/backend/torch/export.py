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
# What ``model.export`` writes on this engine (the first is the default).
MODEL_FORMATS = ("onnx", "torch")
# What ``export.ExportArchive`` writes on this engine: one ``.pt2`` program, or one ONNX model, per endpoint.
ARCHIVE_FORMATS = ("torch", "onnx")


def _is_keras_tensor(value) -> bool:
    return isinstance(value, KerasTensor)


class _ServingModule(torch.nn.Module):
    """``forward(*flat_inputs)`` = ``fn(*<the flat inputs in the signature's structure>)``; ``variables`` are its
    parameters (trainable) and buffers (the rest), so the program carries them as state, not as constants."""

    def __init__(self, fn, treespec, variables):
        super().__init__()
        self._fn = fn  # a function, not a submodule: a model's bound method does not register the model
        self._treespec = treespec
        seen = set()
        for index, variable in enumerate(variables):
            value = variable.value
            if id(value) in seen:
                continue
            seen.add(id(value))
            name = f"v{index}_" + re.sub(r"\W", "_", variable.path)
            if isinstance(value, torch.nn.Parameter):
                self.register_parameter(name, value)
            else:
                self.register_buffer(name, value)

    def forward(self, *flat_inputs):
        return self._fn(*optree.tree_unflatten(self._treespec, list(flat_inputs)))


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
    return export_function(lambda inputs: model(inputs, training=False), (input_signature,), model.variables)


def export_function(fn, args_signature: tuple, variables=()) -> torch.export.ExportedProgram:
    """Trace ``fn(*args)`` into a ``torch.export.ExportedProgram`` whose inputs are the flattened ``args``.

    Args:
        fn: a function of brickwork tensors (a layer's ``__call__``, a model's ``call``...).
        args_signature: one structure of ``KerasTensor`` per positional argument of ``fn``; ``None``
            dimensions stay dynamic (axis 0 is the batch, shared by every input).
        variables: the variables ``fn`` reads, carried as the program's parameters and buffers.
    """
    specs, treespec = optree.tree_flatten(tuple(args_signature), is_leaf=_is_keras_tensor)
    examples, dynamic_shapes = _example_inputs(specs)
    with torch.no_grad():
        return torch.export.export(_ServingModule(fn, treespec, variables), examples,
                                   dynamic_shapes={"flat_inputs": dynamic_shapes})


def save_program(program: torch.export.ExportedProgram, filepath: str, format: str = "torch", input_names=None,
                 **kwargs) -> None:
    """Write ``program`` to ``filepath`` (atomically): a ``.pt2`` file for ``torch.export.load`` (``format="torch"``)
    or an ONNX model (``format="onnx"``, through ``torch.onnx``; needs the ``onnx`` and ``onnxscript`` packages).

    Args:
        program: from ``export_function`` or ``export_program``.
        filepath: the file to write.
        format: ``"torch"`` or ``"onnx"``.
        input_names: the ONNX inputs' names, in the program's input order.
        **kwargs: passed to ``torch.export.save`` or ``torch.onnx.export`` (e.g. ``opset_version``).
    """
    if format == "torch":
        with atomic_write(filepath) as temporary_path, open(temporary_path, "wb") as file:
            torch.export.save(program, file, **kwargs)  # a file object: the temporary name lacks ".pt2"
    elif format == "onnx":
        onnx_program = torch.onnx.export(program, dynamo=True, verbose=False, input_names=input_names, **kwargs)
        with atomic_write(filepath) as temporary_path:
            onnx_program.save(temporary_path)
    else:
        raise ValueError(f"export: `format` must be 'torch' or 'onnx' on the torch backend, received {format!r}.")


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
    if format not in ARCHIVE_FORMATS:
        raise ValueError(f"export: `format` must be 'torch' or 'onnx' on the torch backend, received {format!r}.")
    save_program(export_program(model, input_signature), filepath, format, _input_names(input_signature), **kwargs)
    if verbose:
        print(f"Saved artifact at '{filepath}'.")


def program_callable(program: torch.export.ExportedProgram):
    """``program`` as a function of its flat inputs (what a reloaded ``.pt2`` file runs)."""
    return program.module()
