"""Orbax checkpoints: what ``callbacks.OrbaxCheckpoint`` writes, and ``load_model`` / ``load_weights`` read.

A checkpoint folder holds one numbered folder per saved step (``<directory>/<step>/``), each written by
Orbax (the ``orbax-checkpoint`` package, installed with ``pip install "brickwork[orbax]"``) with up to three
parts, laid out as Keras 3 lays them out so that checkpoints move both ways:

- ``pytree``: the model's state tree (``model.get_state_tree()``): ``trainable_variables``,
  ``non_trainable_variables`` and, unless only weights were saved, ``optimizer_variables`` and
  ``metrics_variables``, each nested by variable path;
- ``model_config``: ``{"config": <the model's config as JSON>}`` (absent when only weights were saved);
- ``assets``: files objects write with ``save_assets`` (a vocabulary), as nested dicts of ``uint8`` arrays.

Arrays are handed to Orbax as NumPy copies: a snapshot that later training steps cannot change while a
background save is still writing it, whatever the engine.
"""

from __future__ import annotations

import json
import os
import pathlib
import tempfile

import numpy as np
import optree

from brickwork.saving import saving_lib
from brickwork.saving.folder_archive import FolderArchive

STATE_GROUPS = ("trainable_variables", "non_trainable_variables", "optimizer_variables", "metrics_variables")
WEIGHT_GROUPS = STATE_GROUPS[:2]
# What Orbax writes in every step folder it completes.
_STEP_MARKERS = ("_CHECKPOINT_METADATA", "commit_success.txt")


def import_orbax():
    """Orbax's checkpointing API (``orbax.checkpoint.v1``), or an ImportError saying how to install it."""
    try:
        import orbax.checkpoint as orbax_checkpoint
    except ImportError as error:
        raise ImportError(
            "Orbax checkpoints need the 'orbax-checkpoint' package, which is not installed "
            f"({error}). Install it with: pip install \"brickwork[orbax]\" (or pip install orbax-checkpoint)."
        ) from None
    return orbax_checkpoint.v1


def import_orbax_multihost():
    """Orbax's multi-host helpers (a JAX distributed client: several processes writing one checkpoint)."""
    import_orbax()
    from orbax.checkpoint import multihost

    return multihost


# --------------------------------------------------------------------------- finding checkpoints
def _is_step_folder(path: str) -> bool:
    return os.path.isdir(path) and any(os.path.exists(os.path.join(path, marker)) for marker in _STEP_MARKERS)


def _step_folders(directory: str) -> dict[int, str]:
    try:
        names = os.listdir(directory)
    except (NotADirectoryError, FileNotFoundError, PermissionError):
        return {}
    return {int(name): os.path.join(directory, name) for name in names
            if name.isdigit() and _is_step_folder(os.path.join(directory, name))}


def is_orbax_checkpoint(filepath) -> bool:
    """Whether ``filepath`` is a folder of Orbax checkpoint steps, or one step's folder."""
    filepath = os.fspath(filepath)
    return _is_step_folder(filepath) or bool(_step_folders(filepath))


def latest_step_folder(filepath) -> str:
    """The folder of the newest step under ``filepath`` (or ``filepath`` itself when it is one step), absolute
    (Orbax refuses a relative path)."""
    filepath = os.path.abspath(os.fspath(filepath))
    if _is_step_folder(filepath):
        return filepath
    steps = _step_folders(filepath)
    if not steps:
        raise ValueError(f"No Orbax checkpoint found in {filepath!r}: expected numbered step folders written by "
                         "callbacks.OrbaxCheckpoint.")
    return steps[max(steps)]


# --------------------------------------------------------------------------- saving
def _snapshot(value):
    """A NumPy copy of one state value (a later in-place update of the variable cannot reach it)."""
    return np.array(value, copy=True)


def model_state(model, weights_only: bool = False) -> dict:
    """The model's state tree as NumPy copies; with ``weights_only``, its variables only."""
    tree = model.get_state_tree(value_format="numpy_array")
    if weights_only:
        tree = {group: tree[group] for group in WEIGHT_GROUPS}
    return optree.tree_map(_snapshot, tree)


