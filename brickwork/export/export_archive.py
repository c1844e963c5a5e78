"""``ExportArchive``: several serving endpoints of layers and models, written to one folder.

On the tensorflow engine it writes what Keras writes, a TensorFlow SavedModel (``format="saved_model"``, or its
alias ``"tf_saved_model"``): every endpoint is an attribute of ``tf.saved_model.load(folder)`` and a serving
signature, every variable collection an attribute holding its ``tf.Variable`` objects.

On the other engines it writes what the engine can trace, one file per endpoint, each loadable without brickwork:

- on torch, ``format="torch"`` (the default): ``<name>.pt2``, a ``torch.export`` program
  (``torch.export.load(path).module()(*inputs)``); ``format="onnx"``: ``<name>.onnx`` for onnxruntime
  (needs ``pip install "brickwork[export]"``);
- on jax, ``format="jax"``: ``<name>.jax_export``, a serialized ``jax.export.Exported`` (StableHLO;
  ``jax.export.deserialize(data).call(*inputs)``; needs the ``flatbuffers`` package).

Beside them, ``archive.json`` lists the endpoints (file, input shapes and dtypes) and the variable collections,
whose values are in ``variables.npz`` (``np.load``), under the keys ``archive.json`` gives.
"""

from __future__ import annotations

import importlib
import json
import os

import numpy as np
import optree

from brickwork import backend
from brickwork.backend import KerasTensor
from brickwork.export.input_signature import resolve_args_signature
from brickwork.saving.folder_archive import atomic_folder

MANIFEST_FILENAME = "archive.json"
VARIABLES_FILENAME = "variables.npz"
_EXTENSIONS = {"torch": ".pt2", "onnx": ".onnx", "jax": ".jax_export"}
_TENSORFLOW_FORMATS = ("saved_model", "tf_saved_model", "neptune_model")


def _engine():
    try:
        return importlib.import_module(f"{backend.active.__name__}.export")
    except ImportError:
        return None


def _supported_formats() -> tuple:
    engine = _engine()
    return tuple(getattr(engine, "ARCHIVE_FORMATS", ())) if engine is not None else ()


def _is_keras_tensor(value) -> bool:
    return isinstance(value, KerasTensor)


def _describe_signature(args_signature: tuple) -> list:
    return optree.tree_map(lambda spec: {"shape": list(spec.shape), "dtype": spec.dtype, "name": spec.name},
                           list(args_signature), is_leaf=_is_keras_tensor)


def _input_names(args_signature: tuple) -> list[str]:
    """One name per flat input: the specs' own names when they are unique, else ``args_<position>_<key>...``."""
    paths, specs, _ = optree.tree_flatten_with_path(tuple(args_signature), is_leaf=_is_keras_tensor)
    names = [spec.name for spec in specs]
    if all(names) and len(set(names)) == len(names):
        return names
    return ["args_" + "_".join(str(part) for part in path) for path in paths]


class _Endpoint:
    """A traced endpoint: the engine's program and the structure of its arguments."""

    def __init__(self, name: str, program, args_signature: tuple, engine):
        self.name = name
        self.program = program
        self.args_signature = args_signature
        self._run = engine.program_callable(program)

    def __call__(self, *args):
        """Run the traced program (not ``fn``) on ``args``, given in the signature's structure."""
        if len(args) != len(self.args_signature):
            raise ValueError(f"Endpoint {self.name!r} takes {len(self.args_signature)} positional argument(s), "
                             f"received {len(args)}.")
        from brickwork import ops

        return self._run(*(ops.convert_to_tensor(leaf) for leaf in optree.tree_leaves(args)))


