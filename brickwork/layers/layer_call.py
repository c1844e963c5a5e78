"""How a ``Layer`` is called: the eager path (inputs converted, built on the first call, the training flag,
masks and call-context arguments handed down, mixed-precision casting, activity losses) and the symbolic
path (output specs inferred, a ``Node`` recorded for the Functional API).

``Layer`` inherits ``CallPath``; this file is the call path alone so that ``layer.py`` keeps the state
(tracking, weights, dtypes, building, config). The eager ``__call__`` is the hottest code in brickwork:
every check it makes on a call after the first is one attribute read.

Example:
    layer = brickwork.layers.Dense(2)
    y = layer(np.ones((1, 3)))            # eager: built on this first call, then ``call`` runs
    z = layer(brickwork.Input((3,)))      # symbolic: a KerasTensor of shape (None, 2) and a graph node
"""

from __future__ import annotations

import weakref

import numpy as np
import optree

from brickwork import backend
from brickwork.backend.common import global_state
from brickwork.backend.common.determinism import explain_nondeterministic
from brickwork.backend.common.keras_tensor import KerasTensor, any_symbolic_tensors
from brickwork.layers import call_context, masking
from brickwork.layers.input_spec import assert_input_compatibility
from brickwork.mixed_precision import autocast as mixed_precision_autocast
from brickwork.ops import rematerialization
from brickwork.ops.node import Node


