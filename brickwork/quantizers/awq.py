"""AWQ: activation-aware 4-bit quantization of weights.

Inputs that are often large make the rounding error of their weights matter most. AWQ multiplies each input's
weights by a factor ``s = x_max ** ratio`` (``x_max`` the input's largest magnitude over the calibration data,
normalized by the geometric middle of the factors) before quantizing, and divides the dequantized weights by it
afterwards, so large-input weights are rounded on a finer grid. The ``ratio`` is searched on a grid in
``[0, 1]`` for the smallest error ``mean((W - W_hat)^2 * x_max^2)``. The arithmetic follows Keras 3.15.1 step
for step, so the results equal Keras's on the same weights and data.

See Lin et al., "AWQ: Activation-aware Weight Quantization for LLM Compression and Acceleration" (2023).

Example:
>>> layer = Dense(32); layer.build((None, 16))
>>> config = AWQConfig(dataset=None, tokenizer=None, group_size=-1)
>>> layer.quantize("awq", config=config)
>>> awq = AWQ(layer, config)
>>> awq.update_activation_magnitudes(np.random.randn(64, 16).astype("float32"))
>>> awq.quantize_layer()
"""

from __future__ import annotations

import types

from brickwork import ops
from brickwork.quantizers.awq_config import AWQConfig
from brickwork.quantizers.calibrated_quantization import (
    CalibratedQuantization,
    calibration_matrix_shape,
    calibration_setting,
)
from brickwork.quantizers.calibration import (  # noqa: F401  (Keras's awq_core holds these names too)
    calibrate_blocks,
    find_layers_in_block,
    get_dataloader,
)
from brickwork.quantizers.int4_packing import pack_int4
from brickwork.quantizers.model_quantization import MISSING_STRUCTURE
from brickwork.quantizers.quantizers import (
    compute_quantization_parameters,
    dequantize_with_sz_map,
    dequantize_with_zero_point,
    quantize_with_sz_map,
    quantize_with_zero_point,
)


def _quantize_4bit(weights, group_size: int):
    """``(levels, scale, zero, g_idx)``: asymmetric 4-bit levels of ``weights`` (outputs by inputs), per output
    row or per group of ``group_size`` inputs (``g_idx`` int32 then, else ``None``)."""
    scale, zero, maxq = compute_quantization_parameters(weights, bits=4, symmetric=False, per_channel=True,
                                                        group_size=group_size, compute_dtype="float32")
    if group_size == -1:
        return quantize_with_zero_point(weights, scale, zero, maxq), scale, zero, None
    g_idx = ops.floor_divide(ops.arange(int(weights.shape[1]), dtype="int32"), group_size)
    return quantize_with_sz_map(weights, scale, zero, g_idx, maxq), scale, zero, g_idx


def awq_search_optimal_scales(weights, activation_magnitudes, *, num_grid_points: int = 20, group_size: int = -1):
    """The per-input factors (``(in_features,)``) that minimize the activation-weighted rounding error of
    ``weights`` (``(out_features, in_features)``), searched over ``num_grid_points + 1`` ratios in ``[0, 1]``."""
    weights = ops.convert_to_tensor(weights)
    x_max = ops.cast(activation_magnitudes, "float32")
    x_max = ops.where(ops.less(x_max, 1e-8), ops.ones_like(x_max), x_max)  # inputs never (or barely) active
    importance = ops.square(x_max)
    best_loss, best_scales = None, None
    for step in range(num_grid_points + 1):
        ratio = step / num_grid_points
        scales = ops.ones_like(x_max) if ratio == 0 else ops.power(x_max, ratio)
        scales = ops.maximum(scales, 1e-4)
        middle = ops.maximum(ops.sqrt(ops.multiply(ops.max(scales), ops.min(scales))), 1e-8)
        scales = ops.divide(scales, middle)
        scaled = ops.multiply(weights, scales)
        levels, scale, zero, g_idx = _quantize_4bit(scaled, group_size)
        if g_idx is None:
            dequantized = dequantize_with_zero_point(levels, scale, zero)
        else:
            dequantized = dequantize_with_sz_map(levels, scale, zero, g_idx)
        error = ops.square(ops.subtract(weights, ops.divide(dequantized, scales)))
        loss = ops.mean(ops.multiply(error, importance))
        if best_loss is None or bool(ops.less(loss, best_loss)):
            best_loss, best_scales = loss, scales
    return best_scales


def awq_quantize_matrix(weights_transpose, activation_magnitudes, *, num_grid_points: int = 20,
                        group_size: int = -1):
    """AWQ of ``weights_transpose`` (``(out_features, in_features)``).

    Returns:
        ``(quantized, scale, zero, awq_scales, g_idx)``: the levels ``[0, 15]`` (float, outputs by inputs);
        ``scale`` and uint8 ``zero`` ``(out_features, groups)``; the searched ``awq_scales`` ``(in_features,)``;
        float32 ``g_idx`` ``(in_features,)`` (all zero per channel).
    """
    weights_transpose = ops.convert_to_tensor(weights_transpose)
    awq_scales = awq_search_optimal_scales(weights_transpose, activation_magnitudes,
                                           num_grid_points=num_grid_points, group_size=group_size)
    quantized, scale, zero, g_idx = _quantize_4bit(ops.multiply(weights_transpose, awq_scales), group_size)
    in_features = int(weights_transpose.shape[1])
    g_idx = ops.zeros((in_features,), dtype="float32") if g_idx is None else ops.cast(g_idx, "float32")
    return quantized, scale, zero, awq_scales, g_idx