def _collect_assets(model) -> dict | None:
    """The files the model's objects write with ``save_assets``, as nested dicts of ``uint8`` arrays."""
    collected: dict = {}

    class _Collector:
        def write(self, source: str, member: str) -> None:
            *folders, name = member.split("/")[1:]  # past "assets/"
            node = collected
            for folder in folders:
                node = node.setdefault(folder, {})
            node[name] = np.frombuffer(pathlib.Path(source).read_bytes(), dtype=np.uint8).copy()

    saving_lib._write_assets(model, _Collector())
    return collected or None


def checkpoint_parts(model, weights_only: bool = False) -> dict:
    """What one checkpoint step holds: ``{"pytree": ..., "model_config": ..., "assets": ...}``."""
    parts = {"pytree": model_state(model, weights_only)}
    if not weights_only:
        parts["model_config"] = {"config": saving_lib.model_config_json(model)}
        assets = _collect_assets(model)
        if assets is not None:
            parts["assets"] = assets
    return parts


# --------------------------------------------------------------------------- loading
def _load_parts(step_folder: str, names) -> dict:
    ocp = import_orbax()
    with ocp.Context():
        saved = set(ocp.checkpointables_metadata(step_folder).metadata)
        return ocp.load_checkpointables(step_folder, {name: None for name in names if name in saved}), saved


def _build_optimizer(model, state: dict) -> None:
    """Create the optimizer's variables when the checkpoint holds a built optimizer's state."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(optimizer, "built", True) or not getattr(model, "built", False):
        return
    if optimizer_leaves := optree.tree_leaves(state.get("optimizer_variables") or {}):
        if len(optimizer_leaves) > len(optimizer.variables):
            optimizer.build(model.trainable_variables)


def _restore_state(model, state: dict, filepath: str) -> None:
    unknown = sorted(set(state) - set(STATE_GROUPS))
    if unknown:
        raise ValueError(f"The Orbax checkpoint {filepath!r} holds state groups {unknown} that no model has; "
                         f"expected some of {list(STATE_GROUPS)}.")
    _build_optimizer(model, state)
    model.set_state_tree(state)


def load_weights(model, filepath) -> None:
    """Assign the variables saved in the newest step of the Orbax checkpoint ``filepath`` to ``model``."""
    step_folder = latest_step_folder(filepath)
    loaded, _ = _load_parts(step_folder, ["pytree"])
    _restore_state(model, loaded["pytree"], step_folder)


def _write_nested(tree: dict, folder: str, where: str) -> None:
    for name, value in tree.items():
        if not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\\" in name:
            raise ValueError(f"Refused an Orbax checkpoint asset named {name!r} under {where!r}: not a plain file "
                             "or folder name.")
        path = os.path.join(folder, name)
        if isinstance(value, dict):
            os.makedirs(path, exist_ok=True)
            _write_nested(value, path, f"{where}/{name}")
        else:
            pathlib.Path(path).write_bytes(np.asarray(value, dtype=np.uint8).tobytes())


def _restore_assets(model, assets: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = os.path.join(folder, saving_lib.ASSETS_FOLDER)
        os.makedirs(root)
        _write_nested(assets, root, saving_lib.ASSETS_FOLDER)
        archive = FolderArchive(folder)
        saving_lib.check_member_names(archive.namelist(), folder)
        saving_lib._read_assets(model, archive)


def load_model(filepath, custom_objects=None, compile: bool = True, safe_mode: bool = True):
    """Rebuild the model saved in the newest step of the Orbax checkpoint ``filepath``."""
    filepath = os.fspath(filepath)
    step_folder = latest_step_folder(filepath)
    loaded, saved = _load_parts(step_folder, ["model_config", "pytree", "assets"])
    if "model_config" not in saved:
        raise ValueError(
            f"load_model: the Orbax checkpoint {step_folder!r} holds no model configuration: it was saved with "
            "save_weights_only=True. Build the model from code and call model.load_weights(directory) instead."
        )
    try:
        config = json.loads(loaded["model_config"]["config"])
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"load_model: the model configuration in the Orbax checkpoint {step_folder!r} is not "
                         f"valid ({error}).") from None
    model = saving_lib.model_from_config(config, step_folder, custom_objects=custom_objects, compile=compile,
                                         safe_mode=safe_mode)
    state = dict(loaded["pytree"])
    if not compile:
        state = {group: tree for group, tree in state.items() if group in WEIGHT_GROUPS}
    _restore_state(model, state, step_folder)
    if loaded.get("assets"):
        _restore_assets(model, loaded["assets"])
    return model
