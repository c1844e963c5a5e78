"""The layers' names for the mask helpers, which live with the tensors in ``backend/common/masking.py``."""

from brickwork.backend.common.masking import get_keras_mask as get_mask  # noqa: F401
from brickwork.backend.common.masking import set_keras_mask as set_mask  # noqa: F401