class ExportArchive:
    """Serving endpoints of brickwork layers and models, written to a folder that runs without brickwork.

    On the tensorflow engine it writes a TensorFlow SavedModel, as Keras does. On the others it writes, for
    each endpoint, what the active engine traces: a ``torch.export`` program (``<name>.pt2``) or an ONNX model
    (``<name>.onnx``) on torch, a serialized ``jax.export`` function (``<name>.jax_export``) on jax. The methods
    are Keras's: ``track``, ``add_endpoint``, ``track_and_add_endpoint``, ``add_variable_collection``,
    ``write_out``. Each endpoint is traced when it is added, so a function that cannot be exported fails there.
    ``None`` dimensions stay dynamic (axis 0 is the batch, one size for every input).

    Args:
        format: ``"saved_model"`` (the default) or ``"tf_saved_model"`` on the tensorflow backend; ``"torch"``
            (the default on torch) or ``"onnx"`` on the torch backend, ``"jax"`` (the default) on the jax backend.

    Example:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="out")])
        archive = ExportArchive()  # format="torch" on torch
        archive.track(model)
        archive.add_endpoint("serve", model.call,
                             input_signature=[keras.InputSpec(shape=(None, 3), dtype="float32")])
        archive.add_variable_collection("weights", model.weights)
        archive.write_out("exported")
        # elsewhere, with torch alone:
        import torch
        serve = torch.export.load("exported/serve.pt2").module()
        outputs = serve(torch.ones(4, 3))
        # written on the tensorflow backend, the folder is a SavedModel instead, for TensorFlow alone:
        #     outputs = tf.saved_model.load("exported").serve(tf.ones((4, 3)))
    """

    def __init__(self, format: str | None = None):
        supported = _supported_formats()
        if format in _TENSORFLOW_FORMATS and format not in supported:
            raise NotImplementedError(
                f"ExportArchive(format={format!r}) writes a TensorFlow SavedModel, which needs the TensorFlow "
                f"backend (BRICKWORK_BACKEND=tensorflow). On the {backend.backend()} backend, "
                + (f"ExportArchive writes format= one of {supported}." if supported else
                   "ExportArchive writes nothing: use the tensorflow backend (format='saved_model'), torch "
                   "(format='torch' or 'onnx') or jax (format='jax').")
            )
        if not supported:
            raise NotImplementedError(
                f"ExportArchive is not available on the {backend.backend()} backend: it traces functions with "
                "tensorflow (format='saved_model'), torch (format='torch' or 'onnx') or jax (format='jax'). Save "
                "the model with model.save('model.keras') and export it in a process started with "
                "BRICKWORK_BACKEND=tensorflow, torch or jax."
            )
        if format is None:
            format = supported[0]
        if format not in supported:
            raise ValueError(f"ExportArchive: Unsupported format={format!r} on the {backend.backend()} backend; "
                             f"expected one of {supported}.")
        self.format = format
        self._engine = _engine()
        self._tracked: list = []
        self._endpoints: dict[str, _Endpoint] = {}
        self._variable_collections: dict[str, list] = {}

    # ------------------------------------------------------------------ what is exported
    def track(self, resource) -> None:
        """Track a layer or model: its variables become the state of the endpoints that use them.

        Args:
            resource: a built ``Layer`` or ``Model``.
        """
        from brickwork.layers import Layer

        if not isinstance(resource, Layer):
            raise ValueError("ExportArchive.track: Invalid resource type. Expected a Keras `Layer` or `Model`. "
                             f"Received object {resource!r} of type {type(resource).__name__!r}.")
        if not resource.built:
            raise ValueError(f"ExportArchive.track: the layer {resource.name!r} has not yet been built. It must be "
                             "built (called on data, or `build(input_shape)`) before export.")
        if all(resource is not tracked for tracked in self._tracked):
            self._tracked.append(resource)

    @property
    def variables(self) -> list:
        """The variables of the tracked layers and models."""
        found, seen = [], set()
        for resource in self._tracked:
            for variable in resource.variables:
                if id(variable) not in seen:
                    seen.add(id(variable))
                    found.append(variable)
        return found

    @property
    def trainable_variables(self) -> list:
        return [variable for variable in self.variables if variable.trainable]

    @property
    def non_trainable_variables(self) -> list:
        return [variable for variable in self.variables if not variable.trainable]

    def _check_new_name(self, name, kind: str) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"ExportArchive: the {kind} name must be a Python identifier (it names a file of "
                             f"the archive), received name={name!r}.")
        if name in self._endpoints or name in self._variable_collections:
            raise ValueError(f"ExportArchive: Endpoint name '{name}' is already taken.")

    def add_endpoint(self, name: str, fn, input_signature=None, **kwargs):
        """Trace ``fn`` into a serving endpoint called ``name``.

        Args:
            name: the endpoint's name (a Python identifier): the SavedModel's attribute and signature, or the
                file ``<name>.pt2`` / ``.onnx`` / ``.jax_export``.
            fn: a function of tensors using tracked layers (``model.call``, ``lambda x: model(x, training=False)``).
                A bound method of a layer tracks that layer.
            input_signature: a list with one entry per positional argument of ``fn``: a spec
                (``keras.InputSpec``, ``KerasTensor``, an array) or a list/tuple/dict of specs. ``None``
                dimensions stay dynamic.
            **kwargs: ``is_static`` (Keras's jax option) is accepted and has no effect; nothing else.

        Returns:
            The traced endpoint: calling it runs the exported program on tensors in the signature's structure.
        """
        self._check_new_name(name, "endpoint")
        kwargs.pop("is_static", None)
        if kwargs:
            raise ValueError(f"ExportArchive.add_endpoint({name!r}): unsupported keyword arguments {sorted(kwargs)}"
                             " (Keras's jax2tf_kwargs configure the TensorFlow conversion, which brickwork does not "
                             "do).")
        if not callable(fn):
            raise ValueError(f"ExportArchive.add_endpoint({name!r}): `fn` must be callable, received {fn!r}.")
        if input_signature is None:
            raise ValueError(
                f"ExportArchive.add_endpoint({name!r}): you must provide an `input_signature` argument to specify "
                "the shape and dtype of the function arguments, one entry per positional argument. Example:\n\n"
                "export_archive.add_endpoint(\n"
                f"    name={name!r},\n"
                "    fn=model.call,\n"
                "    input_signature=[keras.InputSpec(shape=(None, 224, 224, 3), dtype='float32')],\n"
                ")"
            )
        owner = getattr(fn, "__self__", None)
        from brickwork.layers import Layer

        if isinstance(owner, Layer):
            self.track(owner)
        args_signature = resolve_args_signature(input_signature, f"ExportArchive.add_endpoint({name!r})")
        program = self._engine.export_function(fn, args_signature, self.variables)
        endpoint = _Endpoint(name, program, args_signature, self._engine)
        self._endpoints[name] = endpoint
        return endpoint

    def track_and_add_endpoint(self, name: str, resource, input_signature, **kwargs):
        """Track ``resource`` and add an endpoint ``name`` calling it (``resource(*args)``, inference mode).

        Args:
            name: the endpoint's name.
            resource: a built layer or model.
            input_signature: as for ``add_endpoint``.
            **kwargs: as for ``add_endpoint``.

        Returns:
            The traced endpoint.
        """
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name: str, variables) -> None:
        """Save the values of ``variables`` with the archive, as the collection ``name`` (an attribute of the
        reloaded SavedModel holding its ``tf.Variable`` objects; elsewhere in ``variables.npz``).

        Args:
            name: the collection's name (a Python identifier).
            variables: a list, tuple or set of ``keras.Variable``.
        """
        self._check_new_name(name, "variable collection")
        if not isinstance(variables, (list, tuple, set)):
            raise ValueError("ExportArchive.add_variable_collection: Expected `variables` to be a list/tuple/set. "
                             f"Received instead object of type {type(variables).__name__!r}.")
        others = sorted({type(variable).__name__ for variable in variables if not isinstance(variable, backend.Variable)})
        if others:
            raise ValueError("ExportArchive.add_variable_collection: Expected all elements in `variables` to be "
                             f"`keras.Variable` instances. Found instead the following types: {others}.")
        self._variable_collections[name] = list(variables)

    # ------------------------------------------------------------------ writing
    def write_out(self, filepath, options=None, verbose: bool = True) -> None:
        """Write the archive folder: a SavedModel (tensorflow), or one file per endpoint with ``archive.json`` and
        ``variables.npz`` (torch, jax).

        Args:
            filepath: the folder to write (replaced, once complete, if it exists).
            options: a ``tf.saved_model.SaveOptions`` for a SavedModel; None on the other engines.
            verbose: print the folder and its endpoints.
        """
        if not self._endpoints:
            raise ValueError("ExportArchive.write_out: No endpoints have been set yet. Call add_endpoint().")
        if self.format in _TENSORFLOW_FORMATS:
            self._write_saved_model(os.fspath(filepath), options, verbose)
            return
        if options is not None:
            raise ValueError(f"ExportArchive.write_out: `options` (tf.saved_model.SaveOptions) apply to a "
                             f"TensorFlow SavedModel only; received options={options!r}.")
        filepath = os.fspath(filepath)
        manifest = {"format": self.format, "backend": backend.backend(), "endpoints": {}, "variable_collections": {}}
        arrays = {}
        for name, variables in self._variable_collections.items():
            keys = []
            for index, variable in enumerate(variables):
                key = f"{name}_{index}"
                arrays[key] = np.asarray(variable.numpy())
                keys.append({"key": key, "path": variable.path})
            manifest["variable_collections"][name] = keys
        with atomic_folder(filepath) as folder:
            for name, endpoint in self._endpoints.items():
                file = name + _EXTENSIONS[self.format]
                self._engine.save_program(endpoint.program, os.path.join(folder, file), self.format,
                                          input_names=_input_names(endpoint.args_signature))
                manifest["endpoints"][name] = {"file": file, "inputs": _describe_signature(endpoint.args_signature)}
            if arrays:
                np.savez(os.path.join(folder, VARIABLES_FILENAME), **arrays)
            with open(os.path.join(folder, MANIFEST_FILENAME), "w") as file:
                json.dump(manifest, file, indent=2)
        if verbose:
            lines = [f"Saved artifact at '{filepath}'. The following endpoints are available:"]
            for name, entry in manifest["endpoints"].items():
                shapes = optree.tree_map(lambda spec: f"{spec['dtype']}{tuple(spec['shape'])}", entry["inputs"],
                                         is_leaf=lambda node: isinstance(node, dict) and "dtype" in node)
                lines.append(f"* Endpoint {name!r} ({entry['file']}): inputs {shapes}")
            print("\n".join(lines))

    def _write_saved_model(self, filepath: str, options, verbose: bool) -> None:
        """The engine writes the SavedModel; the first endpoint is also its ``serving_default`` signature."""
        programs = {name: endpoint.program for name, endpoint in self._endpoints.items()}
        with atomic_folder(filepath) as folder:
            self._engine.write_saved_model(folder, programs, self._variable_collections, options)
        if verbose:
            lines = [f"Saved artifact at '{filepath}'. The following endpoints are available:"]
            lines += [f"* Endpoint {name!r}: {self._engine.describe_endpoint(program)}"
                      for name, program in programs.items()]
            print("\n".join(lines))
