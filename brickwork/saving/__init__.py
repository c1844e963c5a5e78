"""``brickwork.saving``: configs, the object registry (and, later, the ``.keras`` archive)."""

from brickwork.saving.object_registration import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from brickwork.saving.serialization_lib import deserialize_keras_object, serialize_keras_object  # noqa: F401
