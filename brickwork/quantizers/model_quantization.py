"""``model.quantize(mode)``: quantize every quantizable layer of a model (optionally filtered) in place.

Example:
>>> model.quantize("int8")                                   # every Dense, EinsumDense, Embedding, …
>>> model.quantize("int4", filters=["decoder", "lm_head"])   # only layers whose name matches a pattern
"""

from __future__ import annotations

import re
import warnings

from brickwork.quantizers.layer_hooks import implements_quantize
from brickwork.quantizers.quantization_config import validate_and_resolve_config


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
    """The ``quantize`` method of ``Model``."""

    def quantize(self, mode: str | None = None, config=None, filters=None, **kwargs) -> None:
        """Quantize the model's layers that support it, in place.

        Args:
            mode: ``"int8"``, ``"int4"`` or ``"float8"`` (``"gptq"`` and ``"awq"`` are not implemented yet).
            config: a ``QuantizationConfig`` with custom quantizers or the int4 ``block_size``.
            filters: a regular expression, a list of them (searched in layer names) or a callable
                ``layer -> bool`` selecting the layers to quantize.
            type_check: (keyword) refuse layer subclasses (default ``True``).
        """
        type_check = kwargs.pop("type_check", True)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to Model.quantize: {sorted(kwargs)}.")
        if filters is not None and not isinstance(filters, (str, list, tuple)) and not callable(filters):
            raise ValueError("Model.quantize: `filters` must be a regex string, a list of regex strings, or a "
                             f"callable. Received: {type(filters).__name__}")
        resolved = validate_and_resolve_config(mode, config)
        if resolved.mode in ("gptq", "awq"):
            raise NotImplementedError(f"Model.quantize: {resolved.mode.upper()} calibration is not implemented in "
                                      "brickwork yet; int8, int4 and float8 are.")
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
        if changed:  # compiled steps captured the float variables
            for name in ("_train_function", "_test_function", "_predict_function"):
                if hasattr(self, name):
                    setattr(self, name, None)
