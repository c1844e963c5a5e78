"""``brickwork.legacy`` (Keras's ``keras.legacy``): what remains of Keras 2's formats.

``legacy.saving`` holds the Keras 2 config (de)serializers and the legacy ``.h5`` whole-model format.

Example:
    from brickwork.legacy.saving import serialize_keras_object
    serialize_keras_object(brickwork.layers.Dense(2))["class_name"]   # 'Dense'
"""

from brickwork.legacy import saving  # noqa: F401
