"""``keras.applications.resnet50``: ResNet50 with its input scaling and label decoding (defined in ``resnet``)."""

from brickwork.applications.resnet import ResNet50, decode_predictions, preprocess_input  # noqa: F401
