"""``model.quantize(mode)``: quantize every quantizable layer of a model (optionally filtered) in place; for
GPTQ and AWQ, then calibrate the layers of the model's blocks on data (``calibration.py``).

Example:
>>> model.quantize("int8")                                   # every Dense, EinsumDense, Embedding, …
>>> model.quantize("int4", filters=["decoder", "lm_head"])   # only layers whose name matches a pattern
"""

from __future__ import annotations

import re
import warnings

from brickwork.quantizers.layer_hooks import implements_quantize
from brickwork.quantizers.quantization_config import validate_and_resolve_config

MISSING_STRUCTURE = ("a valid quantization structure must be provided either via `config.quantization_layer_structure` "
                     "or by overriding `model.get_quantization_layer_structure(mode)`. The structure should be a "
                     "dictionary with keys 'pre_block_layers' and 'sequential_blocks'.")


def should_quantize_layer(layer, filters) -> bool:
    """Whether ``filters`` (a regex, a list of them searched in the layer's name, or a callable) select ``layer``."""
    if filters is None:
        return True
    if isinstance(filters, str):
        return re.search(filters, layer.name) is not None
    if isinstance(filters, (list, tuple)):
        return any(re.search(pattern, layer.name) for pattern in filters)
    return bool(filters(layer))


class ModelQuantization:
    """The ``quantize`` method of ``Model``, and the hook GPTQ/AWQ read the model's structure from."""

    def get_quantization_layer_structure(self, mode: str | None = None) -> dict | None:
        """The model's structure for GPTQ/AWQ calibration; a model class overrides it (``None`` here).

        Returns:
            ``{"pre_block_layers": [...], "sequential_blocks": [...]}``: the layers the token ids go through
            first (an embedding), then the blocks calibrated one after another (transformer layers); or
            ``None`` when the model does not say.
        """
        del mode
        return None

    def quantize(self, mode: str | None = None, config=None, filters=None, **kwargs) -> None:
        """Quantize the model's layers that support it, in place.

        ``"int8"``, ``"int4"`` and ``"float8"`` quantize each layer's weights on their own. ``"gptq"`` and
        ``"awq"`` calibrate on data: every ``Dense``/``EinsumDense`` gets the variables of the mode, then the
        layers inside the structure's blocks are quantized block by block from the inputs they see on the
        config's ``dataset`` (GPTQ: each rounding error is corrected with the inputs' second moments; AWQ:
        weights of large inputs are scaled up before rounding). Layers outside the blocks keep computing with
        their float weights, as in Keras.

        Args:
            mode: ``"int8"``, ``"int4"``, ``"float8"``, ``"gptq"`` or ``"awq"``; optional when ``config`` says it.
            config: a ``QuantizationConfig``: custom quantizers or the int4 ``block_size``; for ``"gptq"`` a
                ``GPTQConfig`` and for ``"awq"`` an ``AWQConfig`` (required), with the calibration ``dataset``
                (strings or token ids), the ``tokenizer`` and ``quantization_layer_structure`` (else
                ``get_quantization_layer_structure(mode)`` is asked).
            filters: a regular expression, a list of them (searched in layer names) or a callable
                ``layer -> bool`` selecting the layers to quantize.
            type_check: (keyword) refuse layer subclasses (default ``True``).

        Example:
        >>> model.quantize("int8")
        >>> config = GPTQConfig(dataset=texts, tokenizer=tokenizer, weight_bits=4, group_size=128,
        ...                     quantization_layer_structure={"pre_block_layers": [embedding],
        ...                                                   "sequential_blocks": blocks})
        >>> model.quantize("gptq", config=config)
        """
        type_check = kwargs.pop("type_check", True)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to Model.quantize: {sorted(kwargs)}.")
        if filters is not None and not isinstance(filters, (str, list, tuple)) and not callable(filters):
            raise ValueError("Model.quantize: `filters` must be a regex string, a list of regex strings, or a "
                             f"callable. Received: {type(filters).__name__}")
        resolved = validate_and_resolve_config(mode, config)
        structure = None
        if resolved.mode in ("gptq", "awq"):  # checked before any layer changes
            structure = resolved.quantization_layer_structure or self.get_quantization_layer_structure(resolved.mode)
            if structure is None:
                raise ValueError(f"For mode={resolved.mode!r}, " + MISSING_STRUCTURE)
        changed = False
        for layer in self._flatten_layers():
            if len(layer._flatten_layers()) != 1 or not implements_quantize(layer):
                continue  # containers, and layers with nothing to quantize
            if not should_quantize_layer(layer, filters):
                continue
            try:
                layer.quantize(mode, type_check=type_check, config=config)
                changed = True
            except NotImplementedError as error:
                warnings.warn(str(error), stacklevel=2)
        if resolved.mode in ("gptq", "awq"):
            from brickwork.quantizers import awq, calibration, gptq

            run = gptq.gptq_quantize if resolved.mode == "gptq" else awq.awq_quantize
            run(resolved, structure, filters=filters)
            calibration.warn_uncalibrated(self, resolved.mode)
        if changed:  # compiled steps captured the float variables
            for name in ("train_function", "test_function", "predict_function"):
                if hasattr(self, name):
                    setattr(self, name, None)
