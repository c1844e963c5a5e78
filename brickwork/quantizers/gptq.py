"""GPTQ: post-training quantization of weights that corrects each rounding with the inputs' second moments.

A layer's weights ``W`` (outputs by inputs) are quantized one input column at a time. With ``H = 2 X^T X / n``
the Hessian of the layer's squared output error over the calibration inputs ``X``, the rounding error ``e`` of
column ``j`` is spread over the columns not yet quantized: ``W[:, k] -= e * Hinv[j, k] / Hinv[j, j]``. Columns
go in blocks: inside a block the update is immediate, across blocks it is applied once per block (a matrix
product). This follows Keras 3.15.1's arithmetic step for step (it inverts the damped Hessian directly), so the
integers, scales and zero points equal Keras's on the same weights and data.

See Frantar et al., "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers" (2022).

Example:
>>> layer = Dense(32); layer.build((None, 16))
>>> config = GPTQConfig(dataset=None, tokenizer=None, weight_bits=4, group_size=-1)
>>> layer.quantize("gptq", config=config)        # adds the variables calibration fills
>>> gptq = GPTQ(layer, config)
>>> gptq.update_hessian_with_batch(np.random.randn(128, 16).astype("float32"))
>>> gptq.quantize_and_correct_layer()             # the layer now computes with its 4-bit weights
"""

from __future__ import annotations

import types

from brickwork import ops
from brickwork.quantizers.calibrated_quantization import (
    CalibratedQuantization,
    calibration_matrix_shape,
    calibration_setting,
)
from brickwork.quantizers.calibration import (  # noqa: F401  (Keras's gptq_core holds these names too)
    calibrate_blocks,
    find_layers_in_block,
    get_dataloader,
)
from brickwork.quantizers.gptq_config import GPTQConfig
from brickwork.quantizers.int4_packing import pack_int4
from brickwork.quantizers.model_quantization import MISSING_STRUCTURE
from brickwork.quantizers.quantizers import (
    GPTQQuantizer,
    compute_quantization_parameters,
    dequantize_with_zero_point,
    quantize_with_zero_point,
)


def _stable_permutation(metric):
    """The order sorting ``metric`` (a vector) from largest to smallest, ties broken by position (Keras's tiny
    index jitter, so the order is the same as Keras's)."""
    size = int(metric.shape[0])
    jitter = ops.divide(ops.arange(size, dtype="float32"), ops.cast(size, "float32"))
    return ops.argsort(ops.negative(ops.add(metric, ops.multiply(jitter, 1e-12))))


