"""Quantization configs: which mode ``quantize`` applies, and with which weight and activation quantizers.

Example:
>>> config = Int8QuantizationConfig(weight_quantizer=AbsMaxQuantizer(axis=0))
>>> model.quantize(config=config)          # the same as model.quantize("int8") with the defaults
"""

from __future__ import annotations

from brickwork.dtype_policies.dtype_policy import QUANTIZATION_MODES


def _serialize(value):
    from brickwork.saving import serialization_lib

    return serialization_lib.serialize_keras_object(value)


def _deserialize(value):
    from brickwork.saving import serialization_lib

    return serialization_lib.deserialize_keras_object(value)


class QuantizationConfig:
    """Base class of quantization configs: a ``mode`` and optional weight / activation quantizers.

    Args:
        weight_quantizer: the quantizer of the weights (``None``: the mode's default).
        activation_quantizer: the quantizer of the inputs (``None``: weight-only quantization).

    Example:
    >>> config = Int8QuantizationConfig()   # a subclass: int8 weights with the default quantizers
    >>> isinstance(config, QuantizationConfig), config.mode   # (True, 'int8')
    """

    def __init__(self, weight_quantizer=None, activation_quantizer=None):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self) -> str:
        raise NotImplementedError("Do not instantiate QuantizationConfig directly: its subclasses define `mode`; "
                                  "use Int8QuantizationConfig, Int4QuantizationConfig, Float8QuantizationConfig, "
                                  "GPTQConfig or AWQConfig.")

    def get_config(self) -> dict:
        return {"weight_quantizer": _serialize(self.weight_quantizer),
                "activation_quantizer": _serialize(self.activation_quantizer)}

    @classmethod
    def from_config(cls, config: dict):
        return cls(weight_quantizer=_deserialize(config.get("weight_quantizer")),
                   activation_quantizer=_deserialize(config.get("activation_quantizer")))

    @staticmethod
    def weight_quantizer_or_default(config, default):
        """``config``'s weight quantizer, or ``default`` when there is no config or it names none."""
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config, default):
        """``config``'s activation quantizer (``None`` included: weight-only), or ``default`` without a config."""
        return config.activation_quantizer if config is not None else default


class Int8QuantizationConfig(QuantizationConfig):
    """Int8 weights (abs-max per output channel); inputs quantized per row unless ``activation_quantizer=None``.

    Args:
        weight_quantizer: an int8 quantizer for the weights (default ``AbsMaxQuantizer(axis=0)``).
        activation_quantizer: ``"default"`` (``AbsMaxQuantizer()``), a quantizer, or ``None``.

    Example:
    >>> layer = keras.layers.Dense(4)
    >>> layer.build((None, 8))
    >>> layer.quantize(config=Int8QuantizationConfig(activation_quantizer=None))   # weight-only int8
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default"):
        from brickwork.quantizers.quantizers import AbsMaxQuantizer

        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if weight_quantizer is not None and weight_quantizer.output_dtype != "int8":
            raise ValueError("Int8QuantizationConfig: `weight_quantizer` must have output_dtype='int8', received "
                             f"output_dtype={weight_quantizer.output_dtype!r}.")

    @property
    def mode(self) -> str:
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """Int4 weights, two to a byte; weight-only by default.

    Args:
        weight_quantizer: a quantizer with ``value_range=(-8, 7)`` and int8 output (per-channel mode only).
        activation_quantizer: ``"default"`` (none: weight-only), a quantizer, or ``None``.
        block_size: rows per group of the sub-channel scheme (scale and zero point per group and column);
            ``None`` or ``-1`` for one abs-max scale per output channel.

    Example:
    >>> layer = keras.layers.Dense(4)
    >>> layer.build((None, 128))
    >>> layer.quantize(config=Int4QuantizationConfig(block_size=64))
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default", block_size: int | None = 128):
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError("Int4QuantizationConfig: block_size must be None, -1 or a positive integer, "
                             f"received block_size={block_size}.")
        self.block_size = block_size
        if block_size is not None and block_size > 0 and (weight_quantizer or self.activation_quantizer):
            raise ValueError("Int4QuantizationConfig: sub-channel quantization (block_size > 0) does not support "
                             "custom quantizers; set block_size to None or -1 for per-channel quantization, or drop "
                             f"the quantizers. Received block_size={block_size}.")
        if weight_quantizer is not None:
            if tuple(weight_quantizer.value_range) != (-8, 7):
                raise ValueError("Int4QuantizationConfig: `weight_quantizer` must have value_range=(-8, 7), "
                                 f"received value_range={weight_quantizer.value_range}.")
            if weight_quantizer.output_dtype != "int8":
                raise ValueError("Int4QuantizationConfig: `weight_quantizer` must have output_dtype='int8', "
                                 f"received output_dtype={weight_quantizer.output_dtype!r}.")

    @property
    def mode(self) -> str:
        return "int4"

    def get_config(self) -> dict:
        return {**super().get_config(), "block_size": self.block_size}

    @classmethod
    def from_config(cls, config: dict):
        # Files written before `block_size` existed were per-channel.
        return cls(weight_quantizer=_deserialize(config.get("weight_quantizer")),
                   activation_quantizer=_deserialize(config.get("activation_quantizer")),
                   block_size=config.get("block_size"))


