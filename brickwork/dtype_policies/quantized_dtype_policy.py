"""Quantized dtype policies: ``"<mode>_from_<source policy>"`` (``"int8_from_float32"``).

The source policy gives the compute and variable dtypes of what stays in floats; the mode says how the
layer's main weights are stored. Names and configs are Keras's, so quantized ``.keras`` files move both ways.

Example:
>>> policy = get_quantized_policy("int4/64_from_mixed_bfloat16")
>>> type(policy).__name__, policy.block_size, policy.compute_dtype
('Int4DTypePolicy', 64, 'bfloat16')
"""

from __future__ import annotations

from brickwork.dtype_policies.dtype_policy import QUANTIZATION_MODES, DTypePolicy, dtype_policy


class QuantizedDTypePolicy(DTypePolicy):
    """A quantized policy: ``mode`` (``"int8"``, ``"int4"``, …) over the float policy ``source_name``.

    Args:
        mode: the quantization mode.
        source_name: the float policy name (default: the global policy's).

    Example:
    >>> QuantizedDTypePolicy("int8", "mixed_bfloat16").name   # 'int8_from_mixed_bfloat16'
    """

    def __init__(self, mode: str, source_name: str | None = None):
        source_name = dtype_policy().name if source_name is None else source_name
        self._compute_dtype, self._variable_dtype = self._parse_name(source_name)
        if mode not in QUANTIZATION_MODES:
            raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. Received: "
                             f"mode={mode!r}")
        if mode == "int8" and self._compute_dtype == "float16":
            raise ValueError("QuantizedDTypePolicy: quantization mode='int8' doesn't work well with "
                             "compute_dtype='float16' (int8 scales overflow it); use 'mixed_bfloat16' or 'float32'.")
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    quantization_mode = property(lambda self: self._quantization_mode)
    source_name = property(lambda self: self._source_name)

    def get_config(self) -> dict:
        return {"mode": self._quantization_mode, "source_name": self._source_name}

    def __eq__(self, other):
        return type(other) is type(self) and other.get_config() == self.get_config()

    def __hash__(self):
        return hash((type(self).__name__, self._name))


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """Float8 training policy; ``amax_history_length`` is the window of the delayed-scaling statistics.

    Args:
        mode: ``"float8"``.
        source_name: the float policy the quantized weights are computed in (``"float32"``, ``"mixed_bfloat16"``,
            …); ``None`` (default) takes the global policy's name.
        amax_history_length: how many past steps' absolute maxima the delayed scaling keeps (default 1024).

    Example:
    >>> QuantizedFloat8DTypePolicy("float8", "float32", amax_history_length=512).amax_history_length
    """

    default_amax_history_length = 1024

    def __init__(self, mode: str, source_name: str | None = None, amax_history_length: int = 1024):
        super().__init__(mode, source_name)
        if isinstance(amax_history_length, bool) or not isinstance(amax_history_length, int):
            raise TypeError("QuantizedFloat8DTypePolicy: `amax_history_length` must be an integer. Received: "
                            f"amax_history_length={amax_history_length!r}")
        self._amax_history_length = amax_history_length

    amax_history_length = property(lambda self: self._amax_history_length)

    def get_config(self) -> dict:
        return {**super().get_config(), "amax_history_length": self._amax_history_length}


def _split_mode(cls_name: str, mode: str, base: str, fields: tuple) -> list:
    """The integers after ``base/`` in ``mode`` (``"gptq/4/128"`` -> ``[4, 128]``)."""
    expected = "'" + "/".join([base] + [f"<{f}>" for f in fields]) + "'"
    parts = mode.split("/") if isinstance(mode, str) else []
    if len(parts) != len(fields) + 1 or parts[0] != base:
        raise ValueError(f"Invalid mode for {cls_name}. Expected format {expected}, but got {mode!r}.")
    try:
        return [int(part) for part in parts[1:]]
    except ValueError:
        raise ValueError(f"Invalid mode for {cls_name}: the fields must be integers. Expected format {expected}, "
                         f"but got {mode!r}.") from None


def _check_group(what: str, value: int, mode: str) -> None:
    if value < -1 or value == 0:
        raise ValueError(f"Invalid {what} in mode {mode!r}: supported values are -1 or a positive integer, "
                         f"received {value}.")


