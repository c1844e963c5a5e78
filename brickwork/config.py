"""``brickwork.config``: global settings (as ``keras.config``)."""

from brickwork.backend.config import (  # noqa: F401
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from brickwork.dtype_policies.dtype_policy import dtype_policy, set_dtype_policy  # noqa: F401
from brickwork.saving.serialization_lib import enable_unsafe_deserialization  # noqa: F401,E402
