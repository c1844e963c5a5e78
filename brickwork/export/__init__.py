"""``brickwork.export``: a model for serving without brickwork (``model.export(path, format=...)``).

The engine-specific work (tracing with ``torch.export``, ``torch.onnx``) belongs to the backend:
``brickwork/backend/<name>/export.py`` provides ``export_model(model, filepath, format, verbose, input_signature)``.
This module validates the request, resolves the input signature and hands it over.

``ExportArchive`` (Keras's class) writes several endpoints of layers and models to one folder: a TensorFlow
SavedModel on the TensorFlow engine, one traced program per endpoint on torch and jax (see ``export_archive.py``).

Example:
    model.export("model.onnx", format="onnx")     # torch engine; run with onnxruntime
    model.export("model.pt2", format="torch")     # torch engine; torch.export.load("model.pt2").module()(x)
    model.export("served", format="tf_saved_model")  # tensorflow engine; tf.saved_model.load("served").serve(x)
"""

from __future__ import annotations

import importlib
import os

from brickwork import backend
from brickwork.export.export_archive import ExportArchive
from brickwork.export.input_signature import resolve_input_signature

FORMATS = ("onnx", "torch", "tf_saved_model")
# The formats that need the TensorFlow engine (a SavedModel is written by TensorFlow itself).
_TENSORFLOW_FORMATS = ("tf_saved_model",)


def export_model(model, filepath, format: str | None = None, verbose: bool = True, input_signature=None, **kwargs):
    """Export ``model`` to ``filepath`` in ``format``; ``None`` dimensions stay dynamic.

    Args:
        model: a built model.
        filepath: the file (or SavedModel folder) to write (written atomically).
        format: ``"onnx"`` or ``"torch"`` (a ``torch.export`` program for ``torch.export.load``) on the torch
            engine, ``"tf_saved_model"`` (a SavedModel for ``tf.saved_model.load``) on the tensorflow engine.
            ``None`` takes the engine's first (``"onnx"`` on torch, ``"tf_saved_model"`` on tensorflow).
        verbose: print where the artifact was saved.
        input_signature: the inputs (see ``resolve_input_signature``); by default the model's own.
        **kwargs: passed to the engine's exporter (e.g. ``opset_version`` for ONNX, ``options`` for a SavedModel).

    Returns:
        ``None``; the artifact is at ``filepath``.

    Raises:
        ValueError: for an unknown format.
        NotImplementedError: when the active backend cannot export in that format (a SavedModel needs the
            tensorflow engine, ONNX and ``torch.export`` programs the torch engine).

    Example:
    >>> from brickwork.export import export_model
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> export_model(model, "model.pt2", format="torch", verbose=False)   # load with torch.export.load
    """
    try:
        engine = importlib.import_module(f"{backend.active.__name__}.export")
    except ImportError:
        engine = None
    engine_formats = tuple(getattr(engine, "MODEL_FORMATS", ()))
    if format is None:
        format = engine_formats[0] if engine_formats else "onnx"
    if format not in FORMATS:
        raise ValueError(f"Unrecognized format={format!r}: export supports format= one of {FORMATS}.")
    if not getattr(model, "built", False):
        raise ValueError(f"export: model {model.name!r} is not built yet; call it on data or build it first.")
    if format in _TENSORFLOW_FORMATS and format not in engine_formats:
        raise NotImplementedError(
            f"export(format={format!r}) writes a TensorFlow SavedModel, which needs the tensorflow backend; the "
            f"active backend is {backend.backend()}. Save the model with model.save('model.keras'), then in a "
            f"process started with BRICKWORK_BACKEND=tensorflow load it (brickwork.models.load_model) and call "
            f"model.export({os.fspath(filepath)!r}, format={format!r})."
        )
    if engine is None or not hasattr(engine, "export_model"):
        raise NotImplementedError(
            f"export(format={format!r}) is not available on the {backend.backend()} backend yet "
            f"(brickwork/backend/{backend.backend()}/export.py has no export_model)."
        )
    signature = resolve_input_signature(model, input_signature)
    return engine.export_model(model, os.fspath(filepath), format=format, verbose=verbose,
                               input_signature=signature, **kwargs)


__all__ = ["FORMATS", "ExportArchive", "export_model", "resolve_input_signature"]
