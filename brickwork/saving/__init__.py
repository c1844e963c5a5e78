"""``brickwork.saving``: configs, the object registry, the ``.keras`` archive and weights files."""

from brickwork.saving.file_editor import KerasFileEditor  # noqa: F401
from brickwork.saving.object_registration import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from brickwork.saving.saving_api import (  # noqa: F401
    load_model,
    load_weights,
    save_model,
    save_weights,
)
from brickwork.saving.serialization_lib import deserialize_keras_object, serialize_keras_object  # noqa: F401
