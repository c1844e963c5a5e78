"""``ReLU``: the rectified linear unit as a layer, with slope, cap and threshold."""

from __future__ import annotations

from brickwork import activations
from brickwork.layers.layer import Layer


class ReLU(Layer):
    """``max_value`` if ``x >= max_value``; ``x`` if ``threshold <= x``; else ``negative_slope * (x - threshold)``.

    Args:
        max_value: the cap (``None``: no cap); non-negative.
        negative_slope: the slope below the threshold; non-negative.
        threshold: where the unit starts to pass ``x``; non-negative.

    Example:
    >>> ReLU(max_value=1.0)(np.array([-1.0, 0.5, 3.0]))   # [0., 0.5, 1.]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"ReLU: max_value of a ReLU layer cannot be a negative value. "
                             f"Received: max_value={max_value!r}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(f"ReLU: negative_slope of a ReLU layer cannot be None or a negative value. "
                             f"Received: negative_slope={negative_slope!r}")
        if threshold is None or threshold < 0.0:
            raise ValueError(f"ReLU: threshold of a ReLU layer cannot be None or a negative value. "
                             f"Received: threshold={threshold!r}")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}
