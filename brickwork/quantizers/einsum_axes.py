"""Where an ``EinsumDense``'s quantization scales live: which axes a quantizer reduces, and how a scale
kept with those axes is moved onto the output's axes so it divides the einsum's result.

For ``"btd,ndh->btnh"`` the kernel ``(n, d, h)`` is reduced over ``d`` (the axis the einsum contracts), so its
per-channel scale has shape ``(n, 1, h)``; transposed and reshaped onto the output ``b t n h`` it becomes
``(1, n, h)``, which broadcasts against the result. The layout (the order of transposes, expansions and
squeezes) is Keras's, so a scale saved by either library is read by the other unchanged.

Example:
>>> axes = EinsumQuantizationAxes.from_equation("btd,ndh->btnh", input_ndim=3)
>>> axes.kernel_reduced, axes.kernel_scale_shape((8, 32, 16))    # ([1], [1, 8, 16])
"""

from __future__ import annotations

import dataclasses
import re
import string

import numpy as np

from brickwork import ops


def _specs(equation: str, input_ndim: int) -> tuple[str, str, str]:
    """``(input, kernel, output)`` letters, with an ellipsis replaced by unused letters (alphabetical)."""
    text = re.sub(r"\.\.\.", "0", equation)
    for pattern, side in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", None),
                          ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", "left"),
                          ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", "right")):
        match = re.match(pattern, text)
        if match is None:
            continue
        inputs, kernel, outputs = match.groups()
        if side is not None:
            free = sorted(set(string.ascii_letters) - set(inputs + kernel + outputs))
            extra = free[:max(0, input_ndim - len(inputs))]
            for letter in extra:  # Keras pads one letter at a time, so the left side ends up reversed
                inputs, outputs = ((letter + inputs, letter + outputs) if side == "left"
                                   else (inputs + letter, outputs + letter))
        return inputs, kernel, outputs
    raise ValueError(f"EinsumDense: invalid einsum equation {equation!r}. Equations must be in the form "
                     "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


@dataclasses.dataclass
class _ScaleLayout:
    """How a scale kept with ``reduced`` axes of size 1 is laid onto the output's axes."""

    reduced: list
    transpose: list
    expand: list
    squeeze: list

    def to_output(self, scale):
        """The scale moved onto the output's axes (Keras's order: transpose, expand, squeeze)."""
        if self.transpose:
            scale = ops.transpose(scale, self.transpose)
        if self.expand:
            scale = ops.expand_dims(scale, axis=tuple(self.expand))
        if self.squeeze:
            scale = ops.squeeze(scale, axis=tuple(self.squeeze))
        return scale

    def from_output(self, scale):
        """The inverse of ``to_output``: the scale back on the operand's own axes."""
        if self.squeeze:
            scale = ops.expand_dims(scale, axis=tuple(self.squeeze))
        if self.expand:
            scale = ops.squeeze(scale, axis=tuple(self.expand))
        if self.transpose:
            scale = ops.transpose(scale, [int(i) for i in np.argsort(self.transpose)])
        return scale


def _layout(operand: str, output: str, index: int) -> tuple[_ScaleLayout, int]:
    reduced = [i for i, letter in enumerate(operand) if letter not in output]
    expand = [i for i, letter in enumerate(output) if letter not in operand]
    transpose = [operand.index(letter) for letter in output if letter in operand]
    squeeze = []
    for axis in reduced:
        # A reduced axis takes the place of an output axis the operand lacks; when none is left, it is
        # squeezed away and placed where the previous one went (Keras carries its loop index over, from one
        # operand to the next: the layout files hold depends on it).
        if expand:
            index = expand.pop(0)
        else:
            squeeze.append(axis)
        transpose.insert(index, axis)
    return _ScaleLayout(reduced, transpose, expand, squeeze), index


@dataclasses.dataclass
class EinsumQuantizationAxes:
    """The scale layouts of an einsum's input and kernel, and the equation of the input's gradient."""

    inputs: _ScaleLayout
    kernel: _ScaleLayout
    gradient_equation: str

    @classmethod
    def from_equation(cls, equation: str, input_ndim: int) -> "EinsumQuantizationAxes":
        input_spec, kernel_spec, output_spec = _specs(equation, input_ndim)
        index = output_spec.find(kernel_spec[-1])  # where Keras's loop index stands when the placement starts
        inputs, index = _layout(input_spec, output_spec, index)
        kernel, _ = _layout(kernel_spec, output_spec, index)
        return cls(inputs, kernel, f"{output_spec},{kernel_spec}->{input_spec}")

    @property
    def input_reduced(self) -> list:
        return self.inputs.reduced

    @property
    def kernel_reduced(self) -> list:
        return self.kernel.reduced

    def kernel_scale_shape(self, kernel_shape) -> list:
        """The shape of a per-channel kernel scale as stored (already on the output's axes)."""
        shape = np.array(kernel_shape)
        shape[self.kernel.reduced] = 1
        shape = shape[self.kernel.transpose].tolist()
        for axis in sorted(self.kernel.expand):
            shape.insert(axis, 1)
        for axis in sorted(self.kernel.squeeze, reverse=True):
            shape.pop(axis)
        return [int(d) for d in shape]

    def flat_kernel_shape(self, kernel_shape) -> tuple[int, int]:
        """``(rows, columns)``: the sizes of the reduced and of the kept kernel axes (int4's 2-D layout)."""
        rows = int(np.prod([d for i, d in enumerate(kernel_shape) if i in self.kernel.reduced]))
        columns = int(np.prod([d for i, d in enumerate(kernel_shape) if i not in self.kernel.reduced]))
        return rows, columns
