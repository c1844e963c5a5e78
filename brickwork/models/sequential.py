"""``Sequential``: a plain stack of layers, each feeding the next.

Example:
    model = Sequential()
    model.add(Dense(32, activation="relu", input_shape=(784,)))
    model.add(Dense(10, activation="softmax"))
"""

from __future__ import annotations

import inspect

from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.core.input_layer import InputLayer
from brickwork.layers.layer import Layer
from brickwork.models import functional_inputs
from brickwork.models.model import Model


class Sequential(Model):
    """A model whose layers run one after the other.

    Args:
        layers: the layers, in order (optional; ``add`` appends more).
        trainable: whether the model's weights are trainable.
        name: the model's name.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu")])
        model.add(keras.layers.Dense(2))
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.random.rand(8, 4), np.random.rand(8, 2), epochs=1, verbose=0)
        model.output_shape   # (None, 2)
    """

    # Inputs reach each inner layer as given; every layer casts for its own dtype policy.
    _convert_input_args = False

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        self._input_layer = None
        self._symbolic_outputs = []
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._rebuild()

    # --------------------------------------------------------------- structure
    def add(self, layer, rebuild=True) -> None:
        """Append ``layer`` (an ``Input`` tensor is accepted as the first entry)."""
        if isinstance(layer, KerasTensor) and layer._history is not None and isinstance(layer._history[0], InputLayer):
            layer = layer._history[0]
        if not isinstance(layer, Layer):
            raise ValueError(f"Sequential.add: Only instances of `keras.Layer` can be added to a Sequential model "
                             f"(expected a Layer), received {type(layer).__name__}: {layer!r}.")
        if isinstance(layer, InputLayer):
            if self._stack or self._input_layer is not None:
                raise ValueError("Sequential.add: the model's input has already been configured; an Input can only "
                                 "be the first entry of a Sequential model.")
            self._input_layer = layer
        else:
            if any(existing is layer for existing in self._stack):
                raise ValueError(f"Sequential.add: layer {layer.name!r} is already in the model.")
            if any(existing.name == layer.name for existing in self._stack):
                raise ValueError(f"Sequential.add: all layers added to a Sequential model should have unique names; "
                                 f"the model already holds a layer named {layer.name!r}.")
            if self._input_layer is None and not self._stack:
                self._input_layer = _input_layer_for(layer)
            self._stack.append(layer)
        self._reset_step_functions()
        if rebuild:
            self._extend_graph()

    def pop(self, rebuild=True) -> Layer:
        """Remove and return the last layer."""
        if not self._stack:
            raise TypeError("Sequential.pop: there are no layers to remove.")
        layer = self._stack.pop()
        self._symbolic_outputs = self._symbolic_outputs[: len(self._stack)]
        self._reset_step_functions()
        return layer

    @property
    def layers(self) -> list:
        return list(self._stack)

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Sequential.layers` cannot be assigned. Use `add()` and `pop()` to change the layers.")

    def _sublayers(self) -> list:
        return list(self._stack)

    @property
    def input_shape(self):
        if self._input_layer is None:
            raise AttributeError(f"Sequential model {self.name!r} has no defined input shape yet.")
        return self._input_layer.batch_shape

    @property
    def output_shape(self):
        if not self._symbolic_outputs:
            raise AttributeError(f"Sequential model {self.name!r} has not been built yet.")
        return self._symbolic_outputs[-1].shape

    @property
    def inputs(self):
        if self._input_layer is None:
            raise AttributeError(f"Sequential model {self.name!r} has no defined inputs yet.")
        return [self._input_layer.output]

    @property
    def outputs(self):
        if not self._symbolic_outputs:
            raise AttributeError(f"Sequential model {self.name!r} has no defined outputs yet.")
        return [self._symbolic_outputs[-1]]

    @property
    def _functional(self):
        """The model as a ``Functional`` graph from its input to its last layer, once built (Keras keeps one)."""
        from brickwork.models.functional import Functional

        if not self._symbolic_outputs:
            raise AttributeError(f"Sequential model {self.name!r} has not been built yet.")
        return Functional(self._input_layer.output, self._symbolic_outputs[-1], name=self.name)

    # --------------------------------------------------------------- building
    def _rebuild(self) -> None:
        self._symbolic_outputs = []
        self._extend_graph()

    def _extend_graph(self) -> None:
        """Call the layers not yet connected on the symbolic input, building them."""
        if self._input_layer is None:
            return
        x = self._symbolic_outputs[-1] if self._symbolic_outputs else self._input_layer.output
        for layer in self._stack[len(self._symbolic_outputs):]:
            _check_single_input(layer)
            try:
                x = layer(x)
            except NotImplementedError:
                # The layer cannot infer shapes: the model stays unbuilt and builds when it first runs on
                # data, as in Keras.
                self._symbolic_outputs = []
                return
            self._symbolic_outputs.append(x)
        self.built = True
        self._build_shapes = self._input_layer.batch_shape

    def build(self, input_shape=None) -> None:
        if input_shape is None and self._input_layer is None:
            raise ValueError(f"Sequential {self.name!r}: cannot build without an input shape.")
        if input_shape is not None and self._input_layer is not None:
            configured = self._input_layer.batch_shape
            if len(configured) != len(input_shape) or any(
                    a is not None and b is not None and a != b for a, b in zip(configured, input_shape)):
                raise ValueError(f"Sequential model {self.name!r} has already been configured to use input shape "
                                 f"{configured}. You cannot build it with input_shape {tuple(input_shape)}.")
        if self._input_layer is None:
            self._input_layer = InputLayer(batch_shape=tuple(input_shape))
        self._rebuild()

    def _build_from_data(self, x) -> None:
        if not hasattr(x, "shape"):  # a dict or list of inputs: the layers run on it as it comes, unbuilt
            return
        if self._input_layer is None:
            self.build((None,) + tuple(x.shape[1:]))
        else:
            self._rebuild()

    def _maybe_build(self, args, kwargs) -> None:
        if not self._stack and self._input_layer is None:
            raise ValueError(f"Sequential model {self.name!r} cannot be built because it has no layers. Call "
                             "`model.add(layer)` first.")
        if not self.built and args and hasattr(args[0], "shape"):
            self.build((None,) + tuple(args[0].shape[1:]))

    # --------------------------------------------------------------- calling
    def call(self, inputs, training=None, mask=None):
        x = inputs
        if self._input_layer is not None and hasattr(x, "shape"):  # (N,) data for Input((1,)), as Keras takes it
            x = functional_inputs.adjust_rank(self, 0, x, self._input_layer.output)
        for layer in self._stack:
            x = layer(x)
        if not self.built:  # built by running on data (a layer could not infer shapes symbolically)
            self.built = True
        return x

    def compute_output_spec(self, inputs, training=None, mask=None):
        outputs = inputs
        try:
            for layer in self._stack:
                outputs = layer.compute_output_spec(outputs)
        except NotImplementedError:
            # A layer without shape inference: trace the model's eager call on abstract values instead.
            return Layer.compute_output_spec(self, inputs)
        return outputs

    # --------------------------------------------------------------- config
    def get_config(self) -> dict:
        from brickwork.saving.serialization_lib import serialize_keras_object

        layers = []
        if self._input_layer is not None:
            layers.append(serialize_keras_object(self._input_layer))
        layers.extend(serialize_keras_object(layer) for layer in self._stack)
        return {"name": self.name, "trainable": self.trainable, "dtype": self._dtype_policy_config(),
                "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from brickwork.legacy.saving import saving_utils
        from brickwork.saving.serialization_lib import deserialize_keras_object

        if not isinstance(config, dict) or "name" not in config or "layers" not in config:
            raise ValueError("A Sequential model configuration must be a dictionary containing the 'name' and "
                             f"'layers' keys. Received: config={config!r}")
        model = cls(name=config["name"], trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            if not isinstance(layer_config, dict) or "config" not in layer_config:
                raise ValueError("Sequential.from_config: each entry of 'layers' must be a layer config. Expected a "
                                 f"dictionary containing a 'config' key. Received: {layer_config!r}")
            if saving_utils.is_legacy_layer_config(layer_config):  # Keras 2 / .h5: {"class_name", "config"} only
                layer = saving_utils.model_from_config(layer_config, custom_objects=custom_objects)
            else:
                layer = deserialize_keras_object(layer_config, custom_objects=custom_objects)
            model.add(layer, rebuild=False)
        model._rebuild()
        return model


def _input_layer_for(layer):
    """The input a first layer implies: its ``input_shape=`` argument, or a model's own input."""
    if layer._input_shape_arg is not None:
        return InputLayer(batch_shape=layer._input_shape_arg)
    if isinstance(layer, Model) and not isinstance(layer, Sequential):
        inputs = getattr(layer, "_input_tensors", None)
        if inputs and len(inputs) == 1:
            return InputLayer(batch_shape=inputs[0].shape, dtype=inputs[0].dtype)
    if isinstance(layer, Sequential) and layer._input_layer is not None:
        return InputLayer(batch_shape=layer._input_layer.batch_shape, dtype=layer._input_layer.dtype)
    return None


def _check_single_input(layer) -> None:
    """Keras's rule: a layer in a Sequential model takes one positional argument, the previous output."""
    parameters = inspect.signature(layer.call).parameters.values()
    required = [p.name for p in parameters
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(required) > 1:
        raise ValueError(f"Layers added to a Sequential model can only have a single positional argument, the "
                         f"input tensor. Layer {type(layer).__name__} has multiple positional arguments: {required}")


__all__ = ["Sequential"]
