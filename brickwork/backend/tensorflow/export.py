"""Export on the TensorFlow engine: a TensorFlow SavedModel, reloaded with ``tf.saved_model.load`` alone.

``model.export(path, format="tf_saved_model")`` and ``export.ExportArchive`` trace each endpoint with
``tf.function`` on an input signature of ``tf.TensorSpec`` (``None`` dimensions stay dynamic); the model's
``tf.Variable`` objects (a brickwork ``Variable`` holds one) are tracked by a ``tf.Module``, so the SavedModel
carries them as variables, not constants. Every endpoint is an attribute of the reloaded object
(``reloaded.serve(x)``) and a serving signature (``reloaded.signatures["serve"]``, flat named inputs, a dict
of outputs); the first one is also ``"serving_default"``, which TF-Serving asks for.

``format="onnx"`` and ``"torch"`` trace with torch: the shared refusal (``common/export_ops.py``) says so.
"""

from __future__ import annotations

import optree
import tensorflow as tf

from brickwork.backend.common.binding import include
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.backend.tensorflow.core import to_tf_dtype

include("export_ops", globals())
_refuse_torch_format = export_model  # noqa: F821 - bound by include(): the refusal for formats traced by torch

# What ``model.export`` and ``export.ExportArchive`` write on this engine (the first is the archive's default).
MODEL_FORMATS = ("tf_saved_model",)
ARCHIVE_FORMATS = ("saved_model", "tf_saved_model")
DEFAULT_SIGNATURE = "serving_default"


def _is_keras_tensor(value) -> bool:
    return isinstance(value, KerasTensor)


def _flat_names(specs: list) -> list[str]:
    """One signature input name per flat spec: the specs' own names when unique, else ``input_<i>``."""
    names = [spec.name for spec in specs]
    if all(names) and len(set(names)) == len(names) and all(name.isidentifier() for name in names):
        return names
    return [f"input_{index}" for index in range(len(specs))]


def _unique_tf_variables(variables) -> list:
    """The ``tf.Variable`` behind each brickwork ``Variable`` (or ``tf.Variable``), once each, in order."""
    found, seen = [], set()
    for variable in variables:
        value = getattr(variable, "_value", variable)
        if isinstance(value, tf.Variable) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return found


def _signature_outputs(outputs):
    """A serving signature returns a tensor or a dict of tensors: other structures become ``output_<i>``."""
    if isinstance(outputs, dict) and all(isinstance(key, str) for key in outputs) and all(
            isinstance(value, tf.Tensor) for value in outputs.values()):
        return outputs
    if isinstance(outputs, tf.Tensor):
        return outputs
    return {f"output_{index}": leaf for index, leaf in enumerate(optree.tree_leaves(outputs))}


class SavedModelProgram:
    """A traced endpoint: ``function`` (a ``tf.function`` of the signature's structure), ``signature`` (the same
    computation on flat named inputs, for serving) and the ``tf.Variable`` objects the SavedModel must track."""

    def __init__(self, fn, args_signature: tuple, variables=()):
        specs, self.treespec = optree.tree_flatten(tuple(args_signature), is_leaf=_is_keras_tensor)
        names = _flat_names(specs)
        tensor_specs = [tf.TensorSpec(spec.shape, to_tf_dtype(spec.dtype), name=name)
                        for spec, name in zip(specs, names)]
        structured = optree.tree_unflatten(self.treespec, tensor_specs)

        def endpoint(*args):
            return fn(*args)

        def signature(**flat):
            args = optree.tree_unflatten(self.treespec, [flat[name] for name in names])
            return _signature_outputs(fn(*args))

        self.function = tf.function(endpoint, input_signature=list(structured), autograph=False)
        self.concrete_function = self.function.get_concrete_function()  # traces now: an error shows at add time
        self.signature = tf.function(signature, autograph=False).get_concrete_function(
            **{name: tensor_spec for name, tensor_spec in zip(names, tensor_specs)})
        # Every variable the traces read, tracked or not (a lambda may call a layer never passed to `track`):
        # the SavedModel must hold them all.
        self.variables = _unique_tf_variables([*variables, *self.concrete_function.variables,
                                               *self.signature.variables])

    def __call__(self, *flat_inputs):
        return self.function(*optree.tree_unflatten(self.treespec, list(flat_inputs)))


