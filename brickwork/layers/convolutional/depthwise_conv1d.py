"""``DepthwiseConv1D``: 1D depthwise convolution."""

from __future__ import annotations

from brickwork.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution over inputs of shape ``(batch, steps, channels)``: each channel is convolved
    with its own ``depth_multiplier`` filters and never mixed with the others.

    Args: ``kernel_size``, ``strides``, ``padding``, ``depth_multiplier``, ``data_format``, ``dilation_rate``,
    ``activation``, ``use_bias`` and the ``depthwise_*``/``bias_*`` initializers, regularizers and
    constraints, as documented on ``BaseDepthwiseConv``.

    Example:
    >>> DepthwiseConv1D(3, depth_multiplier=3)(np.zeros((4, 10, 12))).shape   # (4, 8, 36)
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank=1, depth_multiplier=depth_multiplier, kernel_size=kernel_size, strides=strides,
                         padding=padding, data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint, **kwargs)
