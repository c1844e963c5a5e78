"""What every layer answers about quantization before it implements any: Keras's base-layer hooks.

``Layer`` mixes these in so that ``layer.quantize("int8")``, ``layer.quantized_build(...)`` and the per-mode
calls (``_int8_call``, ``_float8_call``, …) exist on every layer and say plainly that this layer has none.
Layers that do quantize derive from ``QuantizableLayer`` (``quantizable_layer.py``), which replaces them.
"""

from __future__ import annotations


class QuantizationHooks:
    """The quantization methods of a layer that does not support quantization: each raises
    ``NotImplementedError`` naming the layer class and the method."""

    def _not_implemented_error(self, attr, msg: str | None = None) -> NotImplementedError:
        """The error for a method (or attribute) ``attr`` that this layer class does not implement."""
        kind, name = ("method", attr.__name__) if callable(attr) else ("attribute", str(attr))
        detail = f" {msg}" if msg else ""
        return NotImplementedError(
            f"Layer {type(self).__name__} does not have a `{name}` {kind} implemented.{detail}"
        )

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantize the layer's weights in place (``"int8"``, ``"int4"``, ``"float8"``, …), where supported."""
        raise self._not_implemented_error(self.quantize)

    def quantized_build(self, input_shape, mode, config=None):
        """Create the quantized variables of ``mode``, where supported."""
        raise self._not_implemented_error(self.quantized_build)

    def _int4_call(self, *args, **kwargs):
        raise self._not_implemented_error(self._int4_call)

    def _int8_call(self, *args, **kwargs):
        raise self._not_implemented_error(self._int8_call)

    def _float8_call(self, *args, **kwargs):
        raise self._not_implemented_error(self._float8_call)

    def _gptq_call(self, *args, **kwargs):
        raise self._not_implemented_error(self._gptq_call)

    def _awq_call(self, *args, **kwargs):
        raise self._not_implemented_error(self._awq_call)


def implements_quantize(layer) -> bool:
    """Whether ``layer``'s class has a ``quantize`` of its own (not the base layer's refusal)."""
    return getattr(type(layer), "quantize", QuantizationHooks.quantize) is not QuantizationHooks.quantize