def gptq_quantize_matrix(weights_transpose, inv_hessian, *, blocksize: int = 128, group_size: int = -1,
                         activation_order: bool = False, order_metric=None,
                         compute_scale_zero=compute_quantization_parameters):
    """Quantize ``weights_transpose`` (``(out_features, in_features)``) column by column with error feedback.

    Args:
        weights_transpose: the weights, outputs by inputs.
        inv_hessian: the inverse of the (damped) Hessian, ``(in_features, in_features)``.
        blocksize: columns per block of immediate updates.
        group_size: input columns sharing a scale and zero point (``-1``: all of them).
        activation_order: quantize the columns in decreasing ``order_metric`` (the results come back in the
            original order).
        order_metric: the importance of each input (default ``1 / diag(inv_hessian)``).
        compute_scale_zero: ``slice -> (scale, zero, maxq)`` for the columns of one group.

    Returns:
        ``(quantized, scale, zero, g_idx)``: int32 levels ``(out_features, in_features)``; ``scale`` and ``zero``
        ``(out_features, groups)``; float32 ``g_idx`` ``(in_features,)``, each input's group in its integer part
        (``column / group_size``, as Keras stores it).
    """
    in_features = int(weights_transpose.shape[1])
    inverse_permutation = None
    if activation_order:
        if order_metric is None:
            order_metric = ops.reciprocal(ops.add(ops.diagonal(inv_hessian), 1e-12))
        else:
            order_metric = ops.cast(order_metric, "float32")
            order_metric = ops.where(ops.isfinite(order_metric), order_metric, ops.zeros_like(order_metric))
        permutation = _stable_permutation(order_metric)
        inverse_permutation = ops.argsort(permutation)
        weights_transpose = ops.take(weights_transpose, permutation, axis=1)
        inv_hessian = ops.take(ops.take(inv_hessian, permutation, axis=0), permutation, axis=1)

    group = in_features if group_size == -1 else group_size
    weights = weights_transpose  # updated once per block, from the blocks before
    levels, scales, zeros = [], [], []
    params, params_start = None, -1
    for start in range(0, in_features, blocksize):
        end = min(start + blocksize, in_features)
        block = weights[:, start:end]  # updated after every column of the block
        block_inverse = inv_hessian[start:end, start:end]
        errors = []
        for offset in range(end - start):
            column_index = start + offset
            group_start = column_index // group * group
            if group_start != params_start:  # a new group: its parameters from the weights as they are now
                params = compute_scale_zero(weights[:, group_start:min(group_start + group, in_features)])
                scales.append(params[0])
                zeros.append(params[1])
                params_start = group_start
            scale, zero, maxq = params
            column = block[:, offset]
            quantized = quantize_with_zero_point(ops.expand_dims(column, 1), scale, zero, maxq)
            levels.append(ops.cast(quantized[:, 0], "int32"))
            error = ops.divide(ops.subtract(column, dequantize_with_zero_point(quantized, scale, zero)[:, 0]),
                               block_inverse[offset, offset])
            errors.append(error)
            if offset < end - start - 1:
                update = ops.multiply(ops.expand_dims(error, 1), ops.expand_dims(block_inverse[offset, offset + 1:], 0))
                block = ops.slice_update(block, (0, offset + 1), ops.subtract(block[:, offset + 1:], update))
        if end < in_features:
            spread = ops.matmul(ops.stack(errors, axis=1), inv_hessian[start:end, end:])
            weights = ops.concatenate([weights[:, :end], ops.subtract(weights[:, end:], spread)], axis=1)

    quantized = ops.stack(levels, axis=1)
    g_idx = ops.divide(ops.arange(in_features, dtype="float32"), ops.cast(group, "float32"))
    if inverse_permutation is not None:
        g_idx = ops.take(g_idx, inverse_permutation, axis=0)
        quantized = ops.take(quantized, inverse_permutation, axis=1)
    return quantized, ops.concatenate(scales, axis=1), ops.concatenate(zeros, axis=1), g_idx


