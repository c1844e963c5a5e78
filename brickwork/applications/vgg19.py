"""``keras.applications.vgg19``: VGG19 with its input scaling and label decoding (defined in ``vgg``)."""

from brickwork.applications.vgg import VGG19, decode_predictions, preprocess_input  # noqa: F401