class CallPath:
    """The calling half of ``Layer`` (a mixin: the state it reads is set up by ``Layer.__init__``)."""

    def call(self, *args, **kwargs):
        raise self._not_implemented_error(self.call)

    def __call__(self, *args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return self._symbolic_call(args, kwargs)
        for value in kwargs.values():
            if isinstance(value, np.ndarray):  # call(a, b=array), as Keras
                kwargs = {k: _to_tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
                break
        if not self.built or self._first_call_pending or (args and not _is_tensor(args[0])):
            self._first_call_pending = False
            args = self._convert_inputs(args)
            strings = bool(args) and isinstance(args[0], np.ndarray) and args[0].dtype.kind in "USO"
            self._check_input_spec(args, kwargs)
            if not self._called:
                # The first call runs in the layer's name scope, so that sublayers built while it runs
                # nest their paths under it (``outer/inner/dense/kernel``); later calls skip the scope.
                object.__setattr__(self, "_called", True)
                with self._open_name_scope():
                    self._maybe_build(args, kwargs)
                    return self._call_catching_strings(args, kwargs, strings)
            self._maybe_build(args, kwargs)
            return self._call_catching_strings(args, kwargs, strings)
        # The hot path: a built layer on backend tensors (no strings to explain).
        if self._mixed_precision or _STATE.autocast_dtype is not None:
            return mixed_precision_autocast.call_in_compute_dtype(self, self._eager_call, args, kwargs)
        return self._eager_call(args, kwargs)

    def _call_catching_strings(self, args, kwargs, strings: bool):
        try:
            if self._mixed_precision or global_state.STATE.autocast_dtype is not None:
                return mixed_precision_autocast.call_in_compute_dtype(self, self._eager_call, args, kwargs)
            return self._eager_call(args, kwargs)
        except TypeError as error:
            if not strings:
                raise
            # Strings stay NumPy for the layers that take them; one that takes numbers names itself here.
            raise TypeError(
                f"Layer {self.name!r} ({type(self).__name__}) was called with `{self._call_signature.first_arg}` "
                f"an array of strings (dtype {args[0].dtype}, shape {args[0].shape}), but it takes numbers: {error}"
            ) from error

    def _eager_call(self, args, kwargs):
        signature = self._call_signature
        state = _STATE
        previous_training = state.training
        if signature.has_training:
            training = kwargs.get("training")
            if training is None:
                kwargs["training"] = previous_training
            else:
                state.training = training
        elif "training" in kwargs:
            training = kwargs.pop("training")
            if training is not None:
                state.training = training
        if signature.has_mask and kwargs.get("mask") is None and args:
            mask = _input_masks(args[0])
            if mask is not None:
                kwargs["mask"] = mask
        if signature.argument_masks:
            _fill_argument_masks(signature, args, kwargs)
        context = call_context.enter(self, kwargs) if self._extra_call_context_args else None
        if state.call_depth == 0:
            state.top_call_layer = self
            if LAYERS_WITH_LOSSES:
                self._clear_losses()
        state.call_depth += 1
        try:
            if self._engine_hooked:  # a torch forward hook is registered (backend/torch/layer.py)
                outputs = self._call_with_engine_hooks(*args, **kwargs)
            elif self._remat_mode is None:
                outputs = self.call(*args, **kwargs)
            else:
                outputs = self.rematerialized_call(self.call, *args, **kwargs)(*args, **kwargs)
        except (ValueError, TypeError, RuntimeError, IndexError) as error:
            self._check_input_spec(args, kwargs)  # a clearer error when the input shape is the cause
            explained = explain_nondeterministic(error, f"Layer {self.name!r} ({type(self).__name__})")
            if explained is not None:
                raise explained from error
            raise
        finally:
            state.call_depth -= 1
            state.training = previous_training
            if context is not None:
                call_context.leave(context)
        if type(self).compute_mask is not CallPath.compute_mask:
            self._set_output_mask(args, kwargs, outputs)
        elif self.supports_masking and (kwargs.get("mask") is not None
                                        or (args and _input_masks(args[0]) is not None)):
            self._set_output_mask(args, kwargs, outputs)  # the default compute_mask: the input's mask passes on
        if self._activity_regularizer is not None:
            self._add_activity_losses(outputs)
        return outputs

    def _add_activity_losses(self, outputs) -> None:
        """The activity penalty of each output, divided by its batch size (so it does not grow with the batch)."""
        from brickwork import ops

        for output in optree.tree_leaves(outputs):
            if not backend.is_tensor(output):
                continue
            loss = self._activity_regularizer(output)
            if len(output.shape) > 0:
                loss = ops.divide_no_nan(loss, ops.cast(ops.shape(output)[0], loss.dtype))
            self.add_loss(loss)

    def rematerialized_call(self, layer_call, *args, **kwargs):
        """``layer_call`` wrapped for rematerialization as the ``RematScope`` of the layer's creation asks."""
        return rematerialization.rematerialized_call(self, layer_call, args, kwargs)

    def _set_output_mask(self, args, kwargs, outputs) -> None:
        mask = kwargs.get("mask")
        if mask is None and args:
            mask = _input_masks(args[0])
        output_mask = self.compute_mask(args[0] if args else None, mask)
        if output_mask is None:
            return
        leaves = optree.tree_leaves(outputs)
        masks = output_mask if isinstance(output_mask, (list, tuple)) else None
        if masks is not None and len(masks) == len(leaves):
            for output, one_mask in zip(leaves, masks):  # one mask per output (RNN states, merge_mode=None)
                if one_mask is not None:
                    masking.set_mask(output, one_mask)
            return
        for output in leaves:
            masking.set_mask(output, output_mask)

    @property
    def _call_context_args(self) -> frozenset:
        """The call-context arguments this layer resolves and hands down: ``training`` and the registered ones."""
        return frozenset(("training", *self._extra_call_context_args))

    def _register_call_context_args(self, *names: str) -> None:
        """Make ``names`` call-context arguments of this layer, as ``training`` is (see ``call_context.py``):
        a value passed to this layer's call, or inherited from an enclosing one, reaches the layers it calls
        that registered the same name. Only before the layer's first call."""
        call_context.register(self, names)

    @property
    def _mask_aware(self) -> bool:
        """Whether calls must propagate masks: the layer passes them on, takes them, or makes them."""
        return (self.supports_masking or self._call_signature.has_mask
                or type(self).compute_mask is not CallPath.compute_mask)

    def compute_mask(self, inputs, mask=None):
        """The mask of the outputs: by default the input's, when the layer supports masking."""
        return mask if self.supports_masking else None

    def _convert_inputs(self, args):
        """NumPy arrays among the positional arguments (nested too) become backend tensors."""
        return tuple(optree.tree_map(_to_tensor, arg, is_leaf=_is_array_like, none_is_leaf=True) for arg in args)

    def _check_input_spec(self, args, kwargs) -> None:
        if self.input_spec is not None:
            first = args[0] if args else kwargs.get(self._call_signature.first_arg)
            assert_input_compatibility(self.input_spec, first, self.name)

    def _symbolic_call(self, args, kwargs):
        if not self._allow_non_tensor_positional_args:
            _check_positional_tensors(args)
        object.__setattr__(self, "_called", True)
        with self._open_name_scope():
            return self._symbolic_call_in_scope(args, kwargs)

    def _symbolic_call_in_scope(self, args, kwargs):
        self._check_input_spec(args, kwargs)
        self._maybe_build(args, kwargs)
        signature = self._call_signature
        call_kwargs = {k: v for k, v in kwargs.items()
                       if k != "training" and (k not in self._extra_call_context_args or k in signature.names)}
        if self._call_signature.has_mask and call_kwargs.get("mask") is None and args:
            # As in an eager call, `call(inputs, mask=None)` sees the inputs' mask; the node keeps
            # the caller's kwargs, so a graph run fills the mask from the tensors it then holds.
            mask = _input_masks(args[0])
            if mask is not None:
                call_kwargs["mask"] = mask
        try:
            if self._mixed_precision or global_state.STATE.autocast_dtype is not None:
                outputs = mixed_precision_autocast.call_in_compute_dtype(
                    self, lambda a, k: self.compute_output_spec(*a, **k), args, call_kwargs)
            else:
                outputs = self.compute_output_spec(*args, **call_kwargs)
        except (ValueError, TypeError, RuntimeError, IndexError) as error:
            raise type(error)(
                f"Layer {self.name!r} ({type(self).__name__}) could not be called on "
                f"{_describe_inputs(args)}: {error}"
            ) from error
        if self._mask_aware:
            self._set_output_mask(args, kwargs, outputs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """The symbolic output for symbolic inputs; by default by abstract evaluation of ``call``."""
        if type(self).compute_output_shape is not CallPath.compute_output_shape:
            shapes = self._shapes_for(type(self).compute_output_shape, args, kwargs)
            if isinstance(shapes, ShapesByArgument):
                shape = self.compute_output_shape(**shapes)
            else:
                shape = self.compute_output_shape(shapes)
            dtype = self.compute_dtype
            if _is_shape(shape):
                return KerasTensor(shape, dtype=dtype)
            return optree.tree_map(lambda s: KerasTensor(s, dtype=dtype), shape, is_leaf=_is_shape)
        state = global_state.STATE
        state.call_depth += 1
        try:
            # Inside a stateless scope: assignments made while inferring shapes (moving
            # statistics, seed states) and losses added meanwhile are recorded there and dropped.
            with backend.StatelessScope(collect_losses=True):
                return backend.compute_output_spec(self._call_for_spec, *args, **kwargs)
        finally:
            state.call_depth -= 1

    def _call_for_spec(self, *args, **kwargs):
        if self._call_signature.has_training and "training" not in kwargs:
            kwargs["training"] = False
        return self.call(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        """The output shape for ``input_shape``; by default from ``compute_output_spec``."""
        if type(self).call is CallPath.call:
            raise self._not_implemented_error(
                self.compute_output_shape, "Should implement `def compute_output_shape(self, input_shape)`.")
        specs = optree.tree_map(lambda s: KerasTensor(s, dtype=self.compute_dtype), input_shape,
                                is_leaf=_is_shape)
        output = self.compute_output_spec(specs)
        return optree.tree_map(lambda x: x.shape, output, is_leaf=_is_keras_tensor)


def _is_keras_tensor(x) -> bool:
    return isinstance(x, KerasTensor)


class ShapesByArgument(dict):
    """``{"<argument>_shape": shape}``: what a ``build``/``compute_output_shape`` with one parameter per
    ``call`` argument (``build(self, query_shape, value_shape)``) receives, as keywords."""


_STATE = global_state.STATE  # one object for the process (its attributes are per thread)
_is_tensor = backend.is_tensor  # the active engine's, fixed at import

# The live layers holding add_loss terms: a top-level call clears them (see Layer._clear_losses).
LAYERS_WITH_LOSSES: weakref.WeakSet = weakref.WeakSet()


def _input_masks(first):
    """The mask of the first argument; for a list of tensors, the list of their masks (or None)."""
    if isinstance(first, (list, tuple)):
        masks = [masking.get_mask(x) for x in first]
        return masks if any(m is not None for m in masks) else None
    return masking.get_mask(first)


def _check_positional_tensors(args: tuple) -> None:
    for leaf in optree.tree_leaves(args, none_is_leaf=False):
        if not (isinstance(leaf, (KerasTensor, np.ndarray)) or backend.is_tensor(leaf)):
            raise ValueError(
                "Only input tensors may be passed as positional arguments. The following argument value should "
                f"be passed as a keyword argument: {leaf!r} (of type {type(leaf).__name__})"
            )


def _fill_argument_masks(signature, args: tuple, kwargs: dict) -> None:
    """Set each ``<argument>_mask`` not given to the mask(s) its argument's tensors carry."""
    positional = dict(zip(signature.positional, args))
    for argument, mask_name in signature.argument_masks:
        if kwargs.get(mask_name) is not None:
            continue
        value = positional[argument] if argument in positional else kwargs.get(argument)
        if value is None:
            continue
        masks = optree.tree_map(masking.get_mask, value, none_is_leaf=True)
        if any(m is not None for m in optree.tree_leaves(masks, none_is_leaf=True)):
            kwargs[mask_name] = masks


def _is_array_like(x) -> bool:
    return isinstance(x, (np.ndarray, np.generic)) or backend.is_tensor(x)


def _to_tensor(x):
    """NumPy values become tensors; Python values (numbers, strings, lists of them) reach ``call`` as
    given, as in Keras, so that a tokenizer layer gets its strings and a detokenizer its ids."""
    if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
        return x  # strings stay NumPy: string layers (StringLookup, TextVectorization) take them as they are
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return backend.convert_to_tensor(x, backend.floatx())
    if isinstance(x, (np.ndarray, np.generic)):
        return backend.convert_to_tensor(x)
    return x


def _is_shape(x) -> bool:
    return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in x)


def _describe_inputs(args) -> str:
    first = args[0] if args else None
    shapes = optree.tree_map(lambda x: x.shape, first, is_leaf=_is_keras_tensor)
    return f"inputs of shape {shapes}"