class AWQ:
    """AWQ for one ``Dense`` or ``EinsumDense`` layer: tracks its inputs' largest magnitudes, then quantizes it.

    Args:
        layer: the layer; ``quantize("awq", config)`` must have given it its variables before ``quantize_layer``.
        config: the ``AWQConfig``.

    Attributes:
        rows, columns: the kernel seen as a matrix, inputs by outputs (``calibration_matrix_shape``).
        activation_magnitudes: ``(rows,)`` float32, the largest ``|x|`` of each input seen.
    """

    def __init__(self, layer, config: AWQConfig | None = None):
        if not isinstance(layer, CalibratedQuantization) or len(layer.kernel.shape) not in (2, 3):
            raise TypeError(f"Unsupported layer type for AWQ: {type(layer)}; AWQ quantizes Dense and EinsumDense "
                            "layers with a 2D or 3D kernel.")
        self.original_layer, self.num_samples = layer, 0
        self.config = AWQConfig(dataset=None, tokenizer=None) if config is None else config
        self.kernel_shape = tuple(layer.kernel.shape)
        self.rows, self.columns = calibration_matrix_shape(self.kernel_shape)
        self.layer = types.SimpleNamespace(kernel=ops.reshape(layer.kernel, (self.rows, self.columns)))
        self.activation_magnitudes = ops.zeros((self.rows,), dtype="float32")

    def update_activation_magnitudes(self, input_batch) -> None:
        """Fold a batch of the layer's inputs (``(..., rows)``) into the running per-input max of ``|x|``."""
        if input_batch is None:
            raise ValueError("AWQ: the input tensor cannot be None.")
        if ops.size(input_batch) == 0:
            raise ValueError("AWQ: the input tensor cannot be empty.")
        x = ops.cast(ops.reshape(input_batch, (-1, input_batch.shape[-1])), "float32")
        if int(x.shape[-1]) != self.rows:
            raise ValueError(f"AWQ: the inputs have {int(x.shape[-1])} features; the layer takes {self.rows}.")
        self.activation_magnitudes = ops.maximum(self.activation_magnitudes, ops.max(ops.abs(x), axis=0))
        self.num_samples += int(x.shape[0])

    def observe(self, inputs) -> None:
        """What ``calibrate_blocks`` calls with the layer's inputs: ``update_activation_magnitudes``."""
        self.update_activation_magnitudes(inputs)

    def quantize_layer(self) -> None:
        """Quantize the layer's kernel with AWQ into its AWQ variables (its float kernel goes)."""
        layer = self.original_layer
        quantized, scale, zero, awq_scales, g_idx = awq_quantize_matrix(
            ops.transpose(self.layer.kernel), self.activation_magnitudes,
            num_grid_points=self.config.num_grid_points, group_size=self.config.group_size)
        packed, _, _ = pack_int4(ops.cast(quantized, "uint8"), axis=0, dtype="uint8")
        if "_kernel" in layer.__dict__:
            del layer._kernel
        layer.quantized_kernel.assign(packed)
        layer.kernel_scale.assign(scale)
        layer.kernel_zero.assign(zero)
        layer.awq_scales.assign(awq_scales)
        layer.g_idx.assign(g_idx)
        layer.is_awq_calibrated = True

    def apply(self) -> None:
        """What ``calibrate_blocks`` calls once the block's samples are seen: ``quantize_layer``."""
        self.quantize_layer()

    def free(self) -> None:
        """Drop the statistics and the kernel copy."""
        del self.activation_magnitudes
        del self.layer


def awq_quantize(config: AWQConfig, quantization_layer_structure: dict | None, filters=None) -> None:
    """Calibrate with AWQ the layers of ``quantization_layer_structure``'s blocks on ``config``'s dataset (the
    layers must be in ``"awq"`` mode already: ``Model.quantize("awq", config)`` does both)."""
    if config.dataset is None or config.tokenizer is None:
        raise ValueError("AWQ quantization requires a dataset and tokenizer. Please provide them in the AWQConfig.")
    if quantization_layer_structure is None:
        raise ValueError("For 'awq' mode, " + MISSING_STRUCTURE)
    samples = get_dataloader(config.tokenizer, config.sequence_length, config.dataset, num_samples=config.num_samples)
    calibrate_blocks(samples[:config.num_samples], config, quantization_layer_structure, AWQ, filters=filters)


def get_group_size_for_layer(layer, config) -> int:
    """The AWQ ``group_size`` of ``layer``: from ``config`` when quantizing, else from its ``AWQDTypePolicy``."""
    return calibration_setting(layer, config, "awq", "group_size")
