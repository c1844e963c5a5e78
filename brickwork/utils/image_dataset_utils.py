"""``image_dataset_from_directory``: a folder of image files (one subfolder per class) as a
dataset of float32 image batches, decoded with Pillow on threads."""

from __future__ import annotations

import numpy as np

from brickwork import backend
from brickwork.utils import dataset_utils, image_utils
from brickwork.utils.dataset import Dataset, engine_datasets

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


class ImageLoader:
    """Reads, converts and resizes image ``i`` of ``file_paths`` (with its label, if any)."""

    def __init__(self, file_paths, labels, image_size, color_mode, interpolation, crop_to_aspect_ratio,
                 pad_to_aspect_ratio, data_format):
        self.file_paths, self.labels = file_paths, labels
        self.image_size, self.color_mode, self.interpolation = image_size, color_mode, interpolation
        self.crop, self.pad = crop_to_aspect_ratio, pad_to_aspect_ratio
        self.data_format = data_format

    def load_image(self, path: str) -> np.ndarray:
        pil_image = image_utils._require_pillow("image_dataset_from_directory")
        try:
            with pil_image.open(path) as img:  # a GIF opens on its first frame
                img = image_utils.convert_color_mode(img, self.color_mode)
                image = np.asarray(img, dtype="float32")
        except (OSError, ValueError, SyntaxError) as error:  # Pillow's errors for a corrupt or unknown file
            raise ValueError(f"Could not decode the image file {path!r}: {error}") from error
        if image.ndim == 2:
            image = image[..., None]
        if self.crop:
            image = image_utils.crop_to_aspect_ratio(image, self.image_size)
        elif self.pad:
            image = image_utils.pad_to_aspect_ratio(image, self.image_size)
        image = image_utils.resize_image(image, self.image_size, self.interpolation)
        if self.data_format == "channels_first":
            image = image.transpose(2, 0, 1)
        return np.ascontiguousarray(image)

    def __call__(self, i: int):
        image = self.load_image(self.file_paths[i])
        return image if self.labels is None else (image, self.labels[i])


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    color_mode: str = "rgb",
    batch_size: int | None = 32,
    image_size: tuple[int, int] = (256, 256),
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    data_format: str | None = None,
    format: str = "tf",
    verbose: bool = True,
) -> Dataset | list[Dataset]:
    """A dataset of images (and labels) from the image files of a directory.

    With ``labels="inferred"``, ``directory/class_a/*.jpg`` and ``directory/class_b/*.jpg`` give
    labels 0 and 1. Supported files: ``.bmp``, ``.gif`` (first frame), ``.jpeg``, ``.jpg``, ``.png``.

    Args:
        directory: the folder of the images (with one subfolder per class for inferred labels).
        labels: ``"inferred"`` (from the subfolders), None (images only), or a list of integer
            labels, one per image file in the alphanumeric order of the paths.
        label_mode: ``"int"`` (int32 ``(batch,)``), ``"categorical"`` (float32 one-hot
            ``(batch, num_classes)``), ``"binary"`` (float32 ``(batch, 1)``, 2 classes) or None.
        class_names: with inferred labels, the subfolders to use, in this order (default: all,
            in alphanumeric order).
        color_mode: ``"grayscale"``, ``"rgb"`` or ``"rgba"``: 1, 3 or 4 channels.
        batch_size: images per batch; None yields single images.
        image_size: ``(height, width)`` every image is resized to (an int for a square).
        shuffle: shuffle the files (else alphanumeric order); batches are reshuffled every epoch.
        seed: seed of the shuffling (required with ``validation_split`` and ``shuffle``).
        validation_split: fraction of the files held out for validation.
        subset: with ``validation_split``: ``"training"``, ``"validation"`` or ``"both"``
            (a list of the two datasets).
        interpolation: ``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"area"``, ``"lanczos3"``,
            ``"lanczos5"``, ``"gaussian"`` or ``"mitchellcubic"`` (as ``tf.image.resize``).
        follow_links: walk into subfolders that are symbolic links.
        crop_to_aspect_ratio: crop the largest centred window of ``image_size``'s aspect ratio
            before resizing, so that images are not distorted.
        pad_to_aspect_ratio: pad (with zeros) to ``image_size``'s aspect ratio before resizing.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        format: ``"tf"`` (default: every pass draws a new order, as ``tf.data`` reshuffles) or
            ``"grain"`` (one fixed order, as Grain's shuffle); the result is a brickwork ``Dataset``,
            except for ``"tf"`` on the tensorflow engine: a ``tf.data.Dataset``, as Keras returns.
        verbose: print how many files and classes were found.

    Returns:
        A ``Dataset`` of float32 images ``(batch, height, width, channels)`` (values 0–255), or of
            ``(images, labels)``; it has ``class_names`` and ``file_paths``.

    Example:
        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "flowers/", image_size=(180, 180), batch_size=32,
            validation_split=0.2, subset="both", seed=1337)
        print(train_ds.class_names)
        model.fit(train_ds, validation_data=val_ds, epochs=10)
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, "image")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    image_utils._channels_for(color_mode)
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"`image_size` must be a tuple of 2 integers (height, width). Received: image_size={image_size!r}")
    image_size = (int(image_size[0]), int(image_size[1]))
    interpolation = interpolation.lower()
    if interpolation not in image_utils.RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"`interpolation` must be one of {image_utils.RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be "tf" or "grain". Received: format={format!r}')
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    data_format = backend.standardize_data_format(data_format)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = dataset_utils.index_directory(
        directory, labels, formats=ALLOWLIST_FORMATS, class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose)

    def make_dataset(paths, part_labels, is_training):
        loader = ImageLoader(paths, part_labels, image_size, color_mode, interpolation, crop_to_aspect_ratio,
                             pad_to_aspect_ratio, data_format)
        return Dataset(len(paths), loader, batch_size=batch_size, seed=seed,
                       shuffle=shuffle and is_training and format == "tf")

    return engine_datasets(dataset_utils.build_datasets(directory, file_paths, labels, class_names, label_mode,
                                                        validation_split, subset, "images", ALLOWLIST_FORMATS,
                                                        make_dataset), format)

