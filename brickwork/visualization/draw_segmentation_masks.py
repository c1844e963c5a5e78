"""``draw_segmentation_masks``: class masks painted over a batch of images in one colour per class."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops
from brickwork.visualization._canvas import check_batch, check_data_format, to_uint8


def default_palette(num_classes: int) -> np.ndarray:
    """``num_classes`` distinct RGB colours (0-255): matplotlib's ``tab20`` order (strong shades first), cycled."""
    from matplotlib import colormaps

    table = np.asarray(colormaps["tab20"].colors)
    order = np.concatenate([table[0::2], table[1::2]])
    return np.rint(order[np.arange(num_classes) % len(order)] * 255).astype("float32")


def draw_segmentation_masks(images, segmentation_masks, num_classes: int | None = None,
                            color_mapping: dict | None = None, alpha: float = 0.8, blend: bool = True,
                            ignore_index: int = -1, data_format: str | None = None) -> np.ndarray:
    """Paint each pixel of class ``k`` in class ``k``'s colour, over the image (blended) or instead of it.

    Args:
        images: a batch of images, ``(batch, height, width, channels)`` (or channels first), 1 or 3 channels
            (4: the alpha channel is kept). Float images with every value <= 1 are taken as ``[0, 1]``.
        segmentation_masks: integer class ids, ``(batch, height, width)`` or with a channel axis of 1 (placed
            as ``data_format`` says).
        num_classes: the number of classes; ids outside ``[0, num_classes)`` are left unpainted. Default:
            the largest id plus one.
        color_mapping: ``{class id: (r, g, b)}`` (0-255) for some or all classes; the others get the default
            palette (matplotlib's ``tab20`` colours).
        alpha: the opacity of the colours when blending, in ``[0, 1]``.
        blend: mix the colour with the image (``alpha``); if False, the colour replaces the pixel.
        ignore_index: the class id never painted (e.g. ``0`` for a background, ``255`` for "void").
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        A uint8 NumPy array of the images' shape with the masks painted in.

    Example:
    >>> from brickwork import visualization
    >>> masks = np.zeros((1, 32, 32), "int32"); masks[0, 8:24, 8:24] = 1
    >>> visualization.draw_segmentation_masks(np.zeros((1, 32, 32, 3)), masks, ignore_index=0)  # a square
    """
    shape = check_batch(images, "draw_segmentation_masks")
    data_format = check_data_format(data_format, "draw_segmentation_masks")
    if not 0 <= alpha <= 1:
        raise ValueError(f"draw_segmentation_masks: `alpha` must lie in [0, 1], received {alpha!r}.")
    masks = ops.convert_to_tensor(segmentation_masks)
    if not backend.is_int_dtype(backend.standardize_dtype(masks.dtype)):
        raise TypeError(f"draw_segmentation_masks: `segmentation_masks` must be integer class ids, received dtype "
                        f"{backend.standardize_dtype(masks.dtype)}.")
    masks = np.asarray(ops.convert_to_numpy(masks))
    pixels = to_uint8(images)
    if data_format == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
        masks = masks[:, 0] if masks.ndim == 4 else masks
    elif masks.ndim == 4:
        masks = masks[..., 0]
    if masks.shape != pixels.shape[:3]:
        raise ValueError(f"draw_segmentation_masks: masks of shape {tuple(np.shape(segmentation_masks))} do not "
                         f"match images of shape {shape} ({data_format}).")
    if num_classes is None:
        num_classes = int(masks.max()) + 1 if masks.size else 0
    palette = default_palette(max(num_classes, 1))
    for class_id, rgb in (color_mapping or {}).items():
        if 0 <= int(class_id) < num_classes:
            palette[int(class_id)] = np.asarray(rgb, "float32")[:3]

    painted = (masks >= 0) & (masks < num_classes) & (masks != ignore_index)
    colours = palette[np.where(painted, masks, 0)]  # (batch, height, width, 3)
    channels = pixels.shape[-1]
    if channels == 1:
        colours = colours @ np.array([[0.2989], [0.5870], [0.1140]], "float32")
    base = pixels[..., : min(channels, 3)].astype("float32")
    mixed = base * (1.0 - alpha) + colours * alpha if blend else colours
    drawn = np.where(painted[..., None], np.clip(mixed, 0, 255), base).astype("uint8")  # truncated, as Keras
    if channels == 4:
        drawn = np.concatenate([drawn, pixels[..., 3:]], axis=-1)
    return drawn.transpose(0, 3, 1, 2) if data_format == "channels_first" else drawn
