"""``Conv1D``: 1D convolution (``Convolution1D`` is the same class)."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1D convolution over inputs of shape ``(batch, steps, channels)`` (channels first with
    ``data_format="channels_first"``).

    Args: ``filters``, ``kernel_size``, ``strides``, ``padding``, ``data_format``, ``dilation_rate``,
    ``groups``, ``activation``, ``use_bias``, the initializers, regularizers and constraints, and (through
    ``**kwargs``) ``lora_rank``/``lora_alpha``, as documented on
    ``BaseConv``. ``padding="causal"`` pads only the start of the sequence, so that
    ``output[t]`` depends on ``input[:t + 1]`` only.

    Example:
    >>> Conv1D(32, 3)(np.zeros((4, 10, 8))).shape   # (4, 8, 32)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups, activation=activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        time_axis = 1 if self.data_format == "channels_last" else 2
        self._causal_pad = tuple((left, 0) if axis == time_axis else (0, 0) for axis in range(3))

    def convolution_op(self, inputs, kernel):
        if self.padding != "causal":
            return super().convolution_op(inputs, kernel)
        return ops.conv(ops.pad(inputs, self._causal_pad), kernel, strides=self.strides, padding="valid",
                        data_format=self.data_format, dilation_rate=self.dilation_rate)


Convolution1D = Conv1D
