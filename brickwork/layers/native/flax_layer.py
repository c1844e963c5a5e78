"""``FlaxLayer``: a ``flax.linen.Module`` as a layer (jax backend, with the ``flax`` package)."""

from __future__ import annotations

import inspect

from brickwork.layers.native.jax_layer import JaxLayer
from brickwork.saving import serialization_lib


class FlaxLayer(JaxLayer):
    """A ``flax.linen.Module`` as a layer: its ``params`` collection becomes the trainable weights, every other
    collection (``batch_stats``, …) non-trainable state that calls may update.

    The method called is ``method`` (default ``__call__``): a method of the module taking ``inputs`` and
    optionally ``training``, or a function taking the module first. Training calls get a ``"dropout"`` key.

    Args:
        module: the ``flax.linen.Module``.
        method: the method or function to call (see above); also used by ``init``.
        variables: Flax's variables dict (``{"params": …, "batch_stats": …}``) to start from; by default the
            module's ``init`` runs when the layer is built.

    Example:
        class MLP(flax.linen.Module):
            @flax.linen.compact
            def __call__(self, inputs):
                return flax.linen.Dense(3)(flax.linen.relu(flax.linen.Dense(8)(inputs)))

        layer = keras.layers.FlaxLayer(MLP())
        outputs = layer(np.ones((2, 4)))  # (2, 3)
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        self._engine.check_flax_module(module)
        self.module = module
        self.method = method
        takes_training = "training" in inspect.signature(method or module.__call__).parameters

        def apply(params, state, rng, inputs, training):
            extra = {"training": training} if takes_training else {}
            return self._engine.flax_apply(self.module, {**(params or {}), **(state or {})}, rng, inputs,
                                           self.method, **extra)

        def init(rng, inputs, training):
            extra = {"training": training} if takes_training else {}
            return _split(self._engine.flax_init(self.module, rng, inputs, self.method, **extra))

        params, state = _split(variables)
        super().__init__(call_fn=apply, init_fn=init, params=params, state=state, **kwargs)

    def _get_init_rng(self):
        return {"params": self._get_init_seed(), "dropout": self._get_init_seed()}

    def _get_call_rng(self, training):
        return {"dropout": self._get_call_seed()} if training else {}

    def get_config(self) -> dict:
        method = self.method
        if getattr(method, "__self__", None) == self.module:  # a module equal to ours (Flax modules are dataclasses)
            method = method.__name__  # a bound method is saved by name and looked up on the rebuilt module
        config = super().get_config()
        del config["call_fn"], config["init_fn"]  # they come from the module
        config.update({"module": serialization_lib.serialize_keras_object(self.module),
                       "method": serialization_lib.serialize_keras_object(method)})
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        module = serialization_lib.deserialize_keras_object(config["module"])
        method = config.get("method")
        method = getattr(module, method) if isinstance(method, str) else serialization_lib.deserialize_keras_object(
            method)
        config.update(module=module, method=method)
        return super(JaxLayer, cls).from_config(config)  # Layer's: call_fn and init_fn are not in the config


def _split(variables):
    """Flax's variables dict as ``(params, state)``: ``{"params": …}`` and the other collections."""
    if variables is None:
        return None, None
    params = {"params": variables["params"]} if "params" in variables else {}
    state = {key: value for key, value in variables.items() if key != "params"}
    return params, state
