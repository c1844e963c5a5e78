"""The base of the image augmentation layers: draw a random transformation, apply it while training.

Each layer splits its work as Keras's image layers do: ``get_random_transformation`` draws the random
parameters (a dict of tensors, one entry per image of the batch) from the layer's ``SeedGenerator``, and
``transform_images`` applies given parameters, so the same draw can be replayed or compared. Inputs are
an image (rank 3) or a batch (rank 4), or a dict with ``"images"`` (and ``"labels"``, which layers such as
``CutMix`` and ``MixUp`` transform too; other entries pass through).
"""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer


def factor_range(factor, bounds: tuple[float, float], layer: str, name: str = "factor",
                 symmetric: bool = True) -> tuple[float, float]:
    """``(lower, upper)`` from a number or a pair within ``bounds``, as Keras reads its factors.

    A number ``f`` gives ``(-f, f)`` clipped to the lower bound when ``symmetric``, else ``(bounds[0], f)``;
    a pair is sorted.
    """
    if isinstance(factor, (tuple, list)) and len(factor) == 2 and all(isinstance(v, (int, float)) for v in factor):
        lower, upper = sorted(factor)
        if lower > bounds[1] or upper < bounds[0]:
            raise ValueError(f"{layer}: `{name}` must lie in [{bounds[0]}, {bounds[1]}], received {factor!r}.")
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool) and bounds[0] <= factor <= bounds[1]:
        if symmetric:
            return max(-abs(factor), bounds[0]), abs(factor)
        return bounds[0], factor
    raise ValueError(f"{layer}: `{name}` must be a number or a pair of numbers in [{bounds[0]}, {bounds[1]}], "
                     f"received {factor!r}.")


def check_value_range(value_range, layer: str) -> tuple[float, float]:
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(f"{layer}: `value_range` must be a pair (min, max), received {value_range!r}.")
    return tuple(sorted(value_range))


class BaseImageAugmentation(Layer):
    """Calls ``transform_images(images, get_random_transformation(images))`` while training.

    Subclasses set what they take in ``__init__`` and implement ``get_random_transformation`` and
    ``transform_images``; ``transform_labels`` passes labels through unless overridden.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.
    """

    def __init__(self, data_format: str | None = None, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = False  # as Keras's image layers: a mask is not carried through

    def call(self, inputs, training=None):
        images = inputs["images"] if isinstance(inputs, dict) else inputs
        images = ops.cast(images, self.compute_dtype)
        if len(images.shape) not in (3, 4):
            raise ValueError(f"{type(self).__name__}: expected an image (rank 3) or a batch of images (rank 4), "
                             f"received shape {tuple(images.shape)}.")
        if training is not False:
            transformation = self.get_random_transformation(inputs if isinstance(inputs, dict) else images)
            outputs = self.transform_images(images, transformation)
            if isinstance(inputs, dict) and "labels" in inputs:
                labels = self.transform_labels(inputs["labels"], transformation)
        else:
            outputs = images
            labels = inputs.get("labels") if isinstance(inputs, dict) else None
        if not isinstance(inputs, dict):
            return outputs
        result = {**inputs, "images": outputs}
        if labels is not None:
            result["labels"] = labels
        return result

    def get_random_transformation(self, data, training: bool = True, seed=None):
        return None

    def transform_images(self, images, transformation, training: bool = True):
        raise NotImplementedError(f"{type(self).__name__} does not implement transform_images().")

    def transform_labels(self, labels, transformation, training: bool = True):
        return labels

    # ---- helpers for subclasses ----

    def _seed(self, seed):
        return self.seed_generator if seed is None else seed

    @staticmethod
    def _images_of(data):
        return data["images"] if isinstance(data, dict) else data

    @staticmethod
    def _batch_size(images) -> int:
        return images.shape[0] if len(images.shape) == 4 else 1

    def _per_image(self, values, images):
        """Reshape per-image ``values`` (``(batch,)``) to broadcast against ``images``, batched or not."""
        shape = (-1, 1, 1, 1) if len(images.shape) == 4 else (1, 1, 1)
        return ops.reshape(values, shape)

    def _spatial_axes(self, images) -> tuple[int, int]:
        ndim = len(images.shape)
        return (ndim - 3, ndim - 2) if self.data_format == "channels_last" else (ndim - 2, ndim - 1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "seed": self.seed}
