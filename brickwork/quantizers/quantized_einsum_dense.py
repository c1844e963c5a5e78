"""``EinsumDenseQuantization``: int8, int4, float8, GPTQ and AWQ for ``EinsumDense``, with Keras's variables,
scale layout and order.

- int8: ``kernel`` int8 in the kernel's own shape; ``kernel_scale`` one per kept kernel position, stored
  already on the output's axes (``einsum_axes``) so it divides the integer einsum directly. The inputs are
  quantized over their contracted axes too (unless the config's activation quantizer is ``None``).
- int4: the kernel flattened to ``(rows, columns)`` — rows the contracted axes, columns the kept ones —
  and packed two values a byte along the columns: ``kernel`` ``(rows, ceil(columns / 2))``; ``kernel_scale``
  ``(columns,)`` per channel, or ``(groups, columns)`` with ``kernel_zero`` and ``g_idx`` for groups of
  ``block_size`` rows.
- float8: as ``Dense``'s, around the einsum.
- gptq / awq: see ``calibrated_quantization`` (a 3D kernel is split into rows and columns by Keras's rule).

Gradients with respect to the inputs use the dequantized kernel (``einsum(output, kernel -> input)``).

Example:
>>> layer = EinsumDense("btd,ndh->btnh", output_shape=(None, 8, 16))
>>> layer.build((None, 4, 32))
>>> layer.quantize("int8")      # kernel int8 (8, 32, 16), kernel_scale (1, 8, 16)
"""

from __future__ import annotations

from brickwork import ops
from brickwork.quantizers.einsum_axes import EinsumQuantizationAxes
from brickwork.quantizers.calibrated_quantization import CALIBRATED_FILE_LAYOUT, CalibratedQuantization
from brickwork.quantizers.int4_packing import unpack_int4
from brickwork.quantizers.quantization_config import QuantizationConfig, get_block_size_for_layer, is_per_channel
from brickwork.quantizers.quantized_dense import (
    FLOAT8_VARIABLES,
    add_float8_variables,
    dequantized_gradient,
    float8_forward,
)
from brickwork.quantizers.quantizers import AbsMaxQuantizer, dequantize_with_sz_map
from brickwork.quantizers.weight_quantization import quantize_int4


