"""``brickwork.legacy.saving`` (Keras's ``keras.legacy.saving``): Keras 2's config format and ``.h5`` models.

``serialize_keras_object`` / ``deserialize_keras_object`` read and write ``{"class_name", "config"}`` configs
(they live in ``brickwork.utils.legacy``); ``legacy_h5_format`` reads and writes whole models in ``.h5``.

Example:
    from brickwork.legacy.saving import legacy_h5_format
    legacy_h5_format.save_model_to_hdf5(model, "model.h5")
    model = legacy_h5_format.load_model_from_hdf5("model.h5")
"""

from brickwork.utils.legacy import deserialize_keras_object, serialize_keras_object  # noqa: F401
