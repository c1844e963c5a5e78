"""The public saving functions: ``save_model``, ``load_model``, ``save_weights``, ``load_weights``.

Example:
    model.save("model.keras")
    restored = brickwork.saving.load_model("model.keras")
    model.save_weights("model.weights.h5")
    model.load_weights("model.weights.h5")
"""

from __future__ import annotations

import os

from brickwork.saving import saving_lib


def _check_overwrite(filepath: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} exists and `overwrite=False`: refusing to replace it.")


def _legacy_format_error(filepath: str, what: str) -> ValueError:
    return ValueError(
        f"{what}: {filepath!r} names the legacy HDF5 model format (.h5/.hdf5), which brickwork does not "
        "support. Use a `.keras` file for a whole model, or `.weights.h5` for weights only."
    )


def _on_chief(write, model, filepath) -> None:
    """Write from one process only when training is distributed; the others wait for the file."""
    from brickwork.distribution import distribution_lib

    if distribution_lib.is_chief():
        write(model, filepath)
    distribution_lib.barrier()


def save_model(model, filepath, overwrite: bool = True, zipped=None, **kwargs) -> None:
    """Save ``model`` (architecture, weights, compile configuration and optimizer state) to a ``.keras`` file.

    Args:
        model: the model.
        filepath: a path ending in ``.keras``.
        overwrite: replace an existing file (atomically: a failed save leaves the old file intact).
        zipped: kept for Keras compatibility; only the zipped ``.keras`` format is written.
    """
    if kwargs:
        raise ValueError(f"save_model: unrecognized argument(s) {sorted(kwargs)}.")
    filepath = os.fspath(filepath)
    if filepath.endswith((".h5", ".hdf5")):
        raise _legacy_format_error(filepath, "save_model")
    if not filepath.endswith(".keras"):
        raise ValueError(f"save_model: the file name must end in `.keras`, received filepath={filepath!r}.")
    if zipped is False:
        raise ValueError("save_model: `zipped=False` (an unzipped folder) is not supported; use a `.keras` file.")
    _check_overwrite(filepath, overwrite)
    _on_chief(saving_lib.save_model, model, filepath)


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True, safe_mode: bool = True):
    """Load a model saved with ``model.save`` (by brickwork or by Keras 3).

    Args:
        filepath: a ``.keras`` file.
        custom_objects: ``{name: class or function}`` for custom layers, losses, … the file names.
        compile: restore the compile configuration and the optimizer's state.
        safe_mode: refuse Lambda bytecode. Classes the file names must always be brickwork's own or
            registered/passed custom objects: no setting makes the loader import a module a file names.

    Returns:
        The model, with its weights (and, compiled, its optimizer state) restored.
    """
    filepath = os.fspath(filepath)
    if filepath.endswith((".h5", ".hdf5")) and not filepath.endswith(".weights.h5"):
        raise _legacy_format_error(filepath, "load_model")
    if filepath.endswith(".weights.h5"):
        raise ValueError(
            f"load_model: {filepath!r} holds weights only. Build the model from code and call "
            "`model.load_weights(filepath)`."
        )
    if not filepath.endswith(".keras"):
        raise ValueError(f"load_model: the file name must end in `.keras`, received filepath={filepath!r}.")
    return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Save the variables of ``model`` (and its optimizer) to a ``.weights.h5`` file, in Keras 3's layout."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(
            f"save_weights: the file name must end in `.weights.h5`, received filepath={filepath!r}."
        )
    _check_overwrite(filepath, overwrite)
    _on_chief(saving_lib.save_weights, model, filepath)


def load_weights(model, filepath, skip_mismatch: bool = False, **kwargs) -> None:
    """Load variables saved by ``save_weights`` (``.weights.h5``) or in a ``.keras`` archive into ``model``.

    Args:
        model: a built model of the same architecture (however it was built: Sequential, Functional, …).
        filepath: a ``.weights.h5`` or ``.keras`` file.
        skip_mismatch: warn about layers whose variables do not match (count or shape) and leave them
            as they are, instead of raising.
    """
    if kwargs:
        raise ValueError(f"load_weights: unrecognized argument(s) {sorted(kwargs)}.")
    filepath = os.fspath(filepath)
    if not filepath.endswith((".weights.h5", ".keras")):
        if filepath.endswith((".h5", ".hdf5")):
            raise _legacy_format_error(filepath, "load_weights")
        raise ValueError(
            f"load_weights: the file name must end in `.weights.h5` or `.keras`, received filepath={filepath!r}."
        )
    saving_lib.load_weights(model, filepath, skip_mismatch=skip_mismatch)


__all__ = ["load_model", "load_weights", "save_model", "save_weights"]
