"""``keras.applications.vgg16``: VGG16 with its input scaling and label decoding (defined in ``vgg``)."""

from brickwork.applications.vgg import VGG16, decode_predictions, preprocess_input  # noqa: F401
