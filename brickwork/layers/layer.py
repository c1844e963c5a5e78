"""``Layer``: the brick. State (variables) plus computation (``call``).

The lifecycle, in one place:
  1. ``__init__`` stores the configuration.
  2. The first ``__call__`` builds the layer: ``build(input_shape)`` creates the weights with
     ``add_weight``, inside the layer's name scope so their paths read ``dense/kernel``.
  3. Every call then runs ``call``; on symbolic ``KerasTensor`` inputs, the output spec is inferred
     (``compute_output_spec``) and a ``Node`` records the call for the Functional API.

Example:
    class Linear(Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units))

        def call(self, x):
            return ops.matmul(x, self.w)
"""

from __future__ import annotations

import functools
import inspect
import math
import os

import numpy as np
import optree

from brickwork import backend, dtype_policies
from brickwork.backend.common import global_state
from brickwork.backend.common.name_scope import current_path, name_scope
from brickwork.backend.common.remat import get_current_remat_mode
from brickwork.layers.layer_call import LAYERS_WITH_LOSSES as _LAYERS_WITH_LOSSES
from brickwork.layers.layer_call import CallPath, _is_shape, ShapesByArgument
from brickwork.layers.stateless_call import StatelessCall
from brickwork.ops.operation import rebuild_from_config
from brickwork.quantizers.layer_hooks import QuantizationHooks
from brickwork.random.seed_generator import SeedGenerator
from brickwork.utils.auto_config import auto_config as _auto_config

_LAYER_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size", "input_length")
_NOT_TRACKED = frozenset(
    {"_inbound_nodes", "_outbound_nodes", "_trainable_variables", "_non_trainable_variables",
     "_losses", "_call_signature", "_parent_model", "_functional_graph", "input_spec",
     "_compiled", "optimizer", "_compile_loss", "_compile_metrics", "_loss_tracker", "history",
     "_train_function", "_test_function", "_predict_function", "_distribution"}
)


def _engine_module_type():
    """The engine's own module class (``torch.nn.Module`` on torch), or ``()`` where there is none: a layer's
    attribute holding one is wrapped in a ``TorchModuleWrapper`` (``layers/native/``), as in Keras, so that
    the module's parameters become the layer's weights."""
    import importlib

    try:
        return importlib.import_module(f"{backend.active.__name__}.module_wrapper").MODULE_TYPE
    except ModuleNotFoundError:
        return ()


_ENGINE_MODULE_TYPE = _engine_module_type()


def _engine_layer_base() -> type:
    """The engine's part of every layer (``backend/<engine>/layer.py``): ``torch.nn.Module`` on torch, so that
    a layer is a module there as in Keras; a plain class on the other engines."""
    import importlib

    return importlib.import_module(f"{backend.active.__name__}.layer").EngineLayer


_EngineLayer = _engine_layer_base()
_NOT_TRACKED = _NOT_TRACKED | _EngineLayer._engine_attributes  # the engine's own state holds no sublayers


