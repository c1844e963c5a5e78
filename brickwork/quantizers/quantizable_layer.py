"""``QuantizableLayer``: what every quantizable layer shares — ``quantize``, the policy switch, the file layout.

A layer class derives from it and supplies, per mode, ``_<mode>_build`` (the quantized variables, named as
Keras names them), ``_<mode>_call`` (the forward pass on them), ``_quantize_float_weight(mode, weight, config)``
(``(values, scale, zero point or None)`` of a float weight) and ``_dequantized_weight()`` (the float weight
back), and ``variable_serialization_spec`` (the order of its variables in a weights file, per mode). The
weight is the one ``_lora_target`` names (``kernel``, stored at ``_kernel``), which LoRA adapts too. The
layer's ``call`` hands over to ``quantized_call`` when its policy is quantized. Everything else — validating
arguments, switching the dtype policy, the weights file's layout per mode (which ``LoRA``'s
``save_own_variables``/``load_own_variables`` write and read) — is here, written once.

Example:
>>> layer = Dense(4)
>>> layer.build((None, 8))
>>> layer.quantize("int8")          # kernel now int8 with one scale per output; policy "int8_from_float32"
>>> layer.dtype_policy.name
'int8_from_float32'
"""

from __future__ import annotations

from brickwork import dtype_policies, ops
from brickwork.dtype_policies.dtype_policy import QUANTIZATION_MODES
from brickwork.layers.layer import Layer
from brickwork.quantizers.lora import LoRA
from brickwork.quantizers.quantization_config import get_block_size_for_layer, validate_and_resolve_config

_CALIBRATED_MODES = ("gptq", "awq")  # their variables are filled by calibration (gptq.py, awq.py), not here


