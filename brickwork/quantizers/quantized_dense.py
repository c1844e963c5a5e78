"""``DenseQuantization``: int8, int4, float8, GPTQ and AWQ for ``Dense``, with Keras's variables and their order.

- int8: ``kernel`` int8 ``(input_dim, units)``, ``kernel_scale`` ``(units,)``; the inputs are quantized per row
  too (unless the config's activation quantizer is ``None``), so the product runs on integers and
  ``outputs = (q_inputs @ q_kernel) / (inputs_scale * kernel_scale)``.
- int4: ``kernel`` int8 ``(input_dim, ceil(units / 2))`` holding two values a byte; ``kernel_scale`` ``(units,)``
  per channel, or ``(groups, units)`` with ``kernel_zero`` and ``g_idx`` for groups of ``block_size`` inputs.
- float8: the kernel stays float; inputs and kernel go through float8_e4m3fn and the outputs' gradient
  through float8_e5m2, with scales from amax histories (delayed scaling).
- gptq / awq: see ``calibrated_quantization`` (``rows, columns = input_dim, units``).

Gradients with respect to the inputs use the dequantized kernel, so a quantized model can still be
fine-tuned through (its quantized weights themselves are frozen).
"""

from __future__ import annotations

from brickwork import ops
from brickwork.quantizers import float8
from brickwork.quantizers.calibrated_quantization import CALIBRATED_FILE_LAYOUT, CalibratedQuantization
from brickwork.quantizers.int4_packing import unpack_int4
from brickwork.quantizers.quantization_config import QuantizationConfig, get_block_size_for_layer, is_per_channel
from brickwork.quantizers.quantizers import AbsMaxQuantizer
from brickwork.quantizers.weight_quantization import dequantize_int4_grouped, quantize_int4, quantize_int8

FLOAT8_VARIABLES = ("inputs_scale", "inputs_amax_history", "kernel_scale", "kernel_amax_history",
                    "outputs_grad_scale", "outputs_grad_amax_history")


def add_float8_variables(layer) -> None:
    """The six delayed-scaling variables of a float8 layer (float32, set from their "gradients")."""
    length = getattr(layer.dtype_policy, "amax_history_length", 1024)
    for name in FLOAT8_VARIABLES:
        history = name.endswith("history")
        setattr(layer, name, layer.add_weight(name=name, shape=(length,) if history else (),
                                              initializer="zeros" if history else "ones", dtype="float32",
                                              trainable=True, autocast=False, overwrite_with_gradient=True))


def float8_forward(layer, inputs, training, product):
    """``product(inputs, kernel)`` with both sides quantized and dequantized in float8 (delayed scaling), and the
    bias at the precision of float8 kernels; the outputs' gradient is scaled in float8 too.

    Shared by the float8 Dense (``product`` a matmul) and EinsumDense (an einsum).
    """
    compute_dtype = layer.compute_dtype
    inputs = float8.quantize_dequantize_forward(inputs, ops.convert_to_tensor(layer.inputs_scale),
                                                ops.convert_to_tensor(layer.inputs_amax_history), training,
                                                compute_dtype)
    kernel = float8.quantize_dequantize_forward(ops.convert_to_tensor(layer._kernel),
                                                ops.convert_to_tensor(layer.kernel_scale),
                                                ops.convert_to_tensor(layer.kernel_amax_history), training,
                                                compute_dtype)
    outputs = float8.quantize_dequantize_gradient(product(inputs, kernel),
                                                  ops.convert_to_tensor(layer.outputs_grad_scale),
                                                  ops.convert_to_tensor(layer.outputs_grad_amax_history),
                                                  compute_dtype)
    bias = layer.bias
    if bias is not None and compute_dtype == "float32":
        bias = ops.cast(ops.cast(bias, "bfloat16"), bias.dtype)  # the bias precision of float8 matmul kernels
    return outputs, bias



def dequantized_gradient(forward, inputs, kernel, input_gradient):
    """``forward(inputs, kernel)`` whose gradient with respect to ``inputs`` is ``input_gradient(upstream)`` (a
    product with the dequantized kernel: rounding has no useful gradient); ``kernel`` gets none."""

    @ops.custom_gradient
    def run(inputs, kernel):
        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            return input_gradient(upstream), None

        return forward(inputs, kernel), grad

    return run(inputs, kernel)