class _CallSignature:
    """What a ``call`` accepts, inspected once per class."""

    def __init__(self, call):
        parameters = dict(inspect.signature(call).parameters)
        parameters.pop("self", None)  # `call` is read from the class: unbound
        self.names = list(parameters)
        self.positional = [name for name, p in parameters.items()
                           if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        self.has_training = "training" in parameters
        self.has_mask = "mask" in parameters
        self.has_var_kwargs = any(p.kind == p.VAR_KEYWORD for p in parameters.values())
        self.defaults = {name: p.default for name, p in parameters.items() if p.default is not p.empty}
        # `call(self, x1, x2, x1_mask=None, x2_mask=None)`: each argument's mask arrives as `<argument>_mask`
        self.argument_masks = tuple((name, f"{name}_mask") for name in self.names if f"{name}_mask" in parameters)
        self.first_arg = self.names[0] if self.names else None


@functools.cache
def _shape_parameters(function) -> tuple:
    """The parameter names of a ``build``/``compute_output_shape`` function, without ``self``."""
    parameters = inspect.signature(function).parameters.values()
    names = [p.name for p in parameters
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return tuple(names[1:])


def _scoped_build(build):
    """A subclass's ``build`` as Keras runs it however it is reached (``layer(x)``, or a parent's ``build``
    calling ``sublayer.build(shape)`` as KerasHub's layers do): in the layer's name scope, so variable paths
    nest, and leaving the layer built with its shapes recorded, so its first call does not build it again."""

    @functools.wraps(build)
    def scoped(self, *args, **kwargs):
        with self._open_name_scope():
            self._set_path()
            build(self, *args, **kwargs)
        if self._build_shapes is None and (args or kwargs):
            names = _shape_parameters(build)
            bound = dict(zip(names, args), **kwargs)
            try:
                self._build_shapes = (_tuples(bound[names[0]]) if len(names) == 1
                                      else ShapesByArgument({k: _tuples(v) for k, v in bound.items()}))
            except (TypeError, ValueError, KeyError, IndexError):
                pass  # not shapes (a build taking other arguments): nothing to record
        self.built = True
        if not self._called:
            self._first_call_pending = True  # its first call still opens its name scope and checks its inputs

    scoped._scoped_build = True
    return scoped


class Layer(CallPath, QuantizationHooks, StatelessCall, _EngineLayer):
    """Base class of all layers.

    Args:
        trainable: whether the layer's variables are updated by training.
        dtype: the dtype policy (a ``DTypePolicy``, a name like ``"mixed_bfloat16"``, a dtype) or
            ``None`` for the global policy.
        autocast: whether float variables are read in the compute dtype under mixed precision.
        name: the layer's name; unique by default (``dense``, ``dense_1``, …).
        activity_regularizer: a regularizer applied to the layer's output, added to ``losses``.

    Example:
        class Scale(keras.Layer):
            def build(self, input_shape):
                self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

            def call(self, x):
                return x * self.scale

        layer = Scale()
        layer(np.ones((2, 3))).shape   # (2, 3)
        len(layer.trainable_weights)   # 1
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_scoped_build", False):
            cls.build = _scoped_build(build)

    _first_call_pending = False  # set by _build_at_init: check the first call's inputs all the same
    _remat_mode = None  # the RematScope in force at construction (backend/common/remat.py)
    _called = False  # set on the first call
    _trainable = True  # until __init__ runs (a subclass may create variables before calling it)
    _loss_owner = None  # the outermost layer whose call added this layer's `_losses` (it clears them)
    _path = None  # the name-scope path where the layer was built (`path`)
    _parent_path = None  # the name-scope path the layer's scope nests under, fixed when first opened
    _extra_call_context_args = ()  # call-context arguments besides `training` (call_context.py)
    _allow_non_tensor_positional_args = False  # symbolic calls take tensors positionally, other values by keyword

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        layer._init_engine_state()
        # Tracking state exists before the subclass __init__ assigns any attribute.
        object.__setattr__(layer, "_trainable_variables", [])
        object.__setattr__(layer, "_non_trainable_variables", [])
        object.__setattr__(layer, "_losses", [])
        object.__setattr__(layer, "_inbound_nodes", [])
        object.__setattr__(layer, "_outbound_nodes", [])
        object.__setattr__(layer, "built", False)
        object.__setattr__(layer, "_tracker", _Tracker())
        if cls.get_config is Layer.get_config:  # no get_config of its own: Keras derives one from the arguments
            object.__setattr__(layer, "_auto_config", _auto_config(cls, args, kwargs))
        return layer

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        input_shape_arg = self._pop_input_shape_kwargs(kwargs)
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}: unrecognized keyword argument(s) {sorted(kwargs)}."
            )
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"{type(self).__name__}: `name` must be a string without '/', received {name!r}.")
        self.name = name or global_state.uniquify(global_state.to_snake_case(type(self).__name__))
        if not isinstance(trainable, (bool, np.bool_)):
            raise ValueError(f"Expected `trainable` argument to be a boolean, but got: {trainable!r}")
        self._trainable = bool(trainable)
        self.dtype_policy = dtype
        self.autocast = bool(autocast)
        self._input_shape_arg = input_shape_arg
        self.supports_masking = getattr(self, "supports_masking", False)
        self.input_spec = None
        self.activity_regularizer = activity_regularizer
        self._build_shapes = None
        remat_mode = get_current_remat_mode()
        if remat_mode is not None:
            self._remat_mode = remat_mode
        cls = type(self)
        if "_call_signature" not in cls.__dict__:
            cls._call_signature = _CallSignature(cls.call)

    @staticmethod
    def _pop_input_shape_kwargs(kwargs):
        """Keras accepts ``input_shape=``/``input_dim=``/``batch_input_shape=`` on any layer."""
        shape = kwargs.pop("input_shape", None)
        if "input_dim" in kwargs:
            dim = kwargs.pop("input_dim")
            shape = (dim,) if dim is not None else shape
        batch_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)
        if batch_shape is not None:
            return tuple(batch_shape)
        if shape is not None:
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            return (batch_size,) + shape
        return None

    # ------------------------------------------------------------------ tracking
    def __setattr__(self, name, value):
        if isinstance(value, backend.Variable) and not name.startswith("__"):
            self._track_variable(value)
        elif isinstance(value, _ENGINE_MODULE_TYPE) and not isinstance(value, Layer):
            from brickwork.layers.native.torch_module_wrapper import TorchModuleWrapper

            if not isinstance(self, TorchModuleWrapper):
                value = TorchModuleWrapper(value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        value = self.__dict__.get(name)
        if isinstance(value, backend.Variable):
            self._untrack_variable(value)
        super().__delattr__(name)

    def _track_variable(self, variable) -> None:
        ids = {id(v) for v in self._trainable_variables + self._non_trainable_variables}
        if id(variable) not in ids:
            self._tracker.check_unlocked(self)
            (self._trainable_variables if variable.trainable else self._non_trainable_variables).append(variable)
            if not self._trainable:
                variable.trainable = False  # a frozen layer's new weights are frozen too; unfreezing thaws them

    def _untrack_variable(self, variable) -> None:
        """Stop tracking ``variable`` (it leaves ``weights``); the attribute holding it is the caller's to reset."""
        for tracked in (self._trainable_variables, self._non_trainable_variables):
            tracked[:] = [v for v in tracked if v is not variable]

    def _attribute_objects(self, kind) -> list:
        """Objects of type ``kind`` held in attributes (including lists, tuples and dicts), in order, once each."""
        found, seen = [], {id(self)}

        def visit(value):
            if isinstance(value, kind):
                if id(value) not in seen:
                    seen.add(id(value))
                    found.append(value)
            elif isinstance(value, (list, tuple, dict)) and id(value) not in seen:
                seen.add(id(value))  # a container holding itself (``blocks.append(blocks)``) is visited once
                for item in (value.values() if isinstance(value, dict) else value):
                    visit(item)

        for key, value in self.__dict__.items():
            if key not in _NOT_TRACKED:
                visit(value)
        return found

    def _sublayers(self) -> list:
        """Direct sublayers, found in attributes (including lists, tuples and dicts), in order."""
        return self._attribute_objects(Layer)

    @property
    def _layers(self) -> list:
        return self._sublayers()

    def _flatten_layers(self, include_self=True, recursive=True) -> list:
        layers = [self] if include_self else []
        seen = {id(self)}
        todo = list(self._sublayers())
        while todo:
            layer = todo.pop(0)
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            layers.append(layer)
            if recursive:
                todo = layer._sublayers() + todo
        return layers

    def _collect(self, own) -> list:
        result, seen = [], set()
        for layer in self._flatten_layers():
            for variable in own(layer):
                if id(variable) not in seen:
                    seen.add(id(variable))
                    result.append(variable)
        return result

    @property
    def weights(self) -> list:
        """All weights: trainable first in each layer, then non-trainable, then sublayers'."""
        return self._collect(lambda layer: layer._trainable_variables + layer._non_trainable_variables)

    @property
    def variables(self) -> list:
        """All state, including the seed state of random layers (metrics' state is in ``metrics_variables``)."""
        return self._collect(Layer._own_variables)

    def _own_variables(self) -> list:
        """This layer's own state, not its sublayers': its weights, then the seed states of its generators."""
        seeds = [generator.state for generator in self._attribute_objects(SeedGenerator)]
        return self._trainable_variables + self._non_trainable_variables + seeds

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return self._collect(
            lambda layer: [v for v in layer._trainable_variables if v.trainable] if layer.trainable else []
        )

    @property
    def metrics(self) -> list:
        """The metrics held in the layer's attributes and its sublayers'."""
        from brickwork.metrics.metric import Metric

        return [metric for layer in self._flatten_layers() for metric in layer._attribute_objects(Metric)]

    @property
    def metrics_variables(self) -> list:
        """The state variables of ``metrics``."""
        return [variable for metric in self.metrics for variable in metric.variables]

    @property
    def non_trainable_weights(self) -> list:
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    trainable_variables = property(lambda self: self.trainable_weights)
    non_trainable_variables = property(
        lambda self: [v for v in self.variables if id(v) not in {id(w) for w in self.trainable_weights}]
    )

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Setting ``trainable`` applies to every sublayer too, as in Keras."""
        for layer in self._flatten_layers():
            layer._trainable = bool(value)
            for variable in layer._trainable_variables:
                variable.trainable = bool(value)

    # ------------------------------------------------------------------ dtypes
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value) -> None:
        """A ``DTypePolicyMap`` stays the layer's policy: setting another policy then sets the layer's own entry."""
        policy = dtype_policies.get(value)
        current = self.__dict__.get("_dtype_policy")
        if isinstance(current, dtype_policies.DTypePolicyMap) and self._path:
            if self._path in current:
                del current[self._path]
            current[self._path] = policy
        else:
            self._dtype_policy = policy
        self._refresh_policy()

    def _own_policy(self):
        """The policy that applies to this layer: its entry when its policy is a ``DTypePolicyMap``."""
        policy = self._dtype_policy
        if self._path and isinstance(policy, dtype_policies.DTypePolicyMap):
            return policy[self._path]
        return policy

    def _refresh_policy(self) -> None:
        policy = self._own_policy()
        # Read on every call, so a plain attribute: whether calls go through autocasting (inputs cast to
        # the compute dtype, variables read in it) — mixed policies, and any compute dtype but float32.
        self._mixed_precision = policy.is_mixed or policy.compute_dtype != "float32"

    dtype = property(lambda self: self._own_policy().variable_dtype)
    variable_dtype = property(lambda self: self._own_policy().variable_dtype)
    compute_dtype = property(lambda self: self._own_policy().compute_dtype)
    quantization_mode = property(lambda self: self._own_policy().quantization_mode)
    input_dtype = property(lambda self: self._own_policy().compute_dtype)

    @property
    def path(self) -> str | None:
        """The layer's name-scope path (``"model/block/dense"``), where it was built; ``None`` before."""
        return self._path

    def _set_path(self) -> None:
        """Record the path of the name scope now open (the layer's own) as ``path``."""
        self._path = current_path()
        if isinstance(self._dtype_policy, dtype_policies.DTypePolicyMap):
            self._refresh_policy()

    def _open_name_scope(self) -> name_scope:
        """The layer's name scope, nested under the path that was open when it was first entered."""
        if self._parent_path is None:
            self._parent_path = current_path()
        return name_scope(self.name, caller=self, override_parent=self._parent_path)

    @property
    def activity_regularizer(self):
        """The regularizer applied to the layer's outputs (``None`` for none)."""
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, value) -> None:
        if value is not None:
            from brickwork import regularizers

            value = regularizers.get(value)
        self._activity_regularizer = value

    # ------------------------------------------------------------------ weights
    def add_weight(self, *args, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none", overwrite_with_gradient=False,
                   name=None):
        """Create a variable tracked by this layer.

        Args:
            *args: ``shape``, ``initializer``, ``dtype`` may come positionally, in that order (not ``name``:
                Keras 2's ``add_weight("kernel", shape)`` is refused with an explanation).
            shape: the variable's shape (default ``()``).
            initializer: an initializer or its name; default ``"glorot_uniform"`` for floats,
                ``"zeros"`` otherwise.
            dtype: default the layer's variable dtype.
            trainable: whether training updates it.
            regularizer, constraint: applied to the variable (penalty added to ``losses``;
                projection after each optimizer step).
            name: the variable's name within the layer's path.
        """
        from brickwork import constraints, initializers, regularizers

        if args:
            shape, initializer, dtype = _positional_weight_arguments(args, shape, initializer, dtype)
        shape = () if shape is None else tuple(shape)
        dtype = backend.standardize_dtype(dtype or self.variable_dtype)
        _check_weight_size(self, name, shape, dtype)
        if initializer is None:
            initializer = "glorot_uniform" if backend.is_float(dtype) else "zeros"
        initializer = initializers.get(initializer)
        # A weight made in ``__init__`` (KerasHub's T5 attention does) must not fix where the layer's scope
        # nests: the parent's scope is open only later, when the parent builds it.
        parent = self._parent_path if self._parent_path is not None else current_path()
        with name_scope(self.name, caller=self, override_parent=parent):
            variable = backend.Variable(initializer, shape=shape, dtype=dtype, trainable=trainable,
                                        autocast=autocast, aggregation=aggregation, name=name)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        self._track_variable(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True,
                     regularizer=None, constraint=None, name=None):
        """Alias of ``add_weight`` with Keras's argument order."""
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype, trainable=trainable,
                               autocast=autocast, regularizer=regularizer, constraint=constraint, name=name)

    def get_weights(self) -> list:
        """The values of ``weights`` as NumPy arrays (copies: later training does not change them)."""
        return [np.array(backend.convert_to_numpy(v.value), copy=True) for v in self.weights]

    def set_weights(self, weights) -> None:
        """Assign NumPy arrays to ``weights``, in order; shapes must match."""
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(
                f"Layer {self.name!r}: set_weights expected {len(variables)} arrays, received {len(weights)}."
            )
        for variable, value in zip(variables, weights):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Layer {self.name!r}: weight {variable.path!r} has shape {variable.shape}, "
                    f"received an array of shape {value.shape}."
                )
            variable.assign(value)

    def save_own_variables(self, store) -> None:
        """Write this layer's own variables (not its sublayers') into ``store`` as ``"0"``, ``"1"``, ...

        The hook ``.keras`` and ``.weights.h5`` saving calls; a subclass that overrides it calls
        ``super().save_own_variables(store)`` and adds entries of its own, as in Keras.
        """
        from brickwork.saving.weights_store import own_variables

        for index, variable in enumerate(own_variables(self)):
            store[str(index)] = variable

    def load_own_variables(self, store) -> None:
        """Assign this layer's own variables from ``store`` (``"0"``, ``"1"``, ...), checking count and shapes."""
        from brickwork.saving.weights_store import load_variables

        load_variables(self, store)

    def count_params(self) -> int:
        """The number of scalars in ``weights``."""
        if not self.built:
            raise ValueError(
                f"Layer {self.name!r} is not built yet, so it has no weights to count. "
                "Call it on data or build it first."
            )
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    # ------------------------------------------------------------------ losses
    def add_loss(self, loss) -> None:
        """Add a scalar term to the training loss (collected from the latest call)."""
        scope = backend.get_stateless_scope()
        if scope is not None and scope.collect_losses:
            scope.add_loss(loss)
            return
        self._losses.append(loss)
        state = global_state.STATE
        object.__setattr__(self, "_loss_owner", state.top_call_layer if state.call_depth else self)
        _LAYERS_WITH_LOSSES.add(self)

    @property
    def losses(self) -> list:
        """``add_loss`` terms of the latest call plus weight regularization penalties."""
        override = getattr(self, "_losses_override", None)
        if override is not None:  # inside jax's pure step: the losses of the step's own forward pass
            return list(override)
        result = []
        for layer in self._flatten_layers():
            result.extend(layer._losses)
        for variable in self.trainable_weights:
            if getattr(variable, "regularizer", None) is not None:
                result.append(variable.regularizer(variable.value))
        return result

    def _clear_losses(self) -> None:
        """Forget the ``add_loss`` terms of this layer's previous call: its own and those its sublayers added
        while it ran (another model's losses stay until that model runs again)."""
        holders = list(_LAYERS_WITH_LOSSES)
        if any(layer is not self and layer._loss_owner is not self for layer in holders):
            # Terms added under another outermost call: cleared if they belong to this layer's sublayers
            # (a layer first run alone, then inside a model); walking the sublayers only then.
            own = {id(layer) for layer in self._flatten_layers()}
            holders = [layer for layer in holders if id(layer) in own or layer._loss_owner is self]
        for layer in holders:
            layer._losses.clear()
            layer._loss_owner = None
            _LAYERS_WITH_LOSSES.discard(layer)

    # ------------------------------------------------------------------ building
    def build(self, input_shape) -> None:
        """Create the layer's weights for ``input_shape``. The default creates none."""
        self.built = True

    def _build_at_init(self) -> None:
        """Mark a layer that has no weights as built as soon as it exists (Keras does this for weightless layers).

        Call it at the end of ``__init__`` of a layer whose ``build`` creates nothing; a subclass that
        overrides ``build`` keeps building on its first call.
        """
        if type(self).build is Layer.build:
            self.built = True
            self._first_call_pending = True  # its inputs are still checked once, on the first call

    def _maybe_build(self, args, kwargs) -> None:
        if self.built:
            return
        shapes = self._shapes_for_build(args, kwargs)
        with self._open_name_scope():
            self._set_path()
            self._build_with_shapes(shapes)
        self.built = True

    def _shapes_for_build(self, args, kwargs):
        return self._shapes_for(type(self).build, args, kwargs)

    def _shapes_for(self, target, args, kwargs):
        """The shapes ``target`` (``build`` or ``compute_output_shape``) takes, as Keras aligns them: a
        target with one parameter gets the first input's shape (a structure for nested inputs); one
        with several gets ``<argument>_shape`` for each tensor argument of ``call`` it names."""
        names = _shape_parameters(target)
        if len(names) <= 1:
            first = args[0] if args else kwargs.get(self._call_signature.first_arg)
            return _shape_structure(first)
        arguments = dict(zip(self._call_signature.positional, args))
        arguments.update((k, v) for k, v in kwargs.items() if k not in arguments)
        shapes = ShapesByArgument()
        for name in names:
            argument = name[: -len("_shape")]
            if not name.endswith("_shape") or argument not in self._call_signature.names:
                rule = (f"Layer {self.name!r} ({type(self).__name__}): a {target.__name__}() with several arguments "
                        f"names each after an argument of call() {self._call_signature.names} with `_shape` appended "
                        f"(`{target.__name__}(self, foo_shape, bar_shape)` for `call(self, foo, bar)`); ")
                if not name.endswith("_shape"):
                    raise ValueError(f"{rule}received {target.__name__}() argument `{name}`, which does not end "
                                     "in `_shape`.")
                raise ValueError(f"{rule}received {target.__name__}() argument `{name}`, but `call()` does not "
                                 f"have argument `{argument}`.")
            if arguments.get(argument) is not None:
                shapes[name] = _shape_structure(arguments[argument])
        return shapes

    def _build_with_shapes(self, shapes) -> None:
        self._build_shapes = shapes
        if type(self).build is Layer.build:
            self.built = True
        elif isinstance(shapes, ShapesByArgument):
            self.build(**shapes)
        else:
            self.build(shapes)

    def build_from_config(self, config: dict) -> None:
        config = config or {}
        if "shapes_dict" in config:
            shapes = ShapesByArgument({k: _tuples(v) for k, v in config["shapes_dict"].items()})
        elif config.get("input_shape") is not None:
            shapes = _tuples(config["input_shape"])
        else:
            return
        if not self.built:
            with self._open_name_scope():
                self._set_path()
                self._build_with_shapes(shapes)
            self.built = True

    def get_build_config(self) -> dict | None:
        if isinstance(self._build_shapes, ShapesByArgument):
            return {"shapes_dict": dict(self._build_shapes)}
        if self._build_shapes is not None:
            return {"input_shape": self._build_shapes}
        return None

    # ------------------------------------------------------------------ graph
    @property
    def input(self):
        """The symbolic input of the layer's first call on symbolic tensors."""
        return self._first_node("input").arguments_args[0]

    @property
    def output(self):
        """The symbolic output of the layer's first call on symbolic tensors."""
        return self._first_node("output").outputs

    def _first_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name!r} has never been called on symbolic inputs, so it has no {what}.")
        return self._inbound_nodes[0]

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        """The arguments that rebuild this layer with ``from_config``."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype_policy_config()}
        auto_config = getattr(self, "_auto_config", None)
        if auto_config is not None and type(self).get_config is Layer.get_config:
            config = {"name": self.name, **auto_config, "trainable": self.trainable,
                      "dtype": self._dtype_policy_config()}
        if self._activity_regularizer is not None:
            from brickwork import regularizers

            config["activity_regularizer"] = regularizers.serialize(self._activity_regularizer)
        if self._input_shape_arg is not None:
            config["batch_input_shape"] = self._input_shape_arg
        return config

    def _dtype_policy_config(self) -> dict:
        return {
            "module": "keras",
            "class_name": "DTypePolicy",
            "config": {"name": self._dtype_policy.name},
            "registered_name": None,
        }

    @classmethod
    def from_config(cls, config: dict):
        if isinstance(config.get("dtype"), dict):
            # A serialized policy reaches __init__ as Keras passes it: a plain policy by name (what subclasses
            # such as KerasHub's tokenizers compare against dtype names), a DTypePolicyMap as the object.
            policy = dtype_policies.get(config["dtype"])
            config = dict(config, dtype=policy if isinstance(policy, dtype_policies.DTypePolicyMap) else policy.name)
        return rebuild_from_config(cls, config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class _Tracker:
    """Whether a built layer refuses new variables while it is being called (Keras's ``layer._tracker``).

    State belongs in ``__init__`` or ``build``: a variable made in ``call`` would be made again on every call.
    ``unlock()`` / ``lock()`` bracket a deliberate change of a built layer's state, as in Keras.
    """

    __slots__ = ("locked",)

    def __init__(self):
        self.locked = True

    def lock(self, msg: str | None = None) -> None:
        self.locked = True

    def unlock(self) -> None:
        self.locked = False

    def check_unlocked(self, layer) -> None:
        if self.locked and layer.built and global_state.STATE.call_depth > 0:
            raise ValueError(
                f"Layer {layer.name!r} ({type(layer).__name__}) is already built, so it cannot add new elements of "
                "state (variables or sub-layers) while it is called: create all state in `__init__()` or in "
                "`build()`."
            )


def _positional_weight_arguments(args: tuple, shape, initializer, dtype) -> tuple:
    """``add_weight``'s positional ``(shape, initializer, dtype)``, each given once."""
    if len(args) > 3:
        raise TypeError(f"add_weight() takes at most 3 positional arguments (shape, initializer, dtype) but "
                        f"{len(args)} were given.")
    if isinstance(args[0], str):
        raise ValueError(f"add_weight: `name` must be passed as a keyword argument. Received: "
                         f"add_weight({args[0]!r}, ...); use add_weight(shape=..., name={args[0]!r}).")
    keywords = {"shape": shape, "initializer": initializer, "dtype": dtype}
    for (argument, keyword_value), value in zip(keywords.items(), args):
        if keyword_value is not None:
            raise ValueError(f"add_weight: `{argument}` was passed both positionally and as a keyword argument.")
        keywords[argument] = value
    return keywords["shape"], keywords["initializer"], keywords["dtype"]


def layers_with_losses() -> int:
    """How many live layers hold ``add_loss`` terms (0 lets the trainer skip collecting losses)."""
    return len(_LAYERS_WITH_LOSSES)


def _has_shape(x) -> bool:
    return hasattr(x, "shape") and not isinstance(x, (list, tuple, dict))


def _shape_structure(value):
    """The shape of a tensor argument, or the structure of shapes of a nested one; ``None`` for an
    argument holding no tensor (a string, a list of strings: tokenizers are layers too)."""
    leaves = optree.tree_leaves(value, is_leaf=_has_shape, none_is_leaf=True)
    if not any(_has_shape(leaf) for leaf in leaves):
        return None
    return optree.tree_map(lambda x: tuple(x.shape) if _has_shape(x) else None, value, is_leaf=_has_shape,
                           none_is_leaf=True)


def _tuples(shape):
    if isinstance(shape, (str, bytes)):
        raise TypeError(f"not a shape: {shape!r}")  # a string argument of build (an initializer's name)
    if _is_shape(shape):
        return tuple(None if d is None else int(d) for d in shape)
    if isinstance(shape, dict):
        return {k: _tuples(v) for k, v in shape.items()}
    return [_tuples(s) for s in shape]


# No single variable may hold more elements than this (2**34: 64 GiB of float32), nor more bytes than
# the machine's memory: a config asking for more (Dense with 10**12 units) is refused before allocation.
MAX_WEIGHT_ELEMENTS = 2**34


def _check_weight_size(layer, name, shape: tuple, dtype: str) -> None:
    if not all(isinstance(dim, (int, np.integer)) for dim in shape):
        return  # the backend explains symbolic or malformed shapes
    elements = math.prod(int(dim) for dim in shape)
    try:
        nbytes = elements * np.dtype(dtype).itemsize
    except TypeError:  # bfloat16, float8: not NumPy dtypes, at least a byte each
        nbytes = elements
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        memory = None
    if elements > MAX_WEIGHT_ELEMENTS or (memory is not None and nbytes > memory):
        raise ValueError(
            f"Layer {layer.name!r} ({type(layer).__name__}) asked for a weight {name!r} of shape {shape} "
            f"({elements} elements, {nbytes} bytes of {dtype}): more than one variable may hold "
            f"(at most {MAX_WEIGHT_ELEMENTS} elements and this machine's {memory} bytes of memory). Check the layer's "
            "config (units, filters, vocabulary size)."
        )
