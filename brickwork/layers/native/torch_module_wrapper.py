"""``TorchModuleWrapper``: any ``torch.nn.Module`` as a layer (torch backend only)."""

from __future__ import annotations

from brickwork import backend
from brickwork.layers.layer import Layer
from brickwork.layers.native.engine import engine_module


class TorchModuleWrapper(Layer):
    """A ``torch.nn.Module`` as a layer: its parameters are the layer's trainable variables, so ``fit`` trains
    them, and its buffers (BatchNorm's statistics) its non-trainable ones; both are the module's own tensors.

    The module runs in training mode unless the call says ``training=False`` (``predict``, ``evaluate``).
    Saving stores its ``state_dict`` in the weights file and the pickled module in the config, as Keras
    does; loading that config runs the pickle, so it needs ``safe_mode=False``. A ``torch.nn.Module``
    assigned as an attribute of a layer or model is wrapped in a ``TorchModuleWrapper`` automatically.

    Args:
        module: the ``torch.nn.Module``; a lazy module must have been called once first.
        name: the layer's name.
        output_shape: the output shape, for symbolic calls (otherwise it is inferred by running the
            module on placeholders).

    Example:
        import torch
        x = keras.Input((4,))
        y = keras.layers.TorchModuleWrapper(torch.nn.Linear(4, 8))(x)
        model = keras.Model(x, y)
        model.compile(optimizer="sgd", loss="mse")
    """

    def __init__(self, module, name: str | None = None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        engine = self._engine
        self.module = engine.prepare_module(module, type(self).__name__)
        self.output_shape = output_shape
        with backend.name_scope(self.name):
            self._state_names, self._state_variables = engine.module_variables(self.module)
        for variable in self._state_variables:
            self._track_variable(variable)
        self.built = True

    @property
    def _engine(self):
        return engine_module("module_wrapper", "TorchModuleWrapper", "torch")

    def call(self, inputs, *args, training=None, **kwargs):
        return self._engine.call_module(self.module, self._state_names, self._state_variables,
                                        (inputs, *args), kwargs, training)

    def compute_output_spec(self, *args, **kwargs):
        if self.output_shape is None:
            return super().compute_output_spec(*args, **kwargs)
        return backend.KerasTensor(tuple(self.output_shape), dtype=self.compute_dtype)

    def save_own_variables(self, store) -> None:
        """Write the module's ``state_dict`` (parameters and buffers) under its own keys, as Keras does."""
        for key, value in self._engine.module_state(self.module).items():
            store[key] = value

    def load_own_variables(self, store) -> None:
        """Load the module's ``state_dict`` from ``store``; its keys must be the module's."""
        self._engine.load_module_state(self.module, store if store is not None else {}, self.name)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"module": self._engine.dump_module(self.module), "output_shape": self.output_shape})
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None, safe_mode: bool | None = None):
        """Rebuild the layer, unpickling its module: only when safe mode is off, since a pickle runs code.

        Args:
            config: from ``get_config``.
            safe_mode: ``False`` allows the unpickling; ``None`` takes the setting of the load in progress
                (``load_model(..., safe_mode=False)``, ``SafeModeScope(False)``,
                ``keras.config.enable_unsafe_deserialization()``). Anything else refuses.
        """
        from brickwork.saving.serialization_lib import in_safe_mode

        config = dict(config)
        module = config.get("module")
        if isinstance(module, str):
            effective = in_safe_mode() if safe_mode is None else safe_mode
            if effective is not False:
                raise ValueError(
                    f"Refused to rebuild the TorchModuleWrapper {config.get('name')!r}: its module is stored as a "
                    "pickle read by `torch.load()`, and unpickling runs code from the file: a risk of "
                    "arbitrary code execution. If you trust the file's source, load it with "
                    "`safe_mode=False` (e.g. `keras.saving.load_model(path, safe_mode=False)`), or call "
                    "`keras.config.enable_unsafe_deserialization()`."
                )
            config["module"] = engine_module("module_wrapper", "TorchModuleWrapper", "torch").load_module(module)
        return super().from_config(config)
