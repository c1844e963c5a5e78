"""Export on the numpy backend: not available; exporting traces the model with torch (see backend/torch/export.py)."""

from __future__ import annotations


def export_model(model, filepath: str, format: str = "onnx", verbose: bool = True, input_signature=None,
                 **kwargs) -> None:
    """Raise: ``export(format=...)`` needs the torch backend.

    Raises:
        NotImplementedError: always, saying how to export instead.
    """
    raise NotImplementedError(
        f"export(format={format!r}) needs the torch backend, but the active backend is numpy. "
        f"Save the model with model.save('model.keras'), then in a process started with "
        f"BRICKWORK_BACKEND=torch load it (brickwork.models.load_model) and call model.export({filepath!r}, "
        f"format={format!r})."
    )
