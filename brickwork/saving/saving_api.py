"""The public saving functions: ``save_model``, ``load_model``, ``save_weights``, ``load_weights``.

Example:
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.save("model.keras")
    restored = brickwork.saving.load_model("model.keras")
    model.save_weights("model.weights.h5")
    model.load_weights("model.weights.h5")
"""

from __future__ import annotations

import os

from brickwork.saving import orbax_checkpoint, saving_lib


def _check_overwrite(filepath: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} exists and `overwrite=False`: refusing to replace it.")


class MissingFileError(FileNotFoundError, ValueError):
    """No file at the path given (a ``FileNotFoundError``, and a ``ValueError`` as in Keras)."""


_LEGACY_SUFFIXES = (".h5", ".hdf5")
# Keras's own wording, which tools and Keras's tests match exactly.
_LEGACY_WARNING = (
    "You are saving your model as an HDF5 file via `model.save()` or `keras.saving.save_model(model)`. "
    "This file format is considered legacy. We recommend using instead the native Keras format, "
    "e.g. `model.save('my_model.keras')` or `keras.saving.save_model(model, 'my_model.keras')`. "
)


def _is_legacy_h5(filepath: str) -> bool:
    return filepath.endswith(_LEGACY_SUFFIXES) and not filepath.endswith(".weights.h5")


def _log_warning(message: str) -> None:
    """Log ``message`` where Keras logs its format notices (absl's logger when installed)."""
    from brickwork.utils.progbar import log_message

    log_message(message, "warning")


def _on_chief(write, model, filepath) -> None:
    """Write from one process only when training is distributed; the others wait for the file."""
    from brickwork.distribution import distribution_lib

    if distribution_lib.is_chief():
        write(model, filepath)
    distribution_lib.barrier()


