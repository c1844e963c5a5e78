"""Export on the engines that cannot trace a model for it: exporting traces the model with torch
(see ``backend/torch/export.py``).

Included by ``backend/<engine>/export.py`` (see ``common/binding.py``): it runs in the engine
module's namespace.
"""

from __future__ import annotations

from brickwork.backend import config

REQUIRES = ()

# What ``model.export`` writes on this engine: nothing (an engine that can sets its own).
MODEL_FORMATS: tuple = ()
# What ``export.ExportArchive`` writes on this engine: nothing (an engine that can sets its own).
ARCHIVE_FORMATS: tuple = ()


def export_model(model, filepath: str, format: str = "onnx", verbose: bool = True, input_signature=None,
                 **kwargs) -> None:
    """Raise: ``export(format=...)`` needs the torch backend.

    Raises:
        NotImplementedError: always, saying how to export instead.
    """
    raise NotImplementedError(
        f"export(format={format!r}) needs the torch backend, but the active backend is {config.backend()}. "
        f"Save the model with model.save('model.keras'), then in a process started with "
        f"BRICKWORK_BACKEND=torch load it (brickwork.models.load_model) and call model.export({filepath!r}, "
        f"format={format!r})."
    )