class EinsumDenseQuantization(CalibratedQuantization):
    """The quantized modes of ``EinsumDense`` (see the module docstring)."""

    _private_weights = ("kernel",)
    _zero_point_name = "zero_point"  # Keras's name for the GPTQ/AWQ zero points of EinsumDense

    @property
    def variable_serialization_spec(self) -> dict:
        return {None: ["kernel", "bias"], "int8": ["kernel", "bias", "kernel_scale"],
                "int4": ["kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"],
                "float8": ["kernel", "bias", *FLOAT8_VARIABLES], **CALIBRATED_FILE_LAYOUT}

    @property
    def _quantization_axes(self) -> EinsumQuantizationAxes:
        axes = self.__dict__.get("_einsum_axes")
        if axes is None:
            axes = EinsumQuantizationAxes.from_equation(self.equation, self.input_spec.ndim)
            self.__dict__["_einsum_axes"] = axes
        return axes

    @property
    def kernel(self):
        """The kernel in its einsum shape: int4 values unpacked, int8 as stored; GPTQ/AWQ levels as ``(columns,
        rows)`` once calibrated; with LoRA, the update added."""
        if not self.built:
            raise AttributeError(f"EinsumDense {self.name!r}: build the layer before reading `kernel`.")
        if self.quantization_mode in CALIBRATED_FILE_LAYOUT:
            return self._with_lora(self._calibrated_kernel_view())
        kernel = self._kernel
        if self.quantization_mode == "int4":
            kernel = ops.reshape(unpack_int4(kernel, self._int4_unpacked_column_size, axis=-1),
                                 self.original_kernel_shape)
        return self._with_lora(kernel)

    def _lora_weight_shape(self) -> tuple:
        return tuple(self.original_kernel_shape) if self.quantization_mode == "int4" else tuple(self._kernel.shape)

    def _quantize_float_weight(self, mode: str, weight, config):
        axes = self._quantization_axes
        if mode == "int8":
            default = AbsMaxQuantizer(axis=axes.kernel_reduced)
            quantizer = QuantizationConfig.weight_quantizer_or_default(config, default)
            values, scale = quantizer(weight, to_numpy=True)
            return values, axes.kernel.to_output(scale), None
        flat = ops.reshape(weight, axes.flat_kernel_shape(tuple(weight.shape)))  # Keras's plain reshape
        return quantize_int4(flat, axis=0, config=config)

    def _dequantized_weight(self):
        """The float kernel, in its einsum shape, that an int8/int4 layer stands for."""
        kernel, scale = ops.convert_to_tensor(self._kernel), ops.convert_to_tensor(self.kernel_scale)
        if self.quantization_mode == "int8":
            return ops.divide(ops.cast(kernel, self.compute_dtype), self._quantization_axes.kernel.from_output(scale))
        values = unpack_int4(kernel, self._int4_unpacked_column_size, axis=-1)
        if is_per_channel(self._int4_block_size):
            flat = ops.divide(ops.cast(values, self.compute_dtype), scale)
        else:
            flat = ops.cast(dequantize_with_sz_map(values, scale, self.kernel_zero, self.g_idx, group_axis=0),
                            self.compute_dtype)
        return ops.reshape(flat, self.original_kernel_shape)

    def _input_gradient(self, upstream):
        return ops.einsum(self._quantization_axes.gradient_equation, upstream, self._dequantized_weight())

    def _quantize_inputs(self, inputs):
        """``(quantized inputs, their scale on the output's axes)``, over the contracted axes."""
        axes = self._quantization_axes
        values, scale = self.inputs_quantizer(inputs, axis=tuple(axes.input_reduced))
        return values, axes.inputs.to_output(scale)

    # ------------------------------------------------------------------ int8
    def _int8_build(self, kernel_shape, config=None) -> None:
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, AbsMaxQuantizer())
        self._kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape), initializer="zeros", dtype="int8",
                                       trainable=False)
        self.kernel_scale = self.add_weight(name="kernel_scale",
                                            shape=self._quantization_axes.kernel_scale_shape(kernel_shape),
                                            initializer="ones", trainable=False)

    def _int8_call(self, inputs, training=None):
        kernel_scale = ops.convert_to_tensor(self.kernel_scale)

        def forward(inputs, kernel):
            if not self.inputs_quantizer:  # weight only
                return ops.einsum(self.equation, inputs, self._dequantized_weight())
            inputs, inputs_scale = self._quantize_inputs(inputs)
            outputs = ops.cast(ops.einsum(self.equation, inputs, kernel), self.compute_dtype)
            return ops.divide(outputs, ops.multiply(inputs_scale, kernel_scale))

        outputs = dequantized_gradient(forward, inputs, ops.convert_to_tensor(self._kernel), self._input_gradient)
        return self._finish(outputs, inputs)

    # ------------------------------------------------------------------ int4
    def _int4_build(self, kernel_shape, config=None) -> None:
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, None)
        self.original_kernel_shape = tuple(kernel_shape)
        rows, columns = self._quantization_axes.flat_kernel_shape(kernel_shape)
        block_size = get_block_size_for_layer(self, config)
        self._int4_block_size = None if is_per_channel(block_size) else block_size
        self._int4_unpacked_column_size, self._int4_rows = columns, rows
        self._kernel = self.add_weight(name="kernel", shape=(rows, (columns + 1) // 2), initializer="zeros",
                                       dtype="int8", trainable=False)
        grouped = self._int4_block_size is not None
        scale_shape = (-(-rows // block_size), columns) if grouped else (columns,)
        self.kernel_scale = self.add_weight(name="kernel_scale", shape=scale_shape, initializer="ones",
                                            trainable=False)
        if grouped:
            self.kernel_zero = self.add_weight(name="kernel_zero", shape=scale_shape, initializer="zeros",
                                               dtype="int8", trainable=False)
            self.g_idx = self.add_weight(name="g_idx", shape=(rows,), dtype="float32", trainable=False,
                                         initializer=lambda shape, dtype: ops.floor_divide(
                                             ops.arange(rows, dtype=dtype), block_size))

    def _int4_call(self, inputs, training=None):
        def forward(inputs, kernel):
            float_kernel = self._dequantized_weight()
            if self._int4_block_size is not None or not self.inputs_quantizer:
                return ops.einsum(self.equation, inputs, float_kernel)
            inputs, inputs_scale = self._quantize_inputs(inputs)
            outputs = ops.einsum(self.equation, ops.cast(inputs, self.compute_dtype), float_kernel)
            return ops.divide(outputs, inputs_scale)

        outputs = dequantized_gradient(forward, inputs, ops.convert_to_tensor(self._kernel), self._input_gradient)
        return self._finish(outputs, inputs)

    # ------------------------------------------------------------------ gptq / awq
    def _gptq_build(self, kernel_shape, config=None) -> None:
        super()._gptq_build(kernel_shape, config)
        self.gptq_unpacked_column_size = self._calibrated_columns  # Keras keeps it in the config

    def _awq_build(self, kernel_shape, config=None) -> None:
        super()._awq_build(kernel_shape, config)
        self.awq_unpacked_column_size = self._calibrated_columns

    def _calibrated_product(self, inputs, kernel):
        return ops.einsum(self.equation, inputs, kernel)

    # ------------------------------------------------------------------ float8
    def _float8_build(self, kernel_shape, config=None) -> None:
        add_float8_variables(self)

    def _float8_call(self, inputs, training=None):
        if self.lora_enabled:
            raise NotImplementedError(f"EinsumDense {self.name!r}: the float8 forward pass does not support LoRA.")
        outputs, bias = float8_forward(self, inputs, training, lambda x, kernel: ops.einsum(self.equation, x, kernel))
        return self._finish(outputs, inputs, bias)

    def _finish(self, outputs, inputs, bias=None):
        """Add the LoRA update, the bias and the activation to a quantized einsum."""
        outputs = self._add_lora_outputs(outputs, inputs, lambda x, a: ops.einsum(self.equation, x, a))
        bias = self.bias if bias is None else bias
        if bias is not None:
            outputs = ops.add(outputs, bias)
        return self.activation(outputs) if self.activation is not None else outputs
