"""``plot_segmentation_mask_gallery``: each image beside its true and predicted masks, one row per image."""

from __future__ import annotations

import numpy as np

from brickwork import ops
from brickwork.visualization._canvas import check_batch, check_data_format, rescale
from brickwork.visualization.draw_segmentation_masks import draw_segmentation_masks
from brickwork.visualization.plot_image_gallery import plot_image_gallery


def plot_segmentation_mask_gallery(images, num_classes: int, value_range=(0, 255), y_true=None, y_pred=None,
                                   color_mapping: dict | None = None, blend: bool = True, alpha: float = 0.8,
                                   ignore_index: int = -1, data_format: str | None = None, **kwargs):
    """Plot one row per image: the image, then its ground-truth mask and its predicted mask painted over it.

    Args:
        images: ``(batch, height, width, channels)`` (or channels first) images.
        num_classes: the number of classes (ids ``0 .. num_classes - 1``).
        value_range: the ``(min, max)`` of the pixel values.
        y_true: ground-truth class ids, ``(batch, height, width)`` or with a channel axis of 1.
        y_pred: predicted class ids, the same shape.
        color_mapping: ``{class id: (r, g, b)}``; default colours for the rest.
        blend: mix the colours with the image (``alpha``) rather than replace it.
        alpha: the opacity of the colours.
        ignore_index: the class id left unpainted (e.g. a background ``0``).
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        **kwargs: passed to ``plot_image_gallery`` (``path``, ``show``, ``scale``, ``dpi``, ...).

    Returns:
        The matplotlib ``Figure``.

    Example:
    >>> from brickwork import visualization
    >>> masks = np.zeros((2, 32, 32), "int32"); masks[:, 8:24, 8:24] = 1
    >>> visualization.plot_segmentation_mask_gallery(np.zeros((2, 32, 32, 3)), num_classes=2, y_true=masks,
    ...                                              ignore_index=0, path="/tmp/masks.png")
    """
    shape = check_batch(images, "plot_segmentation_mask_gallery")
    data_format = check_data_format(data_format, "plot_segmentation_mask_gallery")
    pixels = np.clip(rescale(images, value_range), 0, 255).astype("uint8")
    if data_format == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
    columns, titles = [pixels], ["Image"]
    for masks, name in ((y_true, "Ground truth"), (y_pred, "Prediction")):
        if masks is None:
            continue
        masks = np.asarray(ops.convert_to_numpy(masks))
        if data_format == "channels_first" and masks.ndim == 4:
            masks = masks.transpose(0, 2, 3, 1)
        columns.append(draw_segmentation_masks(pixels, masks.astype("int32"), num_classes=num_classes,
                                               color_mapping=color_mapping, alpha=alpha, blend=blend,
                                               ignore_index=ignore_index, data_format="channels_last"))
        titles.append(name)
    gallery = np.stack(columns, axis=1).reshape((-1,) + pixels.shape[1:])  # image, truth, prediction, image, ...
    kwargs.setdefault("titles", titles * shape[0])
    return plot_image_gallery(gallery, value_range=(0, 255), rows=shape[0], cols=len(columns),
                              data_format="channels_last", **kwargs)
