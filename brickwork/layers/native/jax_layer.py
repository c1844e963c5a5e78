"""``JaxLayer``: a pure jax function with parameters as a layer (jax backend only)."""

from __future__ import annotations

import inspect

import numpy as np

from brickwork import backend, tree
from brickwork.layers.layer import Layer
from brickwork.layers.native.engine import engine_module
from brickwork.random.seed_generator import SeedGenerator, draw_seed
from brickwork.saving import serialization_lib

_CALL_ARGUMENTS = ("params", "state", "rng", "inputs", "training")
_INIT_ARGUMENTS = ("rng", "inputs", "training")


def _argument_names(fn, fn_name: str, allowed: tuple) -> list[str]:
    """``fn``'s parameter names, each one of ``allowed``, ``inputs`` among them; a ValueError naming the culprit."""
    names = list(inspect.signature(fn).parameters)
    if "inputs" not in names:
        raise ValueError(f"Missing required argument in `{fn_name}`: `inputs`")
    for name in names:
        if name not in allowed:
            raise ValueError(f"Unsupported argument in `{fn_name}`: `{name}`, supported arguments are "
                             f"`{'`, `'.join(allowed)}`")
    return names


class JaxLayer(Layer):
    """A model written as pure jax functions, as a layer: its parameters become the layer's weights.

    ``call_fn`` computes the outputs. Its arguments are taken by name, each optional but ``inputs``:
    ``params`` (trainable, a pytree of arrays), ``state`` (non-trainable; then ``call_fn`` returns
    ``(outputs, new_state)``), ``rng`` (a ``jax.random`` key when training, else ``None``), ``inputs`` (an
    array or a pytree of arrays) and ``training``. ``init_fn(rng, inputs, training)`` (``inputs`` required)
    returns the initial ``params`` — or ``(params, state)`` when ``call_fn`` takes a state — for inputs of
    the build shape; or pass ``params`` / ``state`` directly. Leaves that are not arrays or numbers stay
    as they are (configuration for the function).

    Args:
        call_fn: the model function, as above.
        init_fn: the initializer, as above; needed when ``call_fn`` takes ``params`` or ``state`` and
            neither is given.
        params: initial trainable parameters (a pytree).
        state: initial non-trainable state (a pytree).
        seed: seed of the keys passed as ``rng``.
        native_serialization_platforms: kept for Keras's configs; it concerns TensorFlow's export only.

    Example:
        def init_fn(rng, inputs):
            return {"w": jax.random.normal(rng, (inputs.shape[-1], 3)), "b": jnp.zeros(3)}

        def call_fn(params, inputs):
            return inputs @ params["w"] + params["b"]

        layer = keras.layers.JaxLayer(call_fn, init_fn)
        outputs = layer(np.ones((2, 4)))  # (2, 3); layer.trainable_weights holds w and b
    """

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        engine_module("jax_layer", type(self).__name__, "jax")
        super().__init__(**kwargs)
        self.call_fn = call_fn
        self.init_fn = init_fn
        self.seed = seed
        self.native_serialization_platforms = native_serialization_platforms
        self.call_fn_arguments = _argument_names(call_fn, "call_fn", _CALL_ARGUMENTS)
        self.call_fn_has_params = "params" in self.call_fn_arguments
        self.call_fn_has_state = "state" in self.call_fn_arguments
        self.seed_generator = SeedGenerator(seed) if "rng" in self.call_fn_arguments else None
        if init_fn is None and params is None and state is None and (self.call_fn_has_params
                                                                     or self.call_fn_has_state):
            raise ValueError("`init_fn`, `params` and `state` cannot all be `None` when `call_fn` takes a "
                             "`params` or a `state` argument.")
        self.init_fn_arguments = _argument_names(init_fn, "init_fn", _INIT_ARGUMENTS) if init_fn else []
        self.tracked_params = self._create_variables(params, trainable=True)
        self.tracked_state = self._create_variables(state, trainable=False)
        if params is not None or state is not None:
            self.built = True

    @property
    def _engine(self):
        return engine_module("jax_layer", "JaxLayer", "jax")

    def _create_variables(self, values, trainable: bool) -> list:
        """Replace each array or number of ``values`` by a variable holding it; set ``params`` or ``state``.

        Returns:
            The new variables, flat (the pytree itself is ``self.params`` / ``self.state``).
        """
        def create(value):
            if backend.is_tensor(value) or self._engine.is_array(value):
                dtype = backend.standardize_dtype(value.dtype)
            elif isinstance(value, (bool, int, float)):
                dtype, value = backend.standardize_dtype(type(value)), np.asarray(value)
            else:
                return value
            return self.add_weight(tuple(value.shape), initializer=backend.convert_to_tensor(value),
                                   dtype=None if backend.is_float(dtype) else dtype, trainable=trainable)

        variables = self._engine.tree_map(create, values)
        object.__setattr__(self, "params" if trainable else "state", variables)
        return [leaf for leaf in self._engine.tree_leaves(variables) if isinstance(leaf, backend.Variable)]

    # Keras's overridable seeds: one key for init and for each training call, none in inference.
    def _get_init_seed(self):
        return draw_seed(None)

    def _get_init_rng(self):
        return self._get_init_seed()

    def _get_call_seed(self):
        return self.seed_generator.next()

    def _get_call_rng(self, training):
        return self._get_call_seed() if training else None

    def _initialize_weights(self, input_shape) -> None:
        def ones(shape):
            return backend.convert_to_tensor(np.ones([1 if d is None else d for d in shape], dtype="float32"))

        def init():
            arguments = {}
            for name in self.init_fn_arguments:
                if name == "rng":
                    arguments[name] = self._engine.tree_map(self._engine.as_key, self._get_init_rng())
                elif name == "inputs":
                    arguments[name] = tree.map_shape_structure(ones, input_shape)
                else:
                    arguments[name] = True
            return self.init_fn(**arguments)

        result = self._engine.initialize(init)
        params, state = result if self.call_fn_has_state else (result, None)
        self.tracked_params = self._create_variables(params, trainable=True)
        self.tracked_state = self._create_variables(state, trainable=False)

    def build(self, input_shape):
        if self.params is None and self.state is None and (self.call_fn_has_params or self.call_fn_has_state):
            self._initialize_weights(input_shape)

    def call(self, inputs, training=False):
        engine = self._engine
        arguments = {}
        for name in self.call_fn_arguments:
            if name == "params":
                arguments[name] = engine.tree_map(_read, self.params)
            elif name == "state":
                arguments[name] = engine.tree_map(_read, self.state)
            elif name == "rng":
                arguments[name] = engine.tree_map(engine.as_key, self._get_call_rng(training))
            elif name == "inputs":
                arguments[name] = inputs
            else:
                arguments[name] = training
        if not self.call_fn_has_state:
            return self.call_fn(**arguments)
        outputs, new_state = self.call_fn(**arguments)
        engine.tree_map(_assign, new_state, self.state)
        return outputs

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "call_fn": serialization_lib.serialize_keras_object(self.call_fn),
            "init_fn": serialization_lib.serialize_keras_object(self.init_fn),
            "seed": self.seed,
            "native_serialization_platforms": self.native_serialization_platforms,
        })
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        for key in ("call_fn", "init_fn"):
            config[key] = serialization_lib.deserialize_keras_object(config.get(key))
        return super().from_config(config)


def _read(leaf):
    return leaf.value if isinstance(leaf, backend.Variable) else leaf


def _assign(value, variable) -> None:
    if not isinstance(variable, backend.Variable):
        raise ValueError("JaxLayer: structure mismatch: the state returned by `call_fn` does not have the structure "
                         f"of the state at initialization (a {type(variable).__name__} where a variable was).")
    variable.assign(value)