class DenseQuantization(CalibratedQuantization):
    """The quantized modes of ``Dense`` (see the module docstring)."""

    _private_weights = ("kernel",)

    @property
    def variable_serialization_spec(self) -> dict:
        return {None: ["kernel", "bias"], "int8": ["kernel", "bias", "kernel_scale"],
                "int4": ["kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"],
                "float8": ["kernel", "bias", *FLOAT8_VARIABLES], **CALIBRATED_FILE_LAYOUT}

    @property
    def kernel(self):
        """The kernel as a matrix of ``(input_dim, units)``: int4 values unpacked, int8 as stored; GPTQ/AWQ levels
        as ``(units, input_dim)`` once calibrated; with LoRA, the update added (in the compute dtype)."""
        if not self.built:
            raise AttributeError(f"Dense {self.name!r}: build the layer before reading `kernel`.")
        if self.quantization_mode in CALIBRATED_FILE_LAYOUT:
            return self._with_lora(self._calibrated_kernel_view())
        kernel = self._kernel
        if self.quantization_mode == "int4":
            kernel = unpack_int4(kernel, self.units, axis=-1)
        return self._with_lora(kernel)

    def _lora_weight_shape(self) -> tuple:
        return (self._kernel.shape[0], self.units)  # int4 packs along the units axis

    def _quantize_float_weight(self, mode: str, weight, config):
        if mode == "int8":
            return (*quantize_int8(weight, axis=0, config=config), None)
        return quantize_int4(weight, axis=0, config=config)

    def _input_gradient(self, upstream):
        return ops.matmul(upstream, ops.transpose(self._dequantized_weight()))

    def _dequantized_weight(self):
        """The float ``(input_dim, units)`` kernel an int8/int4 layer stands for."""
        kernel, scale = ops.convert_to_tensor(self._kernel), ops.convert_to_tensor(self.kernel_scale)
        if self.quantization_mode == "int4":
            if not is_per_channel(self._int4_block_size):
                return dequantize_int4_grouped(kernel, self.units, scale, self.kernel_zero, self.g_idx,
                                               group_axis=0, dtype=self.compute_dtype)
            kernel = unpack_int4(kernel, self.units, axis=-1)
        return ops.divide(ops.cast(kernel, self.compute_dtype), scale)

    # ------------------------------------------------------------------ int8
    def _int8_build(self, kernel_shape, config=None) -> None:
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, AbsMaxQuantizer())
        self._kernel = self.add_weight(name="kernel", shape=kernel_shape, initializer="zeros", dtype="int8",
                                       trainable=False)
        self.kernel_scale = self.add_weight(name="kernel_scale", shape=(self.units,), initializer="ones",
                                            trainable=False)

    def _int8_call(self, inputs, training=None):
        kernel_scale = ops.convert_to_tensor(self.kernel_scale)

        def forward(inputs, kernel):
            output_scale = kernel_scale
            if self.inputs_quantizer:
                inputs, inputs_scale = self.inputs_quantizer(inputs, axis=-1)
                output_scale = ops.multiply(output_scale, inputs_scale)
            return ops.divide(ops.cast(ops.matmul(inputs, kernel), self.compute_dtype), output_scale)

        kernel = ops.convert_to_tensor(self._kernel)
        outputs = dequantized_gradient(forward, inputs, kernel, self._input_gradient)
        return self._finish(outputs, inputs)

    # ------------------------------------------------------------------ int4
    def _int4_build(self, kernel_shape, config=None) -> None:
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, None)
        input_dim, units = kernel_shape
        self._kernel = self.add_weight(name="kernel", shape=(input_dim, (units + 1) // 2), initializer="zeros",
                                       dtype="int8", trainable=False)
        block_size = get_block_size_for_layer(self, config)
        self._int4_block_size = block_size
        scale_shape = (units,) if is_per_channel(block_size) else (-(-input_dim // block_size), units)
        self.kernel_scale = self.add_weight(name="kernel_scale", shape=scale_shape, initializer="ones",
                                            trainable=False)
        if not is_per_channel(block_size):
            self.kernel_zero = self.add_weight(name="kernel_zero", shape=scale_shape, initializer="zeros",
                                               dtype="int8", trainable=False)
            self.g_idx = self.add_weight(name="g_idx", shape=(input_dim,), dtype="float32", trainable=False,
                                         initializer=lambda shape, dtype: ops.floor_divide(
                                             ops.arange(input_dim, dtype=dtype), block_size))
        self._orig_input_dim, self._orig_output_dim = input_dim, units

    def _int4_call(self, inputs, training=None):
        kernel = ops.convert_to_tensor(self._kernel)
        kernel_scale = ops.convert_to_tensor(self.kernel_scale)
        if is_per_channel(self._int4_block_size):
            def forward(inputs, kernel):
                unpacked = unpack_int4(kernel, self.units, axis=-1)
                output_scale = kernel_scale
                if self.inputs_quantizer:
                    inputs, inputs_scale = self.inputs_quantizer(inputs, axis=-1)
                    output_scale = ops.multiply(output_scale, inputs_scale)
                return ops.divide(ops.cast(ops.matmul(inputs, unpacked), self.compute_dtype), output_scale)

        else:
            def forward(inputs, kernel):
                return ops.matmul(inputs, self._dequantized_weight())
        outputs = dequantized_gradient(forward, inputs, kernel, self._input_gradient)
        return self._finish(outputs, inputs)

    # ------------------------------------------------------------------ gptq / awq
    def _calibrated_product(self, inputs, kernel):
        return ops.matmul(inputs, kernel)

    # ------------------------------------------------------------------ float8
    def _float8_build(self, kernel_shape, config=None) -> None:
        add_float8_variables(self)

    def _float8_call(self, inputs, training=None):
        if self.lora_enabled:
            raise NotImplementedError(f"Dense {self.name!r}: the float8 forward pass does not support LoRA yet.")
        outputs, bias = float8_forward(self, inputs, training, ops.matmul)
        return self._finish(outputs, inputs, bias)

    def _finish(self, outputs, inputs, bias=None):
        """Add the LoRA update, the bias and the activation to a quantized product."""
        outputs = self._add_lora_outputs(outputs, inputs, ops.matmul)
        bias = self.bias if bias is None else bias
        if bias is not None:
            outputs = ops.add(outputs, bias)
        return self.activation(outputs) if self.activation is not None else outputs
