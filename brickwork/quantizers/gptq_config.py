"""``GPTQConfig``: the settings of GPTQ calibration (Hessian-guided post-training quantization of weights).

``model.quantize("gptq", config=GPTQConfig(...))`` calibrates with it (``gptq.py``); a quantized layer keeps it
(without the data and the structure) in its config, and names it in its ``GPTQDTypePolicy``.

Example:
>>> config = GPTQConfig(dataset=None, tokenizer=None, weight_bits=4, group_size=128)
>>> config.dtype_policy_string()   # 'gptq/4/128'
"""

from __future__ import annotations

from brickwork.quantizers.quantization_config import QuantizationConfig


class GPTQConfig(QuantizationConfig):
    """GPTQ settings.

    Args:
        dataset: calibration data (strings or token ids); not saved in the config.
        tokenizer: turns string data into ids; not saved in the config.
        weight_bits: 2, 3, 4 or 8.
        num_samples: how many calibration samples to use.
        per_channel: one scale per output channel (else per tensor).
        sequence_length: the length of each calibration sample.
        hessian_damping: the fraction of the mean Hessian diagonal added for stability, in ``[0, 1]``.
        group_size: input columns per scale group; ``-1`` for none.
        symmetric: symmetric (else asymmetric) integer grids.
        activation_order: quantize columns in decreasing activation magnitude.
        quantization_layer_structure: ``{"pre_block_layers": [...], "sequential_blocks": [...]}``.

    Example:
    >>> config = GPTQConfig(dataset=["the cat sat"], tokenizer=lambda text: [1, 2, 3], weight_bits=4, group_size=128)
    >>> config.mode, config.weight_bits   # ('gptq', 4)
    """

    def __init__(self, dataset, tokenizer, *, weight_bits: int = 4, num_samples: int = 128, per_channel: bool = True,
                 sequence_length: int = 512, hessian_damping: float = 0.01, group_size: int = 128,
                 symmetric: bool = False, activation_order: bool = False,
                 quantization_layer_structure: dict | None = None):
        super().__init__()
        if weight_bits not in (2, 3, 4, 8):
            raise ValueError(f"GPTQConfig: Unsupported weight_bits {weight_bits}; supported values are 2, 3, 4 and 8.")
        if num_samples <= 0:
            raise ValueError(f"GPTQConfig: num_samples must be a positive integer. Received {num_samples}.")
        if sequence_length <= 0:
            raise ValueError(f"GPTQConfig: sequence_length must be a positive integer. Received {sequence_length}.")
        if not 0 <= hessian_damping <= 1:
            raise ValueError(f"GPTQConfig: hessian_damping must be between 0 and 1. Received {hessian_damping}.")
        if group_size < -1 or group_size == 0:
            raise ValueError(f"GPTQConfig: Invalid group_size. Supported values are -1 (whole tensor) or a positive "
                             f"integer, received {group_size}.")
        self.dataset, self.tokenizer = dataset, tokenizer
        self.weight_bits, self.num_samples, self.per_channel = weight_bits, num_samples, per_channel
        self.sequence_length, self.hessian_damping, self.group_size = sequence_length, hessian_damping, group_size
        self.symmetric, self.activation_order = symmetric, activation_order
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self) -> str:
        return "gptq"

    def dtype_policy_string(self) -> str:
        """The mode part of the layers' policy names, ``"gptq/<weight_bits>/<group_size>"``."""
        return f"gptq/{self.weight_bits}/{self.group_size}"

    def get_config(self) -> dict:
        return {"dataset": None, "tokenizer": None, "weight_bits": self.weight_bits, "num_samples": self.num_samples,
                "per_channel": self.per_channel, "sequence_length": self.sequence_length,
                "hessian_damping": self.hessian_damping, "group_size": self.group_size, "symmetric": self.symmetric,
                "activation_order": self.activation_order,
                # Like the data, the structure (live layers) only serves the one calibration: Keras writes it here
                # and then recurses forever saving the model; brickwork writes None.
                "quantization_layer_structure": None}

    @classmethod
    def from_config(cls, config: dict) -> "GPTQConfig":
        return cls(**config)
