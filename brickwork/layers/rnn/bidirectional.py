"""``Bidirectional``: run a recurrent layer forwards and a copy of it backwards, and merge."""

from __future__ import annotations

import copy

from brickwork import ops
from brickwork.backend.common.name_scope import name_scope
from brickwork.layers.core.wrapper import build_inner_layer
from brickwork.layers.layer import Layer
from brickwork.saving import serialization_lib

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _renamed_copy(layer, name, **overrides):
    """A fresh layer from ``layer``'s config (no weights, no state carried over)."""
    config = serialization_lib.serialize_keras_object(layer)
    config["config"].update(name=name, **overrides)
    config.pop("build_config", None)
    copy = serialization_lib.deserialize_keras_object(config)
    if hasattr(layer, "use_cudnn"):  # not in the config (a runtime choice), kept as Keras keeps it
        copy.use_cudnn = layer.use_cudnn
    return copy


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    Args:
        layer: an ``RNN`` layer (``LSTM``, ``GRU``, …); the wrapper runs a fresh copy of it forwards
            and, unless ``backward_layer`` is given, another copy with ``go_backwards=True``.
        merge_mode: how outputs combine: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"`` or
            ``None`` (a pair of outputs).
        backward_layer: an optional RNN layer for the backward direction (``go_backwards=True``).

    Call arguments:
        sequences, mask, training: as the wrapped layer's.
        initial_state: the forward layer's initial states followed by the backward layer's.

    Example:
    >>> Bidirectional(LSTM(10, return_sequences=True))(np.zeros((2, 5, 3))).shape   # (2, 5, 20)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Bidirectional: `layer` must be a Layer instance, received {layer!r}.")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"Bidirectional: `backward_layer` must be a Layer instance, received {backward_layer!r}.")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Bidirectional: `merge_mode` must be one of {list(_MERGE_MODES)}, received {merge_mode!r}."
            )
        super().__init__(**kwargs)
        self.forward_layer = _renamed_copy(layer, "forward_" + layer.name.removeprefix("forward_"))
        if backward_layer is None:
            backward_layer = _renamed_copy(layer, "backward_" + layer.name.removeprefix("backward_"),
                                           go_backwards=True)
        self.backward_layer = backward_layer
        self._check_directions()
        for direction in (self.forward_layer, self.backward_layer):
            # Padded steps must output zeros in both directions, or the merge would mix them in.
            if getattr(direction, "zero_output_for_mask", None) is not None:
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        if weights:
            half = len(weights) // 2
            self.forward_layer.initial_weights = weights[:half]
            self.backward_layer.initial_weights = weights[half:]
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _check_directions(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "Bidirectional: the forward and backward layers must differ in `go_backwards`; received "
                f"{forward.go_backwards} for both."
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(
                    f"Bidirectional: the forward and backward layers must have the same `{attribute}`; received "
                    f"{getattr(forward, attribute)} and {getattr(backward, attribute)}."
                )

    def build(self, sequences_shape, initial_state_shape=None):
        for direction in (self.forward_layer, self.backward_layer):
            with name_scope(self.name, caller=self):
                build_inner_layer(direction, sequences_shape)
            weights = getattr(direction, "initial_weights", None)
            if weights:
                direction.set_weights(weights)
                direction.initial_weights = None
        self.built = True

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = ()
        if self.return_state:
            output_shape, state_shapes = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = tuple(output_shape[:-1]) + (output_shape[-1] * 2,)
        if self.merge_mode is None:
            return (output_shape, output_shape) + state_shapes * 2
        if self.return_state:
            return (output_shape,) + state_shapes * 2
        return output_shape

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, mask=mask, training=training)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)  # back into the input's time order
        if self.merge_mode == "concat":
            output = ops.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            return (y, y_rev) + states
        return (output,) + states if self.return_state else output

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.merge_mode is None:
            output_mask = [output_mask, output_mask]
        if self.return_state and self.states is not None:
            masks = output_mask if isinstance(output_mask, list) else [output_mask]
            return masks + [None] * len(self.states)
        return output_mask

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states) + tuple(self.backward_layer.states)
        return None

    def reset_state(self) -> None:
        """Reset the states of both directions (stateful layers only)."""
        if not self.stateful:
            raise AttributeError(f"Bidirectional {self.name!r}: reset_state needs a stateful layer.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self) -> None:
        """Alias of ``reset_state``."""
        self.reset_state()

    def get_config(self) -> dict:
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialization_lib.serialize_keras_object(self.forward_layer)
        config["backward_layer"] = serialization_lib.serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = copy.deepcopy(config)
        config["layer"] = serialization_lib.deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = serialization_lib.deserialize_keras_object(backward,
                                                                                  custom_objects=custom_objects)
        return cls(**config)