class Float8QuantizationConfig(QuantizationConfig):
    """Float8 training with delayed scaling (no custom quantizers: it only selects the mode).

    Example:
    >>> layer = keras.layers.Dense(4)
    >>> layer.build((None, 8))
    >>> layer.quantize(config=Float8QuantizationConfig())
    """

    def __init__(self):
        super().__init__(None, None)

    @property
    def mode(self) -> str:
        return "float8"

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls()


_DEFAULT_CONFIGS = {"int8": Int8QuantizationConfig, "int4": Int4QuantizationConfig,
                    "float8": Float8QuantizationConfig}


def validate_and_resolve_config(mode, config):
    """The config ``quantize(mode, config)`` applies: ``config`` checked against ``mode``, or ``mode``'s default.

    A string ``config`` is read as the mode (Keras's older ``quantize(config="int8")``).
    """
    if isinstance(config, str):
        mode, config = config, None
    _validate_mode(mode)
    if config is None:
        if mode in ("gptq", "awq"):
            raise ValueError(f"For {mode.upper()}, you must pass a `{mode.upper()}Config` object in the `config` "
                             "argument: calibration needs its dataset, tokenizer and settings.")
        if mode is None:
            raise ValueError("quantize: give either `mode` or `config`.")
        return _DEFAULT_CONFIGS[mode]()
    if not isinstance(config, QuantizationConfig):
        raise ValueError("quantize: Argument `config` must be an instance of `QuantizationConfig`, received "
                         f"{config!r} (of type {type(config).__name__}).")
    if mode is not None and config.mode != mode:
        raise ValueError(f"quantize: Contradictory arguments: mode={mode!r} but config.mode={config.mode!r}.")
    _validate_mode(config.mode)
    expected = {"gptq": "GPTQConfig", "awq": "AWQConfig"}.get(config.mode)
    if expected is not None and type(config).__name__ != expected:
        raise ValueError(f"quantize: mode {config.mode!r} requires a valid `config` of type `{expected}`, received "
                         f"{type(config).__name__}.")
    return config


def _validate_mode(mode) -> None:
    if mode is not None and mode not in QUANTIZATION_MODES:
        raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. Received: mode={mode!r}")


def get_block_size_for_layer(layer, config):
    """The int4 block size of ``layer``: from ``config`` when quantizing, else from its ``Int4DTypePolicy`` (a
    loaded model); ``None`` or ``-1`` means per-channel (see ``is_per_channel``)."""
    from brickwork.dtype_policies.quantized_dtype_policy import Int4DTypePolicy

    if isinstance(config, Int4QuantizationConfig):
        return config.block_size
    policy = layer.dtype_policy
    if hasattr(policy, "policy_for_layer"):
        policy = policy.policy_for_layer(layer)
    if isinstance(policy, Int4DTypePolicy):
        return None if policy.block_size == -1 else policy.block_size
    return None  # a plain QuantizedDTypePolicy("int4"): files from before sub-channel int4


def is_per_channel(block_size) -> bool:
    """Whether an int4 ``block_size`` means one scale per channel (``None`` or ``-1``) rather than groups."""
    return block_size is None or block_size == -1
