"""``EinsumDense``: a dense layer whose contraction is any einsum equation."""

from __future__ import annotations

import re

from brickwork import activations, constraints, initializers, ops, regularizers
from brickwork.initializers.random_initializers import VarianceScaling
from brickwork.layers.input_spec import InputSpec
from brickwork.quantizers.quantized_einsum_dense import EinsumDenseQuantization


class EinsumDense(EinsumDenseQuantization):
    """``activation(einsum(equation, inputs, kernel) + bias)``.

    Args:
        equation: ``"ab,bc->ac"``, ``"...ab,bc->...ac"`` or ``"ab...,bc->ac..."`` style: input,
            kernel and output axes; the kernel's axes not in the input take their size from
            ``output_shape``.
        output_shape: the output shape without the batch axis and the ``...`` axes (an int for
            one axis); ``None`` entries are taken from the input.
        activation: an activation name or callable (``None``: linear).
        bias_axes: the output axes (letters of the output spec) that carry a bias.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer: as in ``Dense``.
        kernel_constraint, bias_constraint: as in ``Dense``.
        lora_rank, lora_alpha: enable LoRA with this rank (and ``lora_alpha / lora_rank`` scale) once built
            (see ``enable_lora``).
        gptq_unpacked_column_size: Keras's record of a GPTQ layer's column count (set by ``quantize("gptq")``).
        quantization_config: the ``QuantizationConfig`` of a quantized layer (its policy names the mode);
            ``layer.quantize("int8")`` quantizes a trained one.

    Example:
    >>> layer = EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
    >>> layer(np.zeros((2, 32, 128))).shape   # (2, 32, 64); kernel (128, 64), bias (64,)
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        _split_equation(equation)  # validate early
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_lora(lora_rank, lora_alpha)
        self.gptq_unpacked_column_size = gptq_unpacked_column_size
        self.quantization_config = quantization_config

    def _kernel_initializer_for(self, input_axes: list, output_axes: list):
        """A variance-scaling initializer told which kernel axes are fan-in and fan-out (Keras 3.15 does so when
        the user left them unset); the same seed, so the draw matches one initializer called for each kernel."""
        initializer = self.kernel_initializer
        if not isinstance(initializer, VarianceScaling) or (initializer.input_axes is not None
                                                             and initializer.output_axes is not None):
            return initializer
        config = initializer.get_config()
        config.update(seed=initializer.seed, input_axes=input_axes, output_axes=output_axes)
        return type(initializer).from_config(config)

    def build(self, input_shape):
        kernel_shape, bias_shape, output_shape, input_axes, output_axes = _analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        if any(d is None for d in kernel_shape) or (bias_shape is not None and None in bias_shape):
            raise ValueError(
                f"EinsumDense {self.name!r}: the kernel shape {tuple(kernel_shape)} (bias {bias_shape}) "
                f"is not fully known for input shape {tuple(input_shape)}; give every kernel axis a size "
                "in `output_shape` or the input."
            )
        self.full_output_shape = tuple(output_shape)
        self.input_spec = InputSpec(ndim=len(input_shape))
        if self.quantization_mode is not None:
            self.quantized_build(tuple(kernel_shape), mode=self.quantization_mode, config=self.quantization_config)
        if self.quantization_mode not in ("int8", "int4", "gptq", "awq"):  # their kernel is the quantized one
            self._kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape),
                                           initializer=self._kernel_initializer_for(input_axes, output_axes),
                                           regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True
        self._build_lora()

    def call(self, inputs, training=None):
        if self._is_quantized:
            return self.quantized_call(inputs, training=training)
        outputs = ops.einsum(self.equation, inputs, self.kernel if self.lora_enabled else self._kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        # From this input shape, not the build-time one: the batch size may differ.
        output_shape = _analyze_einsum(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2]
        return tuple(output_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": list(self.partial_output_shape),
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": self._quantization_config_json(),
            **self._lora_config(),
            **({"gptq_unpacked_column_size": self.gptq_unpacked_column_size} if self.gptq_unpacked_column_size
               else {}),
        }


def _split_equation(equation: str):
    """``(input_spec, kernel_spec, output_spec, where)``; ``where`` is the ellipsis side or ``None``."""
    text = re.sub(r"\.\.\.", "0", equation) if isinstance(equation, str) else ""
    for pattern, where in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", None),
                           ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", "left"),
                           ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", "right")):
        match = re.match(pattern, text)
        if match:
            return match.group(1), match.group(2), match.group(3), where
    raise ValueError(f"EinsumDense: invalid einsum equation {equation!r}. Equations must be in the form "
                     "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


def _analyze_einsum(equation, bias_axes, input_shape, partial_output_shape):
    """``(kernel_shape, bias_shape, full_output_shape, input_axes, output_axes)`` for an input shape, as Keras
    computes them; ``input_axes``/``output_axes`` are the kernel axes contracted with the input and those
    that reach the output (its fan-in and fan-out)."""
    input_spec, kernel_spec, output_spec, where = _split_equation(equation)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec) if where else 0
    output_shape = [input_shape[0], *partial_output_shape]
    if where == "left":
        output_shape[1:1] = input_shape[1:elided]
        input_axis = {c: i + elided for i, c in enumerate(input_spec)}
        output_axis = {c: i + elided for i, c in enumerate(output_spec)}
    else:
        if where == "right":
            output_shape += input_shape[len(input_shape) - elided:]
        input_axis = {c: i for i, c in enumerate(input_spec)}
        output_axis = {c: i for i, c in enumerate(output_spec)}
    if len(output_spec) + elided > len(output_shape):  # longer is let through, as Keras does
        raise ValueError(f"EinsumDense: `output_shape` {tuple(partial_output_shape)} does not match the output "
                         f"spec {output_spec!r} of equation {equation!r}.")
    for c in input_spec:
        if c in output_axis:
            known = output_shape[output_axis[c]]
            if known is None:
                output_shape[output_axis[c]] = input_shape[input_axis[c]]
            elif input_shape[input_axis[c]] is not None and known != input_shape[input_axis[c]]:
                raise ValueError(f"EinsumDense: input and output shapes do not match at shared dimension {c!r}: "
                                 f"input {input_shape[input_axis[c]]}, output {known}.")
    for c in output_spec:
        if c not in input_spec and c not in kernel_spec:
            raise ValueError(f"EinsumDense: dimension {c!r} of the output spec {output_spec!r} is in neither the "
                             f"input spec {input_spec!r} nor the kernel spec {kernel_spec!r}.")
    kernel_shape, kernel_input_axes, kernel_output_axes = [], [], []
    for i, c in enumerate(kernel_spec):
        if c in output_axis:
            kernel_shape.append(output_shape[output_axis[c]])
            kernel_output_axes.append(i)
        elif c in input_axis:
            kernel_shape.append(input_shape[input_axis[c]])
            kernel_input_axes.append(i)
        else:
            raise ValueError(f"EinsumDense: kernel dimension {c!r} is in neither the input spec {input_spec!r} "
                             f"nor the output spec {output_spec!r}; the kernel must be fully specified.")
    bias_shape = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(f"EinsumDense: bias axis {c!r} is not part of the output spec {output_spec!r}.")
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [output_shape[output_axis[c]] if c in bias_axes else 1 for c in output_spec[first:]]
        if where == "right":
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, output_shape, kernel_input_axes, kernel_output_axes


def _analyze_einsum_string(equation, bias_axes, input_shape, output_shape):
    """Keras's name and argument names (its own tests import it) for ``_analyze_einsum``."""
    return _analyze_einsum(equation, bias_axes, input_shape, output_shape)
