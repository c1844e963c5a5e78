"""``CalibratedQuantization``: the GPTQ and AWQ modes of ``Dense`` and ``EinsumDense`` — the variables calibration
fills and the forward pass on them, with Keras's names, shapes and file order.

``layer.quantize("gptq", config=GPTQConfig(...))`` (or ``"awq"``) keeps the float kernel and adds, for a kernel
seen as a matrix of ``rows`` input features by ``columns`` outputs (``calibration_matrix_shape``):

- ``quantized_kernel`` (named ``"kernel"``): uint8 ``(columns, rows)``, the integer levels ``[0, 2**bits - 1]``;
  4-bit levels are packed two a byte along the columns: ``(ceil(columns / 2), rows)``;
- ``kernel_scale`` ``(columns, groups)`` and ``kernel_zero`` uint8 ``(columns, groups)`` (``"zero_point"`` on
  ``EinsumDense``), one per group of ``group_size`` rows (one group for ``group_size=-1``);
- ``awq_scales`` ``(rows,)`` (AWQ only): the factors the weights were multiplied by before quantizing;
- ``g_idx`` float32 ``(rows,)``: the group of each row (its integer part).

Until calibration (``gptq.GPTQ`` / ``awq.AWQ``, run by ``Model.quantize``) fills them and sets
``is_gptq_calibrated`` / ``is_awq_calibrated``, the layer computes with its float kernel; then with
``transpose((q - zero[:, g_idx]) * scale[:, g_idx])`` (divided row-wise by ``awq_scales`` for AWQ), reshaped to
the kernel's shape. A file holds only the calibrated variables (``CALIBRATED_FILE_LAYOUT``, the order Keras
reads), so a loaded layer counts as calibrated.
"""

from __future__ import annotations

import math

from brickwork import ops
from brickwork.quantizers.int4_packing import unpack_int4
from brickwork.quantizers.quantizable_layer import QuantizableLayer
from brickwork.quantizers.quantizers import dequantize_with_sz_map

CALIBRATED_FILE_LAYOUT = {"gptq": ["bias", "quantized_kernel", "kernel_scale", "kernel_zero", "g_idx"],
                          "awq": ["bias", "quantized_kernel", "kernel_scale", "kernel_zero", "awq_scales", "g_idx"]}


def calibration_matrix_shape(kernel_shape) -> tuple[int, int]:
    """``(rows, columns)``: the kernel as the matrix GPTQ/AWQ quantize, inputs by outputs.

    A 2D kernel is itself; a 3D one is split where its largest axis says (Keras's rule, made for attention):
    ``(model_dim, heads, head_dim)`` when the largest axis is first (a query/key/value projection),
    ``(heads, head_dim, model_dim)`` otherwise (the output projection).
    """
    shape = [int(d) for d in kernel_shape]
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 3:
        if shape.index(max(shape)) == 0:
            return shape[0], shape[1] * shape[2]
        return shape[0] * shape[1], shape[2]
    raise ValueError(f"GPTQ and AWQ quantize 2D or 3D kernels; received a kernel of shape {tuple(shape)}.")


def calibration_setting(layer, config, mode: str, name: str) -> int:
    """``weight_bits`` or ``group_size`` of ``mode`` for ``layer``: from ``config`` when quantizing, else from the
    layer's ``GPTQDTypePolicy``/``AWQDTypePolicy`` (a layer built from a file)."""
    if config is not None and getattr(config, "mode", None) == mode:
        return getattr(config, name)
    policy = layer._own_policy()
    if policy.quantization_mode == mode and hasattr(policy, name):
        return getattr(policy, name)
    kind = mode.upper()
    raise ValueError(f"Layer {layer.name!r}: for {kind} quantization, `{name}` must come from a `{kind}Config` "
                     f"passed as `config` or from a `{kind}DTypePolicy`; the layer's policy is {policy.name!r}.")


