"""The configurations compared with Keras 3.15.1: every application at a small input size.

``SMALL`` holds the smallest variant of each family (what CI builds, in
``tests/applications/test_keras_parity.py``); ``ALL`` every architecture (the side-by-side command,
``python -m conformance.applications``). Nothing here imports Keras or brickwork: both sides read it.
"""

from __future__ import annotations

import numpy as np

SEED = 1337
BATCH = 2

# (label, keras.applications function, keyword arguments besides weights=None)
SMALL = [
    ("VGG16", "VGG16", dict(include_top=False, input_shape=(32, 32, 3))),
    ("ResNet50", "ResNet50", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("ResNet50V2", "ResNet50V2", dict(include_top=False, pooling="avg", input_shape=(32, 32, 3))),
    ("DenseNet121", "DenseNet121", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("MobileNet", "MobileNet", dict(alpha=0.25, classes=10, classifier_activation=None,
                                                  input_shape=(32, 32, 3))),
    ("MobileNetV2", "MobileNetV2", dict(alpha=0.35, classes=10, classifier_activation=None,
                                                  input_shape=(32, 32, 3))),
    ("MobileNetV3Small", "MobileNetV3Small", dict(alpha=0.75, classes=10, classifier_activation=None,
                                                  input_shape=(32, 32, 3))),
    ("MobileNetV3Large", "MobileNetV3Large", dict(minimalistic=True, include_top=False, pooling="max",
                                                  input_shape=(32, 32, 3))),
    ("EfficientNetB0", "EfficientNetB0", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("EfficientNetV2B0", "EfficientNetV2B0", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("InceptionV3", "InceptionV3", dict(classes=10, classifier_activation=None, input_shape=(75, 75, 3))),
    ("InceptionResNetV2", "InceptionResNetV2", dict(classes=10, classifier_activation=None, input_shape=(75, 75, 3))),
    ("Xception", "Xception", dict(classes=10, classifier_activation=None, input_shape=(71, 71, 3))),
    # Keras refuses NASNetMobile on torch ("an outstanding bug"); the same architecture through its builder:
    ("NASNetMobile", "nasnet.NASNet", dict(penultimate_filters=1056, num_blocks=4, stem_block_filters=32,
                                           skip_reduction=False, filter_multiplier=2, default_size=224, classes=10,
                                           classifier_activation=None, input_shape=(32, 32, 3),
                                           name="nasnet_mobile")),
    ("ConvNeXtTiny", "ConvNeXtTiny", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
]

_LARGER = [
    ("VGG16 top", "VGG16", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("VGG19", "VGG19", dict(include_top=False, pooling="max", input_shape=(32, 32, 3))),
    ("ResNet101", "ResNet101", dict(include_top=False, input_shape=(32, 32, 3))),
    ("ResNet152", "ResNet152", dict(include_top=False, input_shape=(32, 32, 3))),
    ("ResNet101V2", "ResNet101V2", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("ResNet152V2", "ResNet152V2", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("DenseNet169", "DenseNet169", dict(include_top=False, input_shape=(32, 32, 3))),
    ("DenseNet201", "DenseNet201", dict(include_top=False, input_shape=(32, 32, 3))),
    ("MobileNet 1.0", "MobileNet", dict(include_top=False, input_shape=(64, 64, 3))),
    ("MobileNetV2 1.4", "MobileNetV2", dict(alpha=1.4, include_top=False, input_shape=(33, 33, 3))),
    ("MobileNetV3Large top", "MobileNetV3Large", dict(classes=10, classifier_activation=None, input_shape=(32, 32, 3))),
    ("MobileNetV3Small min", "MobileNetV3Small", dict(minimalistic=True, include_top=False, input_shape=(32, 32, 3))),
    *[(f"EfficientNetB{i}", f"EfficientNetB{i}", dict(include_top=False, input_shape=(32, 32, 3)))
      for i in range(1, 8)],
    *[(f"EfficientNetV2{v}", f"EfficientNetV2{v}", dict(include_top=False, input_shape=(32, 32, 3)))
      for v in ("B1", "B2", "B3", "S", "M", "L")],
    ("NASNetLarge", "NASNetLarge", dict(include_top=False, input_shape=(32, 32, 3))),
    *[(f"ConvNeXt{v}", f"ConvNeXt{v}", dict(include_top=False, input_shape=(32, 32, 3)))
      for v in ("Small", "Base", "Large", "XLarge")],
]

ALL = SMALL + _LARGER


# The families whose models scale 0-255 pixels themselves; the others take inputs already scaled.
PIXEL_INPUTS = ("EfficientNet", "MobileNetV3", "ConvNeXt")


def inputs(function: str, input_shape: tuple) -> np.ndarray:
    """A fixed batch of images for a configuration: pixels in [0, 255] for the models that scale them
    themselves, values in [-1, 1] for the others."""
    high = 255.0 if function.startswith(PIXEL_INPUTS) else 1.0
    low = 0.0 if high > 1 else -1.0
    return np.random.default_rng(SEED).uniform(low, high, (BATCH, *input_shape)).astype("float32")


def perturb_vectors(model) -> None:
    """Give every 1-D variable (biases, normalization statistics and scales) seeded non-default values, so that
    a bias or a moving statistic loaded into the wrong place changes the outputs."""
    rng = np.random.default_rng(SEED)
    for variable in model.weights:
        if len(variable.shape) != 1:
            continue
        value = np.array(variable, dtype="float32")
        noise = rng.normal(0.0, 0.1, value.shape).astype("float32")
        variable.assign(np.abs(value + noise) if "variance" in variable.path else value + noise)


def largest_difference(mine: np.ndarray, theirs: np.ndarray) -> float:
    """The largest absolute difference, relative to the outputs' size when they exceed 1."""
    if mine.shape != theirs.shape:
        raise AssertionError(f"output shape {mine.shape} != {theirs.shape}")
    scale = max(1.0, float(np.abs(theirs).max()))
    return float(np.abs(mine - theirs).max()) / scale


def seeded_weights(model) -> None:
    """Give every floating variable a value drawn from a seeded generator, in ``model.weights`` order: kernels
    He-normal over their fan-in (a depthwise kernel's fan-in is its window), vectors near their usual values
    (scales and variances about 1, the rest about 0).
    Two models with the same variables in the same order then compute the same function."""
    rng = np.random.default_rng(SEED)
    for variable in model.weights:
        shape, path = tuple(variable.shape), variable.path
        if not shape or "int" in str(variable.dtype):
            continue
        if len(shape) == 1:
            noise = rng.normal(0.0, 0.1, shape)
            base = 1.0 if any(key in path for key in ("gamma", "variance", "scale")) else 0.0
            value = base + (np.abs(noise) if "variance" in path else noise)
        else:
            depthwise = "depthwise" in path or (len(shape) == 4 and shape[-1] == 1)  # (k, k, channels, 1)
            fan_in = int(np.prod(shape[:-2])) if depthwise else int(np.prod(shape[:-1]))
            value = rng.normal(0.0, np.sqrt(2.0 / max(fan_in, 1)), shape)
        variable.assign(value.astype("float32"))
