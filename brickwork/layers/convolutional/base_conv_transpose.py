"""``BaseConvTranspose``: the transposed convolution behind ``Conv1DTranspose`` … ``Conv3DTranspose``."""

from __future__ import annotations

from brickwork import activations, backend, constraints, initializers, ops, regularizers
from brickwork.layers.convolutional.base_conv import (
    add_bias_and_activate,
    bias_shape,
    check_strides_and_dilation,
    input_channels,
)
from brickwork.layers.convolutional.conv_utils import (
    conv_transpose_output_length,
    is_int,
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
)
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BaseConvTranspose(Layer):
    """A transposed convolution ("deconvolution"): the gradient of a convolution with respect to its input.

    Args:
        rank: the number of spatial dims (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or ``rank`` ints.
        padding: ``"valid"`` or ``"same"``.
        output_padding: an int or ``rank`` ints (each ``< strides``) added at the end of each spatial dim;
            ``None`` infers the output size (``size * stride`` for ``"same"``).
        data_format, activation, use_bias, initializers, regularizers, constraints: as ``BaseConv``.

    The kernel has shape ``(*kernel_size, filters, in_channels)``, the bias ``(filters,)``.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        name = type(self).__name__
        if not is_int(filters) or filters <= 0:
            raise ValueError(f"{name}: Invalid value for argument `filters`. Expected a strictly positive value. "
                             f"Received filters={filters!r}.")
        self.rank = rank
        self.filters = int(filters)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(output_padding, rank, "output_padding", allow_zero=True)
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(
                    f"{name}: `output_padding` must be strictly less than `strides`, received "
                    f"output_padding={self.output_padding}, strides={self.strides}."
                )
        self.data_format = backend.standardize_data_format(data_format)
        check_strides_and_dilation(name, self.strides, self.dilation_rate)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.compute_output_shape(input_shape)
        channel_axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: channels})
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, channels), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint, name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self._bias_shape = bias_shape(self, self.filters)
        self.built = True

    def call(self, inputs):
        outputs = ops.conv_transpose(inputs, self.kernel, strides=self.strides, padding=self.padding,
                                     output_padding=self.output_padding, data_format=self.data_format,
                                     dilation_rate=self.dilation_rate)
        return add_bias_and_activate(self, outputs)

    def compute_output_shape(self, input_shape):
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        output_padding = self.output_padding or (None,) * self.rank
        lengths = [
            conv_transpose_output_length(size, k, s, self.padding, p, d)
            for size, k, s, p, d in zip(spatial, self.kernel_size, self.strides, output_padding, self.dilation_rate)
        ]
        return spatial_output_shape(self, input_shape, self.filters, lengths)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config
