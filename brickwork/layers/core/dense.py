"""``Dense``: ``activation(inputs @ kernel + bias)``."""

from __future__ import annotations

from brickwork import activations, constraints, initializers, ops, regularizers
from brickwork.layers.input_spec import InputSpec
from brickwork.quantizers.quantized_dense import DenseQuantization


class Dense(DenseQuantization):
    """A densely connected layer, applied to the last axis of its input.

    Args:
        units: the size of the output's last axis.
        activation: an activation name or callable (``None``: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional projections after each update.
        lora_rank, lora_alpha: enable LoRA with this rank (and ``lora_alpha / lora_rank`` scale) once built:
            the kernel is frozen and a low-rank update trained instead (see ``enable_lora``).
        quantization_config: the ``QuantizationConfig`` of a quantized layer (its policy names the mode:
            ``dtype="int8_from_float32"``); ``layer.quantize("int8")`` quantizes a trained one.

    Example:
    >>> layer = Dense(32, activation="relu")
    >>> layer(np.zeros((4, 16))).shape   # kernel (16, 32), bias (32,)
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Dense: `units` must be a positive integer, received {units!r}.")
        self._init_lora(lora_rank, lora_alpha)
        self.quantization_config = quantization_config
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Dense {self.name!r}: the last axis of the input must be known, received {input_shape}.")
        if self.quantization_mode is not None:
            self.quantized_build((input_dim, self.units), mode=self.quantization_mode, config=self.quantization_config)
        if self.quantization_mode not in ("int8", "int4", "gptq", "awq"):  # their kernel is the quantized one
            self._kernel = self.add_weight(shape=(input_dim, self.units), initializer=self.kernel_initializer,
                                           regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                           name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True
        self._build_lora()

    def call(self, inputs, training=None):
        if self._is_quantized:
            return self.quantized_call(inputs, training=training)
        outputs = ops.matmul(inputs, self.kernel if self.lora_enabled else self._kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": self._quantization_config_json(),
            **self._lora_config(),
        })
        return config
