"""``ContrastLimitedAdaptiveHistogramEqualization`` (CLAHE): histogram equalization per tile, blended between tiles."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.preprocessing.base_image_augmentation import BaseImageAugmentation, check_value_range
from brickwork.layers.preprocessing.color import rescale_values

_LEVELS = 256  # histograms count the integer intensities 0..255


def _symmetric_pad(images, pad_bottom: int, pad_right: int):
    """Pad ``(batch, height, width, channels)`` at the bottom and right by mirroring, edge pixel included
    (NumPy's ``"symmetric"``; a pad longer than the image mirrors again)."""
    for axis, missing in ((1, pad_bottom), (2, pad_right)):
        size = images.shape[axis]
        while missing > 0:
            step = min(missing, size)
            tail = images[:, -step:] if axis == 1 else images[:, :, -step:]
            images = ops.concatenate([images, ops.flip(tail, axis=axis)], axis=axis)
            missing -= step
    return images


def _blend_weights(size: int, tile: int, grid: int):
    """For each pixel row (or column): the two nearest tiles (clamped to the grid) and the second one's weight.

    The tile grid coordinate of pixel ``i`` is ``i / tile - 0.5`` (tile ``k``'s centre sits at ``(k + 0.5) tile``),
    so a pixel between two tile centres mixes their mappings linearly; past the outer centres it uses one tile.
    """
    position = ops.arange(size, dtype="float32") / float(tile) - 0.5
    lower = ops.floor(position)
    weight = position - lower
    lower = ops.cast(lower, "int32")
    return ops.clip(lower, 0, grid - 1), ops.clip(lower + 1, 0, grid - 1), weight


class ContrastLimitedAdaptiveHistogramEqualization(BaseImageAugmentation):
    """Contrast Limited Adaptive Histogram Equalization: equalize each tile of the image, limiting the contrast gain.

    The image is split into ``tile_grid_size`` tiles (padded by mirroring to a whole number of tiles). Each tile
    and channel gets a histogram of its intensities on ``[0, 255]``; counts above ``clip_limit`` times the mean
    count are cut and the excess spread evenly over all levels, which bounds how much a near-flat region is
    stretched. The tile's cumulative histogram, rescaled to ``[0, 255]``, maps intensities; each pixel blends the
    mappings of its four nearest tile centres bilinearly, so no seams show. The same computation as Keras 3's
    layer. Not random: applied at inference too. Integer images keep their dtype (the result is truncated).

    Args:
        value_range: the ``(min, max)`` range of the pixel values (mapped to ``[0, 255]`` for the histograms).
        clip_limit: the highest count of a histogram level, as a multiple of the tile's mean count per level;
            ``0`` or less disables the limit (plain adaptive equalization).
        tile_grid_size: ``(rows, columns)`` of tiles.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> clahe = ContrastLimitedAdaptiveHistogramEqualization(value_range=(0, 1), tile_grid_size=(2, 2))
    >>> clahe(np.random.rand(2, 16, 16, 3) * 0.2).shape   # (2, 16, 16, 3), each tile spread over [0, 1]
    """

    def __init__(self, value_range=(0, 255), clip_limit: float = 4.0, tile_grid_size=(8, 8),
                 data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        name = type(self).__name__
        self.value_range = check_value_range(value_range, name)
        if isinstance(clip_limit, bool) or not isinstance(clip_limit, (int, float)):
            raise ValueError(f"{name}: `clip_limit` must be a number, received {clip_limit!r}.")
        self.clip_limit = float(clip_limit)
        if (not isinstance(tile_grid_size, (tuple, list)) or len(tile_grid_size) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in tile_grid_size)):
            raise ValueError(f"{name}: `tile_grid_size` must be a pair of positive ints (rows, columns), "
                             f"received {tile_grid_size!r}.")
        self.tile_grid_size = tuple(tile_grid_size)

    def call(self, inputs, training=None):
        images = inputs["images"] if isinstance(inputs, dict) else inputs
        images = ops.convert_to_tensor(images)
        if len(images.shape) not in (3, 4):
            raise ValueError(f"{type(self).__name__}: expected an image (rank 3) or a batch of images (rank 4), "
                             f"received shape {tuple(images.shape)}.")
        outputs = self.transform_images(images)
        return {**inputs, "images": outputs} if isinstance(inputs, dict) else outputs

    def transform_images(self, images, transformation=None, training: bool = True):
        integer = backend.is_int_dtype(backend.standardize_dtype(images.dtype))
        out_dtype = images.dtype if integer else self.compute_dtype
        batched = images if len(images.shape) == 4 else ops.expand_dims(images, 0)
        if self.data_format == "channels_first":
            batched = ops.transpose(batched, (0, 2, 3, 1))
        pixels = rescale_values(ops.cast(batched, "float32"), self.value_range, (0, 255))
        result = self._equalize(pixels)
        result = ops.cast(rescale_values(result, (0, 255), self.value_range), out_dtype)
        if self.data_format == "channels_first":
            result = ops.transpose(result, (0, 3, 1, 2))
        return result if len(images.shape) == 4 else result[0]

    def _equalize(self, pixels):
        """CLAHE of ``(batch, height, width, channels)`` float pixels on the ``[0, 255]`` scale."""
        batch, height, width, channels = pixels.shape
        grid_rows, grid_cols = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_rows), -(-width // grid_cols)
        padded = _symmetric_pad(pixels, tile_h * grid_rows - height, tile_w * grid_cols - width)
        levels = ops.clip(ops.cast(padded, "int32"), 0, _LEVELS - 1)

        # One histogram per (image, tile row, tile column, channel): every pixel adds 1 to its segment.
        tile_row = ops.arange(tile_h * grid_rows, dtype="int32") // tile_h
        tile_col = ops.arange(tile_w * grid_cols, dtype="int32") // tile_w
        tile = tile_row[:, None, None] * grid_cols + tile_col[None, :, None]  # (height, width, 1)
        image = ops.arange(batch, dtype="int32")[:, None, None, None]
        channel = ops.arange(channels, dtype="int32")
        table = ((image * (grid_rows * grid_cols) + tile) * channels + channel) * _LEVELS  # (b, h, w, c) row starts
        counts = ops.math.segment_sum(ops.ones((batch * tile_h * grid_rows * tile_w * grid_cols * channels,)),
                                      ops.reshape(table + levels, (-1,)),
                                      num_segments=batch * grid_rows * grid_cols * channels * _LEVELS)
        counts = ops.reshape(counts, (batch * grid_rows * grid_cols * channels, _LEVELS))

        area = float(tile_h * tile_w)
        if self.clip_limit > 0:
            limit = self.clip_limit * area / _LEVELS
            clipped = ops.minimum(counts, limit)
            counts = clipped + ops.sum(counts - clipped, axis=1, keepdims=True) / _LEVELS
        cdf = ops.cumsum(counts, axis=1)
        lowest = cdf[:, :1]
        spread = area - lowest
        mapping = ops.clip((cdf - lowest) * 255.0 / ops.where(spread == 0, 1.0, spread), 0.0, 255.0)
        mapping = ops.reshape(mapping, (-1,))

        # Blend the mappings of the four nearest tile centres, bilinearly.
        top, bottom, down = _blend_weights(tile_h * grid_rows, tile_h, grid_rows)
        left, right, across = _blend_weights(tile_w * grid_cols, tile_w, grid_cols)
        base = (image * (grid_rows * grid_cols) * channels + channel) * _LEVELS + levels

        def lookup(rows, cols):
            tiles = rows[:, None, None] * grid_cols + cols[None, :, None]
            return ops.take(mapping, base + tiles * (channels * _LEVELS))

        across, down = across[None, :, None], down[:, None, None]
        upper = lookup(top, left) * (1.0 - across) + lookup(top, right) * across
        lower = lookup(bottom, left) * (1.0 - across) + lookup(bottom, right) * across
        result = upper * (1.0 - down) + lower * down
        return result[:, :height, :width, :]

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed")
        return {**config, "value_range": tuple(self.value_range), "clip_limit": self.clip_limit,
                "tile_grid_size": tuple(self.tile_grid_size)}