def save_model(model, filepath, overwrite: bool = True, zipped=None, **kwargs) -> None:
    """Save ``model`` (architecture, weights, compile configuration and optimizer state) to a ``.keras`` file,
    or to the legacy ``.h5`` format.

    Args:
        model: the model.
        filepath: a path ending in ``.keras`` (or ``.h5``/``.hdf5`` for the legacy format, which logs a warning).
        overwrite: replace an existing file (atomically: a failed save leaves the old file intact).
        zipped: ``False`` writes the archive's members into a folder at ``filepath`` (which must not end in
            ``.keras``) instead of a zip file; ``load_model`` reads either.
        include_optimizer: (``.h5`` only) save the compile configuration and optimizer state; default True.

    Returns:
        ``None``.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.save("model.keras")
        model.save("model.h5")  # the legacy format, for tools that still read it
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", None)
    if saving_lib.is_file_object(filepath) and not kwargs:  # an open binary file gets a .keras archive
        return _on_chief(saving_lib.save_model, model, filepath)
    filepath = os.fspath(filepath)
    if save_format:
        if not filepath.endswith((".keras",) + _LEGACY_SUFFIXES):
            raise ValueError(
                "save_model: The `save_format` argument is deprecated in Keras 3 (received "
                f"save_format={save_format!r}); remove it and let the file name choose: `.keras`, or `.h5` for the "
                f"legacy format. Received filepath={filepath!r}."
            )
        _log_warning(f"save_model: the `save_format` argument is deprecated (received {save_format!r}); the format "
                     "follows the file name.")
    if kwargs:
        raise ValueError(f"save_model: The following argument(s) are not supported: {sorted(kwargs)}.")
    if _is_legacy_h5(filepath):
        from brickwork.legacy.saving import legacy_h5_format

        _log_warning(_LEGACY_WARNING)
        _check_overwrite(filepath, overwrite)
        _on_chief(lambda m, path: legacy_h5_format.save_model_to_hdf5(m, path, include_optimizer=include_optimizer),
                  model, filepath)
        return
    if zipped is False:
        if filepath.endswith(".keras"):
            raise ValueError(f"save_model: with `zipped=False` the model is saved to a folder, whose name should not "
                             f"end in `.keras`; received filepath={filepath!r}.")
        _check_overwrite(filepath, overwrite)
        _on_chief(lambda m, path: saving_lib.save_model(m, path, zipped=False), model, filepath)
        return
    if not filepath.endswith(".keras"):
        raise ValueError(
            "save_model: Invalid filepath extension for saving: the file name must end in `.keras` (or `.h5` for the "
            f"legacy format), received filepath={filepath!r}."
        )
    _check_overwrite(filepath, overwrite)
    _on_chief(saving_lib.save_model, model, filepath)


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True, safe_mode: bool = True):
    """Load a model saved with ``model.save`` (by brickwork or by Keras 3), or a legacy ``.h5`` model
    (Keras 2 / ``tf.keras`` / Keras 3).

    Args:
        filepath: a ``.keras`` or ``.h5``/``.hdf5`` file, a folder saved with ``zipped=False``, or a folder of
            Orbax checkpoints written by ``callbacks.OrbaxCheckpoint`` (its newest step is loaded).
        custom_objects: ``{name: class or function}`` for custom layers, losses, … the file names.
        compile: restore the compile configuration and the optimizer's state.
        safe_mode: refuse Lambda bytecode. Classes the file names must always be brickwork's own or
            registered/passed custom objects: no setting makes the loader import a module a file names.

    Returns:
        The model, with its weights (and, compiled, its optimizer state) restored.

    Example:
        model = brickwork.models.load_model("model.keras")
        old = brickwork.models.load_model("tf_keras_model.h5")
    """
    if saving_lib.is_file_object(filepath):  # an open binary file holding a .keras archive
        return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
    filepath = os.fspath(filepath)
    if _is_legacy_h5(filepath):
        from brickwork.legacy.saving import legacy_h5_format

        return legacy_h5_format.load_model_from_hdf5(filepath, custom_objects=custom_objects, compile=compile,
                                                     safe_mode=safe_mode)
    if filepath.endswith(".weights.h5"):
        raise ValueError(
            f"load_model: {filepath!r} holds weights only. Build the model from code and call "
            "`model.load_weights(filepath)`."
        )
    if os.path.isdir(filepath) and os.path.isfile(os.path.join(filepath, saving_lib.CONFIG_FILENAME)):
        # a folder written by save_model(..., zipped=False)
        return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
    if orbax_checkpoint.is_orbax_checkpoint(filepath):  # written by callbacks.OrbaxCheckpoint
        return orbax_checkpoint.load_model(filepath, custom_objects=custom_objects, compile=compile,
                                           safe_mode=safe_mode)
    if not filepath.endswith(".keras"):
        raise ValueError(
            f"load_model: File format not supported: filepath={filepath!r}. brickwork loads `.keras` files and "
            "legacy `.h5`/`.hdf5` models (TensorFlow SavedModel folders are not supported)."
        )
    if not os.path.exists(filepath):
        raise MissingFileError(f"load_model: File not found: filepath={filepath!r}. Please ensure the file is an accessible "
                               "`.keras` zip file.")
    return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_weights(model, filepath, overwrite: bool = True, max_shard_size=None, **kwargs) -> None:
    """Save the variables of ``model`` (and its optimizer) to a ``.weights.h5`` file, in Keras 3's layout.

    Args:
        model: the model.
        filepath: a path ending in ``.weights.h5`` (``.weights.json`` with ``max_shard_size``).
        overwrite: replace an existing file.
        max_shard_size: split the weights into shards of at most this many GB (a float), written beside a
            ``.weights.json`` index that ``load_weights`` takes, as in Keras.
        objects_to_skip: layers (or other saveables) whose variables are not saved.

    Returns:
        ``None``.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        model.save_weights("model.weights.h5", objects_to_skip=[model.layers[0]])
        model.save_weights("model.weights.json", max_shard_size=0.5)
    """
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    if kwargs:
        raise ValueError(f"save_weights: Invalid keyword arguments {sorted(kwargs)}.")
    filepath = os.fspath(filepath)
    if max_shard_size is None and not filepath.endswith(".weights.h5"):
        raise ValueError(
            f"save_weights: the file name must end in `.weights.h5`, received filepath={filepath!r}."
        )
    if max_shard_size is not None and not filepath.endswith(("weights.h5", "weights.json")):
        raise ValueError(f"save_weights: the file name must end in `.weights.json` when `max_shard_size` is given, "
                         f"received filepath={filepath!r}.")
    _check_overwrite(filepath, overwrite)
    _on_chief(lambda m, path: saving_lib.save_weights(m, path, objects_to_skip=objects_to_skip or (),
                                                      max_shard_size=max_shard_size), model, filepath)


def load_weights(model, filepath, skip_mismatch: bool = False, **kwargs) -> None:
    """Load variables saved by ``save_weights`` (``.weights.h5``), in a ``.keras`` archive, or in a legacy
    ``.h5`` file (a whole model, or ``tf.keras``'s ``save_weights``) into ``model``.

    Args:
        model: a built model of the same architecture (however it was built: Sequential, Functional, …).
        filepath: a ``.weights.h5``, ``.keras`` or legacy ``.h5``/``.hdf5`` file, or a folder of Orbax
            checkpoints written by ``callbacks.OrbaxCheckpoint`` (its newest step is loaded).
        skip_mismatch: warn about layers whose variables do not match (count or shape) and leave them
            as they are, instead of raising.
        by_name: (legacy ``.h5`` only) match layers by name instead of by order.

    Returns:
        ``None``; the variables of ``model`` hold the loaded values.

    Example:
        model.load_weights("model.weights.h5")
        model.load_weights("tf_keras_weights.h5", by_name=True)
    """
    by_name = kwargs.pop("by_name", None)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    if kwargs:
        raise ValueError(f"load_weights: Invalid keyword arguments {sorted(kwargs)}.")
    filepath = os.fspath(filepath)
    legacy = _is_legacy_h5(filepath)
    if by_name is not None and not legacy:
        raise ValueError(f"load_weights: `by_name` only supports loading legacy '.h5' or '.hdf5' files; received "
                         f"filepath={filepath!r}.")
    if objects_to_skip is not None and not filepath.endswith((".weights.h5", ".weights.json")):
        raise ValueError(f"load_weights: `objects_to_skip` only supports loading '.weights.h5' files; received "
                         f"filepath={filepath!r}.")
    if legacy:
        from brickwork.legacy.saving import legacy_h5_format

        legacy_h5_format.load_weights(model, filepath, skip_mismatch=skip_mismatch, by_name=bool(by_name))
        return
    if orbax_checkpoint.is_orbax_checkpoint(filepath):  # written by callbacks.OrbaxCheckpoint
        orbax_checkpoint.load_weights(model, filepath)
        return
    if not filepath.endswith((".weights.h5", ".weights.json", ".keras")):
        raise ValueError(
            f"load_weights: File format not supported: the file name must end in `.weights.h5`, `.weights.json`, "
            f"`.keras` or `.h5`, "
            f"received filepath={filepath!r}."
        )
    saving_lib.load_weights(model, filepath, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip or ())


__all__ = ["load_model", "load_weights", "save_model", "save_weights"]