class QuantizableLayer(LoRA, Layer):
    """Base of layers that ``quantize(mode)`` supports: ``int8``, ``int4`` and ``float8`` (GPTQ and AWQ where the
    layer defines ``_gptq_build``/``_awq_build``), and ``enable_lora``."""

    _is_quantized = False
    quantization_config = None

    # ------------------------------------------------------------------ policy
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value) -> None:
        Layer.dtype_policy.fset(self, value)
        mode = self._dtype_policy.quantization_mode
        if mode is not None and self.built and not self._is_quantized:
            if mode in _CALIBRATED_MODES:
                raise ValueError(f"Layer {self.name!r}: Implicitly enabling {mode.upper()} quantization by setting "
                                 f"`dtype_policy` to {value!r} is not supported: {mode.upper()} needs calibration "
                                 f"data and a `{mode.upper()}Config`; call `.quantize({mode!r}, config=...)` on the "
                                 "layer or the model instead.")
            self.quantize(mode)

    def _dtype_policy_config(self) -> dict:
        if self._dtype_policy.quantization_mode is None:
            return super()._dtype_policy_config()
        return dtype_policies.serialize(self._dtype_policy)

    # ------------------------------------------------------------------ quantize
    def quantize(self, mode: str | None = None, type_check: bool = True, config=None) -> None:
        """Quantize this built layer's weights in place and switch its policy to ``"<mode>_from_<policy>"``.

        Args:
            mode: ``"int8"``, ``"int4"``, ``"float8"``, ``"gptq"`` or ``"awq"``. The last two only add the variables
                that calibration fills (``Model.quantize`` runs it; see ``gptq.py``/``awq.py``): until then the
                layer computes with its float weight.
            type_check: refuse subclasses, whose ``call`` may not match the quantized forward pass.
            config: a ``QuantizationConfig`` (weight / activation quantizers, int4 ``block_size``; a
                ``GPTQConfig``/``AWQConfig`` for those modes).
        """
        config = validate_and_resolve_config(mode, config)
        mode = config.mode
        self._check_quantize_args(mode)
        if type_check and not type(self).__module__.startswith("brickwork."):
            raise NotImplementedError(f"Layer {type(self).__name__} does not have a `quantize` method implemented: "
                                      "a subclass may change `call`, so only brickwork's own classes are quantized "
                                      "as they are; pass `type_check=False` if its `call` is the parent's.")
        if getattr(self, f"_{mode}_build", None) is None:
            raise self._quantization_mode_error(mode)
        self.quantization_config = config
        self._quantize_weights(mode, config)
        if self._dtype_policy.quantization_mode is None:
            name = mode
            if mode in _CALIBRATED_MODES:
                name = config.dtype_policy_string()
            elif mode == "int4":
                block_size = get_block_size_for_layer(self, config)
                name = f"int4/{-1 if block_size is None else block_size}"
            Layer.dtype_policy.fset(self, f"{name}_from_{self._dtype_policy.name}")

    def _check_quantize_args(self, mode: str) -> None:
        if not self.built:
            raise ValueError(f"Cannot quantize a layer that isn't yet built. Layer {self.name!r} (of type "
                             f"{type(self).__name__!r}) is not built yet: call it on data or build it first.")
        if self._is_quantized:
            raise ValueError(f"Layer {self.name!r} is already quantized with dtype_policy="
                             f"{self._dtype_policy.name!r}. Received: mode={mode!r}")
        if mode not in QUANTIZATION_MODES:
            raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. Received: "
                             f"mode={mode!r}")
        if mode == "int8" and self.compute_dtype == "float16":
            raise ValueError(f"Layer {self.name!r}: quantization mode='int8' doesn't work well with "
                             "compute_dtype='float16'; use a 'mixed_bfloat16' or 'float32' policy before quantizing.")

    def _quantize_weights(self, mode: str, config) -> None:
        """Replace the float weight by its quantized variables (float8 keeps it and adds its scales)."""
        attribute = "_" + self._lora_target
        shape = tuple(getattr(self, attribute).shape)
        if mode == "float8" or mode in _CALIBRATED_MODES:  # the float weight stays (until calibration, for these)
            self.quantized_build(shape, mode, config)
            return
        values, scale, zero = self._quantize_float_weight(mode, getattr(self, attribute), config)
        self._replace_weight(attribute)
        self.quantized_build(shape, mode, config)
        getattr(self, attribute).assign(values)
        getattr(self, f"{self._lora_target}_scale").assign(scale)
        if zero is not None:
            getattr(self, f"{self._lora_target}_zero").assign(zero)

    def _replace_weight(self, attribute: str) -> None:
        """Forget the float variable held in ``attribute`` (its quantized replacement is built next)."""
        variable = self.__dict__.pop(attribute)
        for tracked in (self._trainable_variables, self._non_trainable_variables):
            tracked[:] = [v for v in tracked if v is not variable]

    # ------------------------------------------------------------------ build / call
    def quantized_build(self, shape, mode: str, config=None) -> None:
        """Create the variables of ``mode`` for a float weight of ``shape``."""
        build = getattr(self, f"_{mode}_build", None) if mode in QUANTIZATION_MODES else None
        if build is None:
            raise self._quantization_mode_error(mode)
        build(shape, config)
        self._is_quantized = True

    def quantized_call(self, *args, **kwargs):
        """The forward pass of the policy's quantization mode."""
        mode = self.quantization_mode
        call = getattr(self, f"_{mode}_call", None) if mode in QUANTIZATION_MODES else None
        if call is None:
            raise self._quantization_mode_error(mode)
        return call(*args, **kwargs)

    def _quantization_mode_error(self, mode) -> NotImplementedError:
        return NotImplementedError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES} that "
                                   f"{type(self).__name__} implements. Received: quantization_mode={mode!r}")

    # ------------------------------------------------------------------ saving
    _private_weights = ()  # names whose variable lives at `_<name>` (Keras's `_kernel` behind `kernel`)

    def _has_own_file_layout(self) -> bool:
        return self.quantization_mode is not None or self.lora_enabled

    def _file_variables(self) -> list:
        """``(name, variable)`` in the order Keras writes them for the layer's mode (absent ones skipped)."""
        names = self.variable_serialization_spec.get(self.quantization_mode)
        if names is None:
            raise self._quantization_mode_error(self.quantization_mode)
        found = [(name, getattr(self, "_" + name, None) if name in self._private_weights else getattr(self, name, None))
                 for name in names]
        return [(name, variable) for name, variable in found if variable is not None]

    def _lora_merged_values(self) -> dict:
        """As ``LoRA``'s, quantized again after the merge for int8/int4 (the weight, its scale and zero point)."""
        if not self.lora_enabled or self.quantization_mode not in ("int8", "int4"):
            return super()._lora_merged_values()
        target = self._lora_target
        merged = ops.add(self._dequantized_weight(), self._lora_delta())
        values, scale, zero = self._quantize_float_weight(self.quantization_mode, merged, self.quantization_config)
        return {target: values, f"{target}_scale": scale, f"{target}_zero": zero}

    # ------------------------------------------------------------------ config
    def _quantization_config_json(self):
        from brickwork.saving import serialization_lib

        return serialization_lib.serialize_keras_object(self.quantization_config)

    @classmethod
    def from_config(cls, config: dict):
        from brickwork.saving import serialization_lib

        config = dict(config)
        config["quantization_config"] = serialization_lib.deserialize_keras_object(config.get("quantization_config"))
        if isinstance(config.get("dtype"), dict):
            policy = dtype_policies.get(config["dtype"])
            if policy.quantization_mode is not None:
                config["dtype"] = policy
        return super().from_config(config)
