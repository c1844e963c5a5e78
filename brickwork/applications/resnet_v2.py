"""``keras.applications.resnet_v2``: the pre-activation ResNets (defined in ``resnet``), whose inputs are
scaled to ``[-1, 1]``."""

from brickwork.applications import imagenet_utils
from brickwork.applications.resnet import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401

decode_predictions = imagenet_utils.decode_predictions


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for ResNetV2: to ``[-1, 1]`` (``"tf"`` mode).

    Example:
        >>> import numpy as np
        >>> float(preprocess_input(np.zeros((1, 2, 2, 3))).min())
        -1.0
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")