class CalibratedQuantization(QuantizableLayer):
    """The ``gptq`` and ``awq`` modes (see the module docstring); a layer supplies ``_calibrated_product(inputs,
    kernel)`` (its matmul or einsum) and ``_finish`` (LoRA, bias, activation)."""

    is_gptq_calibrated = False
    is_awq_calibrated = False
    _zero_point_name = "kernel_zero"

    def _gptq_build(self, kernel_shape, config=None) -> None:
        self._calibrated_build("gptq", kernel_shape, config)

    def _awq_build(self, kernel_shape, config=None) -> None:
        self._calibrated_build("awq", kernel_shape, config)

    def _calibrated_build(self, mode: str, kernel_shape, config) -> None:
        rows, columns = calibration_matrix_shape(kernel_shape)
        bits = calibration_setting(self, config, mode, "weight_bits")
        group_size = calibration_setting(self, config, mode, "group_size")
        groups = 1 if group_size == -1 else math.ceil(rows / group_size)
        setattr(self, f"is_{mode}_calibrated", False)
        self.original_kernel_shape = tuple(int(d) for d in kernel_shape)
        self._calibrated_bits, self._calibrated_columns = bits, columns
        packed_columns = (columns + 1) // 2 if bits == 4 else columns
        self.quantized_kernel = self.add_weight(name="kernel", shape=(packed_columns, rows), initializer="zeros",
                                                dtype="uint8", trainable=False)
        self.kernel_scale = self.add_weight(name="kernel_scale", shape=(columns, groups), initializer="ones",
                                            trainable=False)
        self.kernel_zero = self.add_weight(name=self._zero_point_name, shape=(columns, groups),
                                           initializer="zeros", dtype="uint8", trainable=False)
        if mode == "awq":
            self.awq_scales = self.add_weight(name="awq_scales", shape=(rows,), initializer="ones", trainable=False)
        self.g_idx = self.add_weight(name="g_idx", shape=(rows,), initializer="zeros", dtype="float32",
                                     trainable=False)

    def _calibrated(self) -> bool:
        return bool(getattr(self, f"is_{self.quantization_mode}_calibrated", False))

    def _calibrated_levels(self):
        """The integer levels, ``(columns, rows)``: 4-bit ones unpacked."""
        if self._calibrated_bits != 4:
            return self.quantized_kernel
        return unpack_int4(self.quantized_kernel, self._calibrated_columns, axis=0, dtype="uint8")

    def _calibrated_kernel(self):
        """The float kernel, in its own shape, that the layer computes with: the float one until calibrated."""
        if not self._calibrated():
            return self._kernel
        scale = ops.convert_to_tensor(self.kernel_scale)
        levels = ops.cast(self._calibrated_levels(), scale.dtype)
        matrix = ops.transpose(dequantize_with_sz_map(levels, scale, self.kernel_zero, self.g_idx))
        if self.quantization_mode == "awq":
            matrix = ops.divide(matrix, ops.expand_dims(self.awq_scales, -1))
        return ops.reshape(matrix, self.original_kernel_shape)

    def _calibrated_call(self, inputs, training=None):
        return self._finish(self._calibrated_product(inputs, self._calibrated_kernel()), inputs)

    _gptq_call = _calibrated_call
    _awq_call = _calibrated_call

    def _calibrated_kernel_view(self):
        """What ``kernel`` shows in these modes (as Keras): the float kernel until calibrated, then the integer
        levels ``(columns, rows)``."""
        return self._calibrated_levels() if self._calibrated() else getattr(self, "_kernel", None)

    def load_own_variables(self, store) -> None:
        mode = self.quantization_mode
        if self.built and mode in CALIBRATED_FILE_LAYOUT and not self.lora_enabled:
            expected = [name for name, _ in self._file_variables()]
            if len(store) == len(expected) - 1:
                raise ValueError(
                    f"Layer {self.name!r} ({mode}): the file holds {len(store)} variables, one short of {expected}: "
                    "Keras 3.15.1 saves GPTQ/AWQ layers without their zero points (`kernel_zero`), which cannot be "
                    "recovered (Keras cannot load such a file either). Quantize the float model again, or save "
                    "it from brickwork.")
        super().load_own_variables(store)
        if self.built and self.quantization_mode in CALIBRATED_FILE_LAYOUT:
            setattr(self, f"is_{self.quantization_mode}_calibrated", True)  # files hold calibrated weights only
