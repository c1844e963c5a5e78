"""``Model``: a layer that trains. ``Model(inputs, outputs)`` makes a Functional model;
subclassing ``Model`` and writing ``call`` makes a custom one.

Example (subclassing):
    class MLP(Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(64, activation="relu")
            self.out = layers.Dense(10)

        def call(self, x):
            return self.out(self.hidden(x))
"""

from __future__ import annotations

import importlib
import inspect

from brickwork import backend
from brickwork.layers.layer import Layer
from brickwork.models.saving_methods import SavingMethods
from brickwork.models.state_tree import StateTree
from brickwork.quantizers.model_quantization import ModelQuantization

BackendTrainer = importlib.import_module(f"brickwork.backend.{backend.backend()}.trainer").BackendTrainer


class Model(SavingMethods, StateTree, ModelQuantization, BackendTrainer, Layer):
    """A trainable stack of layers: ``compile``, ``fit``, ``evaluate``, ``predict``, ``summary``, ``save``.

    ``Model(inputs, outputs)`` builds a functional model from symbolic tensors; a subclass that defines
    ``call`` (and creates its layers in ``__init__``) is a model too.

    Args:
        inputs: the ``Input`` tensors (one, a list or a dict), for a functional model.
        outputs: the tensors computed from them (one, a list or a dict).
        name: the model's name.

    Example:
        inputs = keras.Input((3,))
        outputs = keras.layers.Dense(1)(keras.layers.Dense(8, activation="relu")(inputs))
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(16, 3), np.random.rand(16, 1), epochs=2, verbose=0)
        model.predict(np.zeros((2, 3)), verbose=0).shape   # (2, 1)

        class TwoLayers(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = keras.layers.Dense(8, activation="relu")
                self.out = keras.layers.Dense(1)

            def call(self, x):
                return self.out(self.hidden(x))

        TwoLayers()(np.zeros((2, 3))).shape   # (2, 1)
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from brickwork.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            # A subclass whose __init__ passes inputs and outputs up becomes a Functional model, as in Keras.
            from brickwork.models.functional import Functional

            _make_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype, **kwargs)
        BackendTrainer.__init__(self)

    # --------------------------------------------------------------- structure
    @property
    def layers(self) -> list:
        return self._sublayers()

    @layers.setter
    def layers(self, _):
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. Please use another name: it lists the "
            "model's layers, found from its attributes (or its graph)."
        )

    def get_layer(self, name=None, index=None):
        """A layer by ``name`` or by ``index`` in ``layers``."""
        if (name is None) == (index is None):
            raise ValueError("get_layer: give exactly one of `name` or `index`.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer: index {index} is out of range for a model with {len(layers)} layers.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"get_layer: no layer named {name!r}. Layers: {[layer.name for layer in layers]}.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print a table of the layers: name (type), output shape, parameter count, and totals.

        The arguments are ``brickwork.utils.summary_utils.print_summary``'s, as in Keras.
        """
        from brickwork.utils.summary_utils import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    def build(self, input_shape) -> None:
        """Build a subclassed model by calling it on a symbolic input of ``input_shape``."""
        if self.built:
            return
        if type(self).call is Model.call:
            raise ValueError(f"Model {self.name!r} has no call() to build with.")
        self.built = True
        self._build_shapes = input_shape
        specs = _specs(input_shape)
        try:
            self.compute_output_spec(specs)
        except Exception:
            self.built = False
            raise

    def get_config(self) -> dict:
        config = {"name": self.name, "trainable": self.trainable}
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A Functional graph config rebuilds the graph when ``cls`` takes ``(inputs, outputs)``; any other
        config goes to ``cls(**config)``, as Keras does for a subclass with its own ``__init__``."""
        from brickwork.models.functional import Functional, functional_from_config, is_functional_config

        if is_functional_config(config) and (cls is Model or _takes_functional_arguments(cls)):
            return functional_from_config(cls if cls is not Model else Functional, config, custom_objects)
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(
                f"Could not rebuild {cls.__name__} from its config {sorted(config)}: {error}. Make get_config() "
                f"return every argument of {cls.__name__}.__init__, or define from_config."
            ) from error

    def to_json(self, **kwargs) -> str:
        """The architecture as JSON (Keras 3's config format); ``models.model_from_json`` reads it."""
        from brickwork.models.cloning import to_json

        return to_json(self, **kwargs)


def _make_functional(cls) -> None:
    """Put ``Functional`` in place of ``Model`` among the bases of the subclass ``cls`` (and its parents),
    so that a subclass built from ``(inputs, outputs)`` is a Functional model with the user's overrides."""
    from brickwork.models.functional import Functional

    if issubclass(cls, Functional) or not issubclass(cls, Model):
        return
    for base in cls.__bases__:
        _make_functional(base)
    cls.__bases__ = tuple(Functional if base is Model else base for base in cls.__bases__)
    if "_call_signature" in cls.__dict__:
        del cls._call_signature  # inspected from Model.call; inspected again on the next __init__


def _takes_functional_arguments(cls) -> bool:
    """Whether ``cls.__init__`` takes a Functional model's arguments: ``(inputs, outputs, name)``, or
    ``(*args, **kwargs)`` passed on."""
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    names = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    kinds = {p.kind for p in parameters}
    if names[:2] == ["inputs", "outputs"] and set(names[2:]) <= {"name", "trainable"}:
        return True
    return not names and {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD} <= kinds


def _specs(shape):
    if isinstance(shape, dict):
        return {k: _specs(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple, dict)):
        return [_specs(s) for s in shape]
    return backend.KerasTensor(tuple(shape))


def model_from_json(json_string: str, custom_objects=None):
    """A model from the JSON that ``model.to_json()`` wrote (architecture only, fresh weights).

    Args:
        json_string: the JSON text ``model.to_json()`` returned.
        custom_objects: ``{name: class or function}`` for the custom layers and functions it names.

    Returns:
        A new model of that architecture with freshly initialized weights.

    Example:
        >>> import brickwork as keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> twin = keras.models.model_from_json(model.to_json())
    """
    import json

    from brickwork.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)