class Int4DTypePolicy(QuantizedDTypePolicy):
    """Int4 policy carrying the block size: mode ``"int4/<block_size>"`` (``-1``: one scale per channel).

    Args:
        mode: ``"int4/<block_size>"``: the number of weights sharing one scale along the input axis, or -1 for one
            scale per output channel.
        source_name: the float policy the quantized weights are computed in (``"float32"``, ``"mixed_bfloat16"``,
            …); ``None`` (default) takes the global policy's name.

    Example:
    >>> Int4DTypePolicy("int4/128", "float32").block_size   # 128
    """

    def __init__(self, mode: str, source_name: str | None = None):
        (block_size,) = _split_mode("Int4DTypePolicy", mode, "int4", ("block_size",))
        _check_group("block_size", block_size, mode)
        super().__init__("int4", source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def get_config(self) -> dict:
        return {"mode": f"int4/{self.block_size}", "source_name": self._source_name}


class GPTQDTypePolicy(QuantizedDTypePolicy):
    """GPTQ policy: mode ``"gptq/<weight_bits>/<group_size>"`` (bits 2, 3, 4 or 8; group ``-1`` or positive).

    Args:
        mode: ``"gptq/<weight_bits>/<group_size>"``: bits per weight (2, 3, 4 or 8) and the number of weights
            sharing one scale (-1 for a whole channel).
        source_name: the float policy the quantized weights are computed in (``"float32"``, ``"mixed_bfloat16"``,
            …); ``None`` (default) takes the global policy's name.

    Example:
    >>> GPTQDTypePolicy("gptq/4/128", "float32").weight_bits   # 4
    """

    def __init__(self, mode: str, source_name: str | None = None):
        weight_bits, group_size = _split_mode("GPTQDTypePolicy", mode, "gptq", ("weight_bits", "group_size"))
        if weight_bits not in (2, 3, 4, 8):
            raise ValueError(f"Invalid weight_bits in mode {mode!r}: supported values are 2, 3, 4 and 8, "
                             f"received {weight_bits}.")
        _check_group("group_size", group_size, mode)
        super().__init__("gptq", source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode, self.weight_bits, self.group_size = "gptq", weight_bits, group_size

    def get_config(self) -> dict:
        return {"mode": f"gptq/{self.weight_bits}/{self.group_size}", "source_name": self._source_name}


class AWQDTypePolicy(QuantizedDTypePolicy):
    """AWQ policy: mode ``"awq/4/<group_size>"`` (AWQ only supports 4-bit weights).

    Args:
        mode: ``"awq/4/<group_size>"``: 4-bit weights, and the number sharing one scale (-1 for a whole channel).
        source_name: the float policy the quantized weights are computed in (``"float32"``, ``"mixed_bfloat16"``,
            …); ``None`` (default) takes the global policy's name.

    Example:
    >>> AWQDTypePolicy("awq/4/128", "float32").group_size   # 128
    """

    def __init__(self, mode: str, source_name: str | None = None):
        weight_bits, group_size = _split_mode("AWQDTypePolicy", mode, "awq", ("weight_bits", "group_size"))
        if weight_bits != 4:
            raise ValueError(f"Invalid weight_bits in mode {mode!r}: AWQ only supports 4-bit quantization, "
                             f"received {weight_bits}.")
        _check_group("group_size", group_size, mode)
        super().__init__("awq", source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode, self.weight_bits, self.group_size = "awq", weight_bits, group_size

    def get_config(self) -> dict:
        return {"mode": f"awq/{self.weight_bits}/{self.group_size}", "source_name": self._source_name}


def get_quantized_policy(name: str) -> QuantizedDTypePolicy:
    """The quantized policy named ``"<mode>_from_<source>"`` (the class follows the mode)."""
    if not isinstance(name, str):
        raise TypeError(f"`policy` must be a string. Received: policy={name!r}")
    if not name.startswith(QUANTIZATION_MODES):
        raise ValueError(f"`policy` {name!r} is incompatible with the current supported quantization modes "
                         f"{QUANTIZATION_MODES}.")
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError(f"Cannot convert `policy` into a valid pair (`mode`, `source_name`) of a quantized policy: "
                         f"expected '<mode>_from_<source policy>'. Received: policy={name!r}")
    mode, source_name = parts
    if mode.startswith("int4/"):
        return Int4DTypePolicy(mode, source_name)
    if mode.startswith("gptq"):
        return GPTQDTypePolicy(mode, source_name)
    if mode.startswith("awq"):
        return AWQDTypePolicy(mode, source_name)
    if mode == "float8":
        return QuantizedFloat8DTypePolicy(mode, source_name)
    return QuantizedDTypePolicy(mode, source_name)


_get_quantized_dtype_policy_by_str = get_quantized_policy  # the name Keras's own tests import
