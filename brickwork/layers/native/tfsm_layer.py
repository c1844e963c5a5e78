"""``TFSMLayer``: a function of a TensorFlow SavedModel as a layer (tensorflow backend only)."""

from __future__ import annotations

import os

from brickwork import backend
from brickwork.layers.layer import Layer
from brickwork.layers.native.engine import engine_module


class TFSMLayer(Layer):
    """A TensorFlow SavedModel's endpoint as a layer: calling the layer calls the endpoint.

    The SavedModel is one that ``model.export(path, format="tf_saved_model")`` or ``export.ExportArchive`` wrote
    (on brickwork's tensorflow backend, or on Keras), or any other with a function or serving signature of one
    argument (a tensor, or a list/dict of them). The variables that the endpoint reads become the layer's
    weights — the same ``tf.Variable`` objects, so ``fit`` trains what the endpoint computes with, and the
    layer saves and loads them like any layer's weights. Nothing of the original model's structure or code
    comes back: the layer is the saved function.

    Loading a layer from a config (``load_model``) reads the SavedModel again, and a SavedModel holds graph code
    from its author: that needs ``safe_mode=False``, as in Keras.

    Args:
        filepath: the SavedModel's folder (a ``str`` or ``pathlib.Path``).
        call_endpoint: the endpoint the layer calls: an attribute of the reloaded object (``"serve"``, what
            ``model.export`` writes) or a serving signature (``"serving_default"``).
        call_training_endpoint: an endpoint called instead when the layer runs with ``training=True`` (a
            SavedModel has no ``training`` argument: training behaviour must be an endpoint of its own).
        trainable: whether the endpoint's trainable variables are trained.
        name: the layer's name.
        dtype: the layer's dtype policy.

    Example:
        model.export("served", format="tf_saved_model")
        reloaded = keras.layers.TFSMLayer("served", call_endpoint="serve")
        outputs = reloaded(inputs)
    """

    def __init__(self, filepath, call_endpoint: str = "serve", call_training_endpoint: str | None = None,
                 trainable: bool = True, name: str | None = None, dtype=None):
        engine = engine_module("tfsm_layer", "TFSMLayer", "tensorflow")
        super().__init__(trainable=trainable, name=name, dtype=dtype)
        filepath = os.fspath(filepath)
        if not os.path.isfile(os.path.join(filepath, "saved_model.pb")):
            raise ValueError(f"TFSMLayer: `filepath` must be a SavedModel folder (holding saved_model.pb); "
                             f"received filepath={filepath!r}.")
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        self._reloaded = engine.load(filepath)
        self._call_fn = engine.endpoint(self._reloaded, call_endpoint, "call_endpoint")
        functions = [self._call_fn]
        self._training_fn = None
        if call_training_endpoint:
            self._training_fn = engine.endpoint(self._reloaded, call_training_endpoint, "call_training_endpoint")
            functions.append(self._training_fn)
        trainable_variables, non_trainable_variables = engine.endpoint_variables(functions)
        with backend.name_scope(self.name):
            for variable in trainable_variables + non_trainable_variables:
                self._track_variable(engine.share_variable(variable))
        self._build_at_init()

    def call(self, inputs, training=False, **kwargs):
        if training and self._training_fn is not None:
            return self._training_fn(inputs, **kwargs)
        return self._call_fn(inputs, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        # The path as given: the SavedModel is not inside the saved file, so the config is not portable.
        config.update({"filepath": self.filepath, "call_endpoint": self.call_endpoint,
                       "call_training_endpoint": self.call_training_endpoint})
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None, safe_mode: bool | None = None):
        """Rebuild the layer, reloading its SavedModel: only when safe mode is off, since that runs its graph code.

        Args:
            config: from ``get_config``.
            safe_mode: ``False`` allows the reload; ``None`` takes the setting of the load in progress
                (``load_model(..., safe_mode=False)``, ``keras.config.enable_unsafe_deserialization()``).
                Anything else refuses.
        """
        from brickwork.saving.serialization_lib import in_safe_mode

        effective = in_safe_mode() if safe_mode is None else safe_mode
        if effective is not False:
            raise ValueError(
                f"Refused to rebuild the TFSMLayer {config.get('name')!r}: it loads the external SavedModel "
                f"{config.get('filepath')!r}, whose graph code comes from its author: a risk of arbitrary code "
                "execution. If you trust the SavedModel, load with `safe_mode=False` (e.g. "
                "`keras.saving.load_model(path, safe_mode=False)`), or call "
                "`keras.config.enable_unsafe_deserialization()`."
            )
        return cls(**config)
