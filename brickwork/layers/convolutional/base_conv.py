"""``BaseConv``: the N-D convolution layer behind ``Conv1D``, ``Conv2D`` and ``Conv3D``."""

from __future__ import annotations

from brickwork import activations, backend, constraints, initializers, ops, regularizers
from brickwork.layers.convolutional.conv_utils import (
    conv_output_length,
    is_int,
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
)
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer
from brickwork.quantizers.lora import LoRA


def check_strides_and_dilation(layer_name: str, strides: tuple, dilation_rate: tuple) -> None:
    """Keras refuses strides > 1 together with dilation > 1."""
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            f"{layer_name}: `strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={dilation_rate}"
        )


def conv_output_lengths(layer, input_shape) -> list:
    """The output's spatial sizes for ``input_shape`` (``None`` where unknown)."""
    spatial = input_shape[1:-1] if layer.data_format == "channels_last" else input_shape[2:]
    return [
        conv_output_length(size, k, s, layer.padding, d)
        for size, k, s, d in zip(spatial, layer.kernel_size, layer.strides, layer.dilation_rate)
    ]


def input_channels(layer, input_shape) -> int:
    """The size of the channel axis of ``input_shape``, which must be known to build."""
    if len(input_shape) != layer.rank + 2:
        raise ValueError(
            f"{type(layer).__name__} {layer.name!r}: expected inputs of rank {layer.rank + 2} "
            f"(batch, {'*spatial, channels' if layer.data_format == 'channels_last' else 'channels, *spatial'}), "
            f"received shape {tuple(input_shape)}."
        )
    channels = input_shape[-1] if layer.data_format == "channels_last" else input_shape[1]
    if channels is None:
        raise ValueError(
            f"{type(layer).__name__} {layer.name!r}: the channel axis of the input must be known, "
            f"received shape {tuple(input_shape)}."
        )
    return channels


_LINEAR = activations.get("linear")


def bias_shape(layer, channels: int) -> tuple | None:
    """The shape a bias takes to broadcast over the output, found once in ``build``: ``None`` (as is)
    for channels last, ``(channels, 1, ..., 1)`` for channels first."""
    return (channels,) + (1,) * layer.rank if layer.data_format == "channels_first" else None


def add_bias_and_activate(layer, outputs):
    """``activation(outputs + bias)``, the tail of every convolution layer's ``call``."""
    if layer.bias is not None:
        bias = layer.bias if layer._bias_shape is None else ops.reshape(layer.bias, layer._bias_shape)
        outputs = ops.add(outputs, bias)
    if layer.activation is not _LINEAR:
        outputs = layer.activation(outputs)
    return outputs


class BaseConv(LoRA, Layer):
    """An N-D convolution: ``activation(conv(inputs, kernel) + bias)``.

    Args:
        rank: the number of spatial dims (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or ``rank`` ints.
        padding: ``"valid"`` or ``"same"`` (``"causal"`` too for ``Conv1D``).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        groups: the input channels and ``filters`` are split in ``groups`` convolved separately.
        activation: an activation name or callable (``None``: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as for ``Dense``.
        lora_rank, lora_alpha: enable LoRA with this rank (and ``lora_alpha / lora_rank`` scale) once built:
            the kernel is frozen and a low-rank update trained instead (see ``enable_lora``).

    The kernel has shape ``(*kernel_size, in_channels // groups, filters)``, the bias ``(filters,)``. With LoRA,
    ``lora_kernel_a`` has shape ``(*kernel_size, in_channels // groups, rank)`` and ``lora_kernel_b``
    ``(rank, filters)``: their product, over the rank axis, has the kernel's shape.

    Example:
    >>> layer = Conv2D(8, 3, lora_rank=2)
    >>> layer.build((None, 10, 10, 4))     # kernel (3, 3, 4, 8) frozen
    >>> [w.name for w in layer.trainable_weights]
    ['bias', 'lora_kernel_a', 'lora_kernel_b']
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        name = type(self).__name__
        if not is_int(filters) or filters <= 0:
            raise ValueError(f"{name}: Invalid value for argument `filters`. Expected a strictly positive value. "
                             f"Received filters={filters!r}.")
        if not is_int(groups) or groups <= 0:
            raise ValueError(f"{name}: The number of groups must be a positive integer. Received: groups={groups!r}.")
        if filters % groups:
            raise ValueError(f"{name}: The number of filters must be evenly divisible by the number of groups. "
                             f"Received: groups={groups}, filters={filters}.")
        self._init_lora(lora_rank, lora_alpha)
        self.rank = rank
        self.filters = int(filters)
        self.groups = int(groups)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
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
        if channels % self.groups:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: the input channels ({channels}) must be divisible by "
                f"`groups` ({self.groups}); full input shape {tuple(input_shape)}."
            )
        self.compute_output_shape(input_shape)  # validates that the input is large enough
        channel_axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: channels})
        self._kernel = self.add_weight(
            shape=self.kernel_size + (channels // self.groups, self.filters), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint, name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self._bias_shape = bias_shape(self, self.filters)
        self.built = True
        self._build_lora()

    @property
    def kernel(self):
        """The kernel; with LoRA, the update added (in the compute dtype)."""
        if not self.built:
            raise AttributeError(f"{type(self).__name__} {self.name!r}: build the layer before reading `kernel`.")
        return self._with_lora(self._kernel)

    def convolution_op(self, inputs, kernel):
        return ops.conv(inputs, kernel, strides=self.strides, padding=self.padding, data_format=self.data_format,
                        dilation_rate=self.dilation_rate)

    def call(self, inputs):
        return add_bias_and_activate(self, self.convolution_op(inputs, self._with_lora(self._kernel)))

    def compute_output_shape(self, input_shape):
        lengths = conv_output_lengths(self, input_shape)
        return spatial_output_shape(self, input_shape, self.filters, lengths)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            **self._lora_config(),
        })
        return config
