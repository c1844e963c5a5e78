"""``BaseDepthwiseConv``: the depthwise convolution behind ``DepthwiseConv1D`` and ``DepthwiseConv2D``."""

from __future__ import annotations

from brickwork import activations, backend, constraints, initializers, ops, regularizers
from brickwork.layers.convolutional.base_conv import (
    add_bias_and_activate,
    bias_shape,
    check_strides_and_dilation,
    conv_output_lengths,
    input_channels,
)
from brickwork.layers.convolutional.conv_utils import (
    is_int,
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
)
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BaseDepthwiseConv(Layer):
    """A depthwise convolution: each input channel is convolved with its own ``depth_multiplier`` filters.

    Args:
        rank: the number of spatial dims (1 or 2).
        depth_multiplier: the output channels per input channel; the output has
            ``in_channels * depth_multiplier`` channels.
        kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias: as ``BaseConv``.
        depthwise_initializer, depthwise_regularizer, depthwise_constraint: for the kernel.
        bias_initializer, bias_regularizer, activity_regularizer, bias_constraint: as ``BaseConv``.

    The kernel has shape ``(*kernel_size, in_channels, depth_multiplier)``, the bias
    ``(in_channels * depth_multiplier,)``.
    """

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        name = type(self).__name__
        if not is_int(depth_multiplier) or depth_multiplier <= 0:
            raise ValueError(f"{name}: Invalid value for argument `depth_multiplier`. Expected a strictly positive "
                             f"value. Received depth_multiplier={depth_multiplier!r}.")
        self.rank = rank
        self.depth_multiplier = int(depth_multiplier)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        check_strides_and_dilation(name, self.strides, self.dilation_rate)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.compute_output_shape(input_shape)
        channel_axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: channels})
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier), initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint, name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(channels * self.depth_multiplier,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self._bias_shape = bias_shape(self, channels * self.depth_multiplier)
        self.built = True

    def call(self, inputs):
        outputs = ops.depthwise_conv(inputs, self.kernel, strides=self.strides, padding=self.padding,
                                     data_format=self.data_format, dilation_rate=self.dilation_rate)
        return add_bias_and_activate(self, outputs)

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        lengths = conv_output_lengths(self, input_shape)
        out_channels = None if channels is None else channels * self.depth_multiplier
        return spatial_output_shape(self, input_shape, out_channels, lengths)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config
