"""``AWQConfig``: the settings of AWQ calibration (activation-aware 4-bit weight quantization).

``model.quantize("awq", config=AWQConfig(...))`` calibrates with it (``awq.py``); a quantized layer keeps it
(without the data and the structure) in its config, and names it in its ``AWQDTypePolicy``.

Example:
>>> AWQConfig(dataset=None, tokenizer=None, group_size=64).dtype_policy_string()   # 'awq/4/64'
"""

from __future__ import annotations

from brickwork.quantizers.quantization_config import QuantizationConfig


class AWQConfig(QuantizationConfig):
    """AWQ settings.

    Args:
        dataset: calibration data (strings or token ids); not saved in the config.
        tokenizer: turns string data into ids; not saved in the config.
        weight_bits: must be 4.
        num_samples: how many calibration samples to use.
        sequence_length: the length of each calibration sample.
        group_size: input columns per scale group; ``-1`` for per channel.
        num_grid_points: the candidate scaling exponents searched.
        quantization_layer_structure: ``{"pre_block_layers": [...], "sequential_blocks": [...]}``.

    Example:
    >>> config = AWQConfig(dataset=["the cat sat"], tokenizer=lambda text: [1, 2, 3])
    >>> config.mode, config.group_size   # ('awq', 128)
    """

    def __init__(self, dataset, tokenizer, *, weight_bits: int = 4, num_samples: int = 128,
                 sequence_length: int = 512, group_size: int = 128, num_grid_points: int = 20,
                 quantization_layer_structure: dict | None = None):
        super().__init__()
        if weight_bits != 4:
            raise ValueError(f"AWQConfig: AWQ only supports 4-bit quantization. Received weight_bits={weight_bits}.")
        if num_samples <= 0:
            raise ValueError(f"AWQConfig: num_samples must be a positive integer. Received {num_samples}.")
        if sequence_length <= 0:
            raise ValueError(f"AWQConfig: sequence_length must be a positive integer. Received {sequence_length}.")
        if group_size < -1 or group_size == 0:
            raise ValueError(f"AWQConfig: Invalid group_size. Supported values are -1 (per channel) or a positive "
                             f"integer, received {group_size}.")
        if num_grid_points <= 0:
            raise ValueError(f"AWQConfig: num_grid_points must be a positive integer. Received {num_grid_points}.")
        self.dataset, self.tokenizer = dataset, tokenizer
        self.weight_bits, self.num_samples, self.sequence_length = weight_bits, num_samples, sequence_length
        self.group_size, self.num_grid_points = group_size, num_grid_points
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self) -> str:
        return "awq"

    def dtype_policy_string(self) -> str:
        """The mode part of the layers' policy names, ``"awq/4/<group_size>"``."""
        return f"awq/{self.weight_bits}/{self.group_size}"

    def get_config(self) -> dict:
        return {"dataset": None, "tokenizer": None, "weight_bits": self.weight_bits, "num_samples": self.num_samples,
                "sequence_length": self.sequence_length, "group_size": self.group_size,
                "num_grid_points": self.num_grid_points,
                # Like the data, the structure (live layers) only serves the one calibration: Keras writes it here
                # and then recurses forever saving the model; brickwork writes None.
                "quantization_layer_structure": None}

    @classmethod
    def from_config(cls, config: dict) -> "AWQConfig":
        return cls(**config)
