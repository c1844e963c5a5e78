"""Export on the jax backend.

``model.export(format=...)`` is not available here: it traces the model with torch (see
``backend/torch/export.py``; written once in ``common/export_ops.py`` and included here, see
``common/binding.py``). ``export.ExportArchive`` writes ``jax.export`` artifacts: a function traced with
``jax.jit`` and serialized as StableHLO, every ``None`` dimension symbolic, reloaded with plain JAX
(``jax.export.deserialize(data).call(*args)``). The variables the function reads are captured as constants.
"""

from __future__ import annotations

import optree

from brickwork.backend.common.binding import include
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.backend.jax.core import to_jax_dtype
from brickwork.saving.atomic import atomic_write

include("export_ops", globals())

# What ``export.ExportArchive`` writes on this engine: one serialized ``jax.export.Exported`` per endpoint.
ARCHIVE_FORMATS = ("jax",)


def _is_keras_tensor(value) -> bool:
    return isinstance(value, KerasTensor)


def _abstract_inputs(specs: list) -> list:
    """``jax.ShapeDtypeStruct`` per spec: axis 0's ``None`` is one symbol ``batch`` shared by every input, other
    ``None`` dimensions a symbol each."""
    import jax

    scope = jax.export.SymbolicScope()
    abstract = []
    for index, spec in enumerate(specs):
        sizes = [("batch" if axis == 0 else f"d{index}_{axis}") if size is None else str(size)
                 for axis, size in enumerate(spec.shape)]
        shape = jax.export.symbolic_shape(", ".join(sizes), scope=scope) if sizes else ()
        abstract.append(jax.ShapeDtypeStruct(shape, to_jax_dtype(spec.dtype)))
    return abstract


def export_function(fn, args_signature: tuple, variables=()):
    """Trace ``fn(*args)`` with ``jax.jit`` into a ``jax.export.Exported`` whose inputs are the flattened ``args``.

    Args:
        fn: a function of brickwork tensors (a layer's ``__call__``, a model's ``call``...).
        args_signature: one structure of ``KerasTensor`` per positional argument of ``fn``.
        variables: unused: the values ``fn`` reads are captured as constants.
    """
    import jax

    specs, treespec = optree.tree_flatten(tuple(args_signature), is_leaf=_is_keras_tensor)

    def flat_fn(*flat_inputs):
        return fn(*optree.tree_unflatten(treespec, list(flat_inputs)))

    return jax.export.export(jax.jit(flat_fn))(*_abstract_inputs(specs))


def save_program(program, filepath: str, format: str = "jax", input_names=None, **kwargs) -> None:
    """Write a ``jax.export.Exported`` to ``filepath`` (atomically) as its serialized bytes.

    Args:
        program: from ``export_function``.
        filepath: the file to write.
        format: ``"jax"``.
        input_names: unused (the inputs are positional).
        **kwargs: passed to ``Exported.serialize`` (e.g. ``vjp_order``).
    """
    if format != "jax":
        raise ValueError(f"export: `format` must be 'jax' on the jax backend, received {format!r}.")
    try:
        data = program.serialize(**kwargs)
    except ImportError as error:  # jax serializes with flatbuffers, which it does not depend on
        raise ImportError(f"Writing a jax.export artifact needs the 'flatbuffers' package ({error}): "
                          "pip install \"brickwork[export]\" (or pip install flatbuffers).") from None
    with atomic_write(filepath) as temporary_path, open(temporary_path, "wb") as file:
        file.write(bytes(data))


def program_callable(program):
    """``program`` as a function of its flat inputs (what a deserialized artifact runs)."""
    return program.call