class GPTQ:
    """GPTQ for one ``Dense`` or ``EinsumDense`` layer: gathers its Hessian from inputs, then quantizes it.

    Args:
        layer: the layer; ``quantize("gptq", config)`` must have given it its variables before
            ``quantize_and_correct_layer``.
        config: the ``GPTQConfig``.

    Attributes:
        rows, columns: the kernel seen as a matrix, inputs by outputs (``calibration_matrix_shape``).
        hessian: ``(rows, rows)`` float32, ``2 X^T X / n`` over the ``num_samples`` input rows seen.
    """

    def __init__(self, layer, config: GPTQConfig | None = None):
        config = GPTQConfig(tokenizer=None, dataset=None) if config is None else config
        if not isinstance(layer, CalibratedQuantization) or len(layer.kernel.shape) not in (2, 3):
            raise TypeError(f"Unsupported layer type for GPTQ: {type(layer)}; GPTQ quantizes Dense and EinsumDense "
                            "layers with a 2D or 3D kernel.")
        self.original_layer, self.config, self.num_samples = layer, config, 0
        self.quantizer = GPTQQuantizer(config, compute_dtype=layer.variable_dtype)
        self.kernel_shape = tuple(layer.kernel.shape)
        self.rows, self.columns = calibration_matrix_shape(self.kernel_shape)
        self.layer = types.SimpleNamespace(kernel=ops.reshape(layer.kernel, (self.rows, self.columns)))
        self.hessian = ops.zeros((self.rows, self.rows), dtype="float32")

    def update_hessian_with_batch(self, input_batch) -> None:
        """Fold a batch of the layer's inputs (``(..., rows)``) into the running mean ``2 X^T X / n``."""
        if input_batch is None:
            raise ValueError("GPTQ: the input tensor cannot be None.")
        if len(input_batch.shape) < 2:
            raise ValueError(f"GPTQ: the input tensor must have rank >= 2 (got rank {len(input_batch.shape)}).")
        if ops.size(input_batch) == 0:
            raise ValueError("GPTQ: the input tensor cannot be empty.")
        x = ops.cast(ops.reshape(input_batch, (-1, input_batch.shape[-1])), "float32")
        if int(x.shape[-1]) != self.rows:
            raise ValueError(f"GPTQ: Hessian dimensions ({self.rows}) do not match input features "
                             f"({int(x.shape[-1])}).")
        new_samples = int(x.shape[0])
        total = self.num_samples + new_samples
        gram = ops.matmul(ops.transpose(x), x)
        gram = ops.divide(ops.add(gram, ops.transpose(gram)), 2.0)  # exactly symmetric
        if self.num_samples > 0:
            self.hessian = ops.multiply(self.hessian, ops.cast(self.num_samples / total, "float32"))
        self.hessian = ops.add(self.hessian, ops.multiply(ops.cast(2.0 / total, "float32"), gram))
        self.num_samples = total

    def observe(self, inputs) -> None:
        """What ``calibrate_blocks`` calls with the layer's inputs: ``update_hessian_with_batch``."""
        self.update_hessian_with_batch(inputs)

    def quantize_and_correct_layer(self, blocksize: int = 128) -> None:
        """Quantize the layer's kernel with GPTQ and store it in the layer's GPTQ variables (its float kernel goes).

        The Hessian's diagonal is damped by ``hessian_damping`` times its mean (inputs never seen get 1), and
        inverted; ``gptq_quantize_matrix`` does the rest.
        """
        layer = self.original_layer
        diagonal = ops.diagonal(self.hessian)
        diagonal = ops.where(ops.equal(diagonal, 0.0), 1.0, diagonal)  # inputs that were always zero
        diagonal = ops.add(diagonal, ops.multiply(self.config.hessian_damping, ops.mean(diagonal)))
        hessian = ops.where(ops.eye(self.rows, dtype="bool"), ops.diag(diagonal), self.hessian)
        quantized, scale, zero, g_idx = gptq_quantize_matrix(
            ops.transpose(self.layer.kernel), ops.linalg.inv(hessian), blocksize=blocksize,
            group_size=self.config.group_size, activation_order=self.config.activation_order,
            order_metric=ops.diagonal(hessian), compute_scale_zero=self.quantizer.find_params)
        quantized = ops.cast(quantized, layer.quantized_kernel.dtype)
        if self.config.weight_bits == 4:
            quantized, _, _ = pack_int4(quantized, axis=0, dtype="uint8")
        if "_kernel" in layer.__dict__:
            del layer._kernel
        layer.quantized_kernel.assign(quantized)
        layer.kernel_scale.assign(scale)
        layer.kernel_zero.assign(zero)
        layer.g_idx.assign(g_idx)
        layer.is_gptq_calibrated = True

    def apply(self) -> None:
        """What ``calibrate_blocks`` calls once the block's samples are seen: ``quantize_and_correct_layer``."""
        self.quantize_and_correct_layer()

    def free(self) -> None:
        """Drop the Hessian and the kernel copy."""
        del self.hessian
        del self.layer


def gptq_quantize(config: GPTQConfig, quantization_layer_structure: dict | None, filters=None) -> None:
    """Calibrate with GPTQ the layers of ``quantization_layer_structure``'s blocks on ``config``'s dataset (the
    layers must be in ``"gptq"`` mode already: ``Model.quantize("gptq", config)`` does both)."""
    if config.dataset is None or config.tokenizer is None:
        raise ValueError("GPTQ quantization requires a dataset and a tokenizer. Please provide them in the "
                         "`GPTQConfig`.")
    if quantization_layer_structure is None:
        raise ValueError("For 'gptq' mode, " + MISSING_STRUCTURE)
    samples = get_dataloader(config.tokenizer, config.sequence_length, config.dataset, num_samples=config.num_samples)
    calibrate_blocks(samples[:config.num_samples], config, quantization_layer_structure, GPTQ, filters=filters)


def get_weight_bits_for_layer(layer, config) -> int:
    """The GPTQ ``weight_bits`` of ``layer``: from ``config`` when quantizing, else from its ``GPTQDTypePolicy``."""
    return calibration_setting(layer, config, "gptq", "weight_bits")


def get_group_size_for_layer(layer, config) -> int:
    """The GPTQ ``group_size`` of ``layer``: from ``config`` when quantizing, else from its ``GPTQDTypePolicy``."""
    return calibration_setting(layer, config, "gptq", "group_size")
