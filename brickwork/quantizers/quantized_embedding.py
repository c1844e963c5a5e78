"""int8 and int4 for ``Embedding`` and ``ReversibleEmbedding``, with Keras's variables and their order.

Each token's vector is quantized on its own (one scale per row of ``embeddings``; int4 rows packed two values
a byte, or cut into groups of ``block_size`` with a scale and zero point each). A lookup gathers the integer
rows and their scales and dequantizes only those. ``ReversibleEmbedding``'s reverse projection multiplies by
the same integers (tied) or by its own quantized ``reverse_embeddings`` (one scale per vocabulary column).
"""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.quantizers.int4_packing import unpack_int4
from brickwork.quantizers.quantizable_layer import QuantizableLayer
from brickwork.quantizers.quantization_config import QuantizationConfig, get_block_size_for_layer, is_per_channel
from brickwork.quantizers.quantizers import AbsMaxQuantizer, dequantize_with_sz_map
from brickwork.quantizers.weight_quantization import quantize_int4, quantize_int8


def _lookup(ids, table):
    return ops.take(table, ids, axis=0)


def _ids(inputs):
    return inputs if backend.standardize_dtype(inputs.dtype) in ("int32", "int64") else ops.cast(inputs, "int32")


class EmbeddingQuantization(QuantizableLayer):
    """The quantized modes of ``Embedding`` (see the module docstring)."""

    _private_weights = ("embeddings",)
    _lora_target = "embeddings"

    @property
    def variable_serialization_spec(self) -> dict:
        return {None: ["embeddings"], "int8": ["embeddings", "embeddings_scale"],
                "int4": ["embeddings", "embeddings_scale", "embeddings_zero", "g_idx"]}

    @property
    def embeddings(self):
        """The ``(input_dim, output_dim)`` table: int4 values unpacked, int8 as stored; with LoRA, the update
        added (in the compute dtype)."""
        if not self.built:
            raise AttributeError(f"Embedding {self.name!r}: build the layer before reading `embeddings`.")
        table = self._embeddings
        if self.quantization_mode == "int4":
            table = unpack_int4(table, self.output_dim, axis=-1)
        return self._with_lora(table)

    def _lora_weight_shape(self) -> tuple:
        return (self.input_dim, self.output_dim)

    def _quantize_weights(self, mode: str, config) -> None:
        if mode not in ("int8", "int4"):
            raise self._quantization_mode_error(mode)
        super()._quantize_weights(mode, config)

    def _quantize_float_weight(self, mode: str, weight, config):
        if mode == "int8":
            return (*quantize_int8(weight, axis=-1, config=config), None)
        return quantize_int4(weight, axis=-1, config=config)

    def _dequantized_weight(self):
        """The float ``(input_dim, output_dim)`` table an int8/int4 layer stands for."""
        table = ops.convert_to_tensor(self._embeddings)
        if self.quantization_mode == "int4":
            table = unpack_int4(table, self.output_dim, axis=-1)
            if not is_per_channel(self._int4_block_size):
                return ops.cast(dequantize_with_sz_map(table, self.embeddings_scale, self.embeddings_zero, self.g_idx,
                                                       group_axis=-1), self.compute_dtype)
        return ops.divide(ops.cast(table, self.compute_dtype), ops.expand_dims(self.embeddings_scale, -1))

    def _assign_table(self, values, scale, zero) -> None:
        self._embeddings.assign(values)
        self.embeddings_scale.assign(scale)
        if zero is not None:
            self.embeddings_zero.assign(zero)

    def _int8_build(self, shape, config=None) -> None:
        self._embeddings = self.add_weight(name="embeddings", shape=shape, initializer="zeros", dtype="int8",
                                           trainable=False)
        self.embeddings_scale = self.add_weight(name="embeddings_scale", shape=(self.input_dim,),
                                                initializer="ones", trainable=False)

    def _int4_build(self, shape, config=None) -> None:
        input_dim, output_dim = shape
        self._embeddings = self.add_weight(name="embeddings", shape=(input_dim, (output_dim + 1) // 2),
                                           initializer="zeros", dtype="int8", trainable=False)
        block_size = get_block_size_for_layer(self, config)
        self._int4_block_size = block_size
        scale_shape = (input_dim,) if is_per_channel(block_size) else (input_dim, -(-output_dim // block_size))
        self.embeddings_scale = self.add_weight(name="embeddings_scale", shape=scale_shape, initializer="ones",
                                                trainable=False)
        if not is_per_channel(block_size):
            self.embeddings_zero = self.add_weight(name="embeddings_zero", shape=scale_shape, initializer="zeros",
                                                   dtype="int8", trainable=False)
            self.g_idx = self.add_weight(name="g_idx", shape=(output_dim,), dtype="float32", trainable=False,
                                         initializer=lambda shape, dtype: ops.floor_divide(
                                             ops.arange(output_dim, dtype=dtype), block_size))
        self._orig_output_dim = output_dim

    def _int8_call(self, inputs, training=None):
        inputs = _ids(inputs)
        rows = ops.cast(ops.take(self._embeddings, inputs, axis=0), self.compute_dtype)
        outputs = ops.divide(rows, ops.expand_dims(ops.take(self.embeddings_scale, inputs, axis=0), -1))
        return self._add_lora_outputs(outputs, inputs, _lookup)

    def _int4_call(self, inputs, training=None):
        inputs = _ids(inputs)
        rows = ops.cast(ops.take(unpack_int4(self._embeddings, self.output_dim, axis=-1), inputs, axis=0),
                        self.compute_dtype)
        scale = ops.take(self.embeddings_scale, inputs, axis=0)
        if is_per_channel(self._int4_block_size):
            outputs = ops.divide(rows, ops.expand_dims(scale, -1))
        else:
            zero = ops.take(self.embeddings_zero, inputs, axis=0)
            outputs = dequantize_with_sz_map(rows, scale, zero, self.g_idx, group_axis=-1)
        return self._add_lora_outputs(outputs, inputs, _lookup)


class ReversibleEmbeddingQuantization(EmbeddingQuantization):
    """``EmbeddingQuantization`` plus the reverse projection (and the untied ``reverse_embeddings``)."""

    @property
    def variable_serialization_spec(self) -> dict:
        spec = super().variable_serialization_spec
        if not self.tie_weights:
            extra = {None: ["reverse_embeddings"], "int8": ["reverse_embeddings", "reverse_embeddings_scale"],
                     "int4": ["reverse_embeddings", "reverse_embeddings_scale", "reverse_embeddings_zero"]}
            spec = {mode: names + extra[mode] for mode, names in spec.items()}
        return spec

    def _quantize_weights(self, mode: str, config) -> None:
        if mode not in ("int8", "int4"):
            raise self._quantization_mode_error(mode)
        table = self._quantize_float_weight(mode, self._embeddings, config)
        reverse = None
        if not self.tie_weights:
            if mode == "int8":
                reverse = (*quantize_int8(self.reverse_embeddings, axis=0, config=config), None)
            else:
                reverse = quantize_int4(self.reverse_embeddings, axis=0, config=config, pack_axis=0)
            self._replace_weight("reverse_embeddings")
        self._replace_weight("_embeddings")
        self.quantized_build((self.input_dim, self.output_dim), mode, config)
        self._assign_table(*table)
        if reverse is not None:
            self.reverse_embeddings.assign(reverse[0])
            self.reverse_embeddings_scale.assign(reverse[1])
            if reverse[2] is not None:
                self.reverse_embeddings_zero.assign(reverse[2])

    def _build_reverse(self, shape, scale_shape, zero: bool, config) -> None:
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, AbsMaxQuantizer(axis=-1))
        if self.tie_weights:
            return
        self.reverse_embeddings = self.add_weight(name="reverse_embeddings", shape=shape, initializer="zeros",
                                                  dtype="int8", trainable=False)
        self.reverse_embeddings_scale = self.add_weight(name="reverse_embeddings_scale", shape=scale_shape,
                                                        initializer="ones", trainable=False)
        if zero:  # float, as Keras creates it
            self.reverse_embeddings_zero = self.add_weight(name="reverse_embeddings_zero", shape=scale_shape,
                                                           initializer="zeros", trainable=False)

    def _int8_build(self, shape, config=None) -> None:
        super()._int8_build(shape, config)
        self._build_reverse((self.output_dim, self.input_dim), (self.input_dim,), False, config)

    def _int4_build(self, shape, config=None) -> None:
        super()._int4_build(shape, config)
        block_size = self._int4_block_size
        grouped = not is_per_channel(block_size)
        scale_shape = (-(-self.output_dim // block_size), self.input_dim) if grouped else (self.input_dim,)
        self._build_reverse(((self.output_dim + 1) // 2, self.input_dim), scale_shape, grouped, config)

    def _reverse_inputs(self, inputs):
        if self.inputs_quantizer:
            return self.inputs_quantizer(inputs)
        return inputs, ops.ones((1,), dtype=self.compute_dtype)

    def _soft_cap(self, logits):
        if self.logit_soft_cap is None:
            return logits
        return ops.multiply(ops.tanh(ops.divide(logits, self.logit_soft_cap)), self.logit_soft_cap)

    def _int8_call(self, inputs, reverse: bool = False):
        if not reverse:
            return super()._int8_call(inputs)
        kernel, scale = ((ops.transpose(self._embeddings), self.embeddings_scale) if self.tie_weights
                         else (self.reverse_embeddings, self.reverse_embeddings_scale))
        inputs, inputs_scale = self._reverse_inputs(inputs)
        logits = ops.cast(ops.matmul(inputs, kernel), self.compute_dtype)
        return self._soft_cap(ops.divide(logits, ops.multiply(inputs_scale, scale)))

    def _int4_call(self, inputs, reverse: bool = False):
        if not reverse:
            return super()._int4_call(inputs)
        packed = ops.transpose(self._embeddings) if self.tie_weights else self.reverse_embeddings
        values = unpack_int4(packed, self.output_dim, axis=0)  # (output_dim, input_dim)
        inputs, inputs_scale = self._reverse_inputs(inputs)
        if is_per_channel(self._int4_block_size):
            scale = self.embeddings_scale if self.tie_weights else self.reverse_embeddings_scale
            logits = ops.cast(ops.matmul(inputs, values), self.compute_dtype)
            return self._soft_cap(ops.divide(logits, ops.multiply(inputs_scale, scale)))
        if self.tie_weights:
            scale, zero = ops.transpose(self.embeddings_scale), ops.transpose(self.embeddings_zero)
        else:
            scale, zero = self.reverse_embeddings_scale, self.reverse_embeddings_zero
        weights = dequantize_with_sz_map(ops.cast(values, self.compute_dtype), scale, zero, self.g_idx, group_axis=0)
        return self._soft_cap(ops.divide(ops.matmul(inputs, weights), inputs_scale))
