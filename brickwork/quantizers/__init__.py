"""``brickwork.quantizers``: int8, int4 and float8 quantization of weights and activations, and GPTQ / AWQ
calibration of weights on data.

Layers take quantization through ``layer.quantize(mode)`` / ``model.quantize(mode)`` and their dtype policy
(``"int8_from_float32"``); the functions here are the arithmetic those use, on every engine. GPTQ and AWQ
(``model.quantize("gptq", config=GPTQConfig(...))``) live in ``gptq.py``, ``awq.py`` and ``calibration.py``.

Example:
>>> from brickwork import quantizers
>>> values, scale = quantizers.abs_max_quantize(np.array([[0.5, -1.0]], "float32"), axis=-1)
>>> quantizers.get("abs_max_quantizer")   # an AbsMaxQuantizer
"""

from __future__ import annotations

import inspect

from brickwork.quantizers.awq_config import AWQConfig
from brickwork.quantizers.fake_quant import fake_quant_with_min_max_vars
from brickwork.quantizers.float8 import compute_float8_amax_history, compute_float8_scale, quantize_and_dequantize
from brickwork.quantizers.gptq_config import GPTQConfig
from brickwork.quantizers.int4_packing import pack_int4, unpack_int4
from brickwork.quantizers.quantization_config import (
    Float8QuantizationConfig,
    Int4QuantizationConfig,
    Int8QuantizationConfig,
    QuantizationConfig,
)
from brickwork.quantizers.quantizers import (  # noqa: F401  (the helpers are keras.src.quantizers names too)
    AbsMaxQuantizer,
    GPTQQuantizer,
    Quantizer,
    abs_max_quantize,
    abs_max_quantize_grouped_with_zero_point,
    compute_quantization_parameters,
    dequantize_with_sz_map,
    dequantize_with_zero_point,
    quantize_with_sz_map,
    quantize_with_zero_point,
)

__all__ = [
    "AWQConfig", "AbsMaxQuantizer", "Float8QuantizationConfig", "GPTQConfig", "Int4QuantizationConfig",
    "Int8QuantizationConfig", "QuantizationConfig", "Quantizer", "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point", "compute_float8_amax_history", "compute_float8_scale", "deserialize",
    "fake_quant_with_min_max_vars", "get", "pack_int4", "quantize_and_dequantize", "serialize", "unpack_int4",
]

_OBJECTS = {cls.__name__: cls for cls in (Quantizer, AbsMaxQuantizer, QuantizationConfig, Int8QuantizationConfig,
                                          Int4QuantizationConfig, Float8QuantizationConfig, AWQConfig, GPTQConfig)}
_OBJECTS.update({"abs_max_quantizer": AbsMaxQuantizer, "quantizer": Quantizer})


def serialize(quantizer) -> dict:
    """The ``{"module", "class_name", "config", …}`` dict Keras writes for a quantizer or quantization config.

        Args:
            quantizer: a ``Quantizer`` or a quantization config.

        Returns:
            A JSON-ready dict that ``deserialize`` reads back.

        Example:
        >>> serialize(AbsMaxQuantizer(axis=-1))["class_name"]   # 'AbsMaxQuantizer'
    """
    from brickwork.saving import serialization_lib

    return serialization_lib.serialize_keras_object(quantizer)


def deserialize(config: dict, custom_objects: dict | None = None):
    """The quantizer (or quantization config) ``serialize`` described.

        Args:
            config: the dict ``serialize`` (or Keras) wrote.
            custom_objects: ``{name: class}`` for quantizer classes of your own.

        Returns:
            A new quantizer (or quantization config) equal to the one serialized.

        Example:
        >>> config = serialize(AbsMaxQuantizer(axis=-1))
        >>> deserialize(config).axis   # (-1,)
    """
    from brickwork.saving import serialization_lib

    return serialization_lib.deserialize_keras_object(config, module_objects=_OBJECTS, custom_objects=custom_objects)


def get(identifier, **kwargs):
    """A quantizer from ``None`` (``None``), a config dict, a class name (``"AbsMaxQuantizer"`` or
    ``"abs_max_quantizer"``, built with ``kwargs``) or a quantizer.

    Args:
        identifier: ``None``, a dict written by ``serialize``, a class name in CamelCase or snake_case, or a
            quantizer (returned as it is).
        **kwargs: constructor arguments, used when ``identifier`` is a class name.

    Returns:
        A quantizer, or ``None`` when ``identifier`` is ``None``.

    Example:
    >>> get("abs_max_quantizer", value_range=(-8, 7))
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = _OBJECTS.get(identifier)
    else:
        found = identifier
    if inspect.isclass(found):
        return found(**kwargs)
    if callable(found):
        return found
    raise ValueError(f"quantizers.get: could not interpret quantizer identifier {identifier!r}; expected None, a "
                     f"config dict, a quantizer or one of {sorted(_OBJECTS)}.")