def export_function(fn, args_signature: tuple, variables=()) -> SavedModelProgram:
    """Trace ``fn(*args)`` with ``tf.function`` on ``args_signature`` (``None`` dimensions stay dynamic).

    Args:
        fn: a function of tensors (a layer's ``__call__``, a model's ``call``...).
        args_signature: one structure of ``KerasTensor`` per positional argument of ``fn``.
        variables: the variables ``fn`` reads; the SavedModel tracks their ``tf.Variable`` (and any other the
            trace reads).
    """
    return SavedModelProgram(fn, args_signature, variables)


def program_callable(program: SavedModelProgram):
    """``program`` as a function of its flat inputs."""
    return program


def write_saved_model(folder: str, endpoints: dict, variable_collections: dict | None = None, options=None) -> None:
    """Write a SavedModel to ``folder``: a ``tf.Module`` with each endpoint as an attribute and a signature.

    Args:
        folder: the (empty or new) folder.
        endpoints: ``{name: SavedModelProgram}``; the first is also the ``serving_default`` signature unless
            an endpoint has that name.
        variable_collections: ``{name: [Variable, ...]}``, attributes of the reloaded object holding the
            ``tf.Variable`` objects (``reloaded.<name>``).
        options: a ``tf.saved_model.SaveOptions``, or None.
    """
    if options is not None and not isinstance(options, tf.saved_model.SaveOptions):
        raise ValueError(f"ExportArchive.write_out: `options` must be a tf.saved_model.SaveOptions, received "
                         f"{options!r} of type {type(options).__name__!r}.")
    module = tf.Module()
    tracked = []
    for program in endpoints.values():
        tracked.extend(program.variables)
    module.variables_tracked = _unique_tf_variables(tracked)
    signatures = {}
    for name, program in endpoints.items():
        setattr(module, name, program.function)
        signatures[name] = program.signature
    if DEFAULT_SIGNATURE not in signatures:
        signatures[DEFAULT_SIGNATURE] = next(iter(endpoints.values())).signature
    for name, variables in (variable_collections or {}).items():
        setattr(module, name, _unique_tf_variables(variables))
    tf.saved_model.save(module, folder, signatures=signatures, options=options)


def describe_endpoint(program: SavedModelProgram) -> str:
    """The endpoint's inputs and outputs, as ``write_out(verbose=True)`` prints them."""
    inputs = optree.tree_map(lambda spec: f"{spec.dtype.name}{tuple(spec.shape)}",
                             list(program.function.input_signature),
                             is_leaf=lambda node: isinstance(node, tf.TensorSpec))
    outputs = optree.tree_map(lambda spec: f"{spec.dtype.name}{tuple(spec.shape)}",
                              program.concrete_function.structured_outputs,
                              is_leaf=lambda node: isinstance(node, (tf.Tensor, tf.TensorSpec)))
    return f"inputs {inputs} -> outputs {outputs}"


def export_model(model, filepath: str, format: str = "tf_saved_model", verbose: bool = True, input_signature=None,
                 **kwargs) -> None:
    """Write ``model`` (inference mode) as a SavedModel folder whose ``serve`` endpoint is its forward pass.

    Args:
        model: a built model.
        filepath: the folder to write (replaced, once complete, if it exists).
        format: ``"tf_saved_model"``; ``"onnx"`` and ``"torch"`` need the torch backend.
        verbose: print where the artifact was saved.
        input_signature: a structure of ``KerasTensor``; ``None`` dimensions stay dynamic.
        **kwargs: ``options`` (a ``tf.saved_model.SaveOptions``); ``is_static`` is accepted and ignored.

    Example:
        model.export("served", format="tf_saved_model")
        # elsewhere, with TensorFlow alone:
        outputs = tf.saved_model.load("served").serve(x)
    """
    if format not in MODEL_FORMATS:
        return _refuse_torch_format(model, filepath, format=format, verbose=verbose, input_signature=input_signature)
    from brickwork.saving.folder_archive import atomic_folder

    options = kwargs.pop("options", None)
    kwargs.pop("is_static", None)
    if kwargs:
        raise ValueError(f"export(format='tf_saved_model'): unsupported keyword arguments {sorted(kwargs)}; "
                         "expected `options` (a tf.saved_model.SaveOptions).")
    program = export_function(lambda inputs: model(inputs, training=False), (input_signature,), model.variables)
    with atomic_folder(filepath) as folder:
        write_saved_model(folder, {"serve": program}, options=options)
    if verbose:
        print(f"Saved artifact at '{filepath}'. The following endpoints are available:\n"
              f"* Endpoint 'serve': {describe_endpoint(program)}")
