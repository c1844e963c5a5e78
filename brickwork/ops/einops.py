"""``ops.rearrange``: einops-style axis reordering, splitting and merging, made of ``reshape`` and ``transpose``."""

from __future__ import annotations

import math
import re

from brickwork.ops import core as _core
from brickwork.ops import numpy_arrays as _arrays

_TOKEN = re.compile(r"\([^()]*\)|[^\s()]+")


def _parse(side: str, pattern: str) -> list[list[str]]:
    """``"b (h w) c"`` -> ``[["b"], ["h", "w"], ["c"]]``."""
    if side.count("(") != side.count(")"):
        raise ValueError(f"rearrange: unbalanced parentheses in pattern {pattern!r}")
    groups = [token[1:-1].split() if token.startswith("(") else [token] for token in _TOKEN.findall(side)]
    for name in (name for group in groups for name in group):
        if not name.isidentifier():
            raise ValueError(f"rearrange: axis names must be identifiers, received {name!r} in pattern {pattern!r}")
    return groups


def rearrange(tensor, pattern: str, **axes_lengths: int):
    """Reorder, split and merge the axes of ``tensor`` as an einops pattern says.

    Args:
        tensor: the input tensor.
        pattern: ``"input axes -> output axes"``; a parenthesized group on the left splits an axis
            (all but one of its sizes given in ``axes_lengths``), on the right merges axes.
        **axes_lengths: the sizes of split axes, by name.

    Returns:
        The rearranged tensor (the same elements, in a new shape).

    Example:
    >>> images = np.zeros((32, 30, 40, 3))
    >>> ops.rearrange(images, "b h w c -> b c h w").shape   # (32, 3, 30, 40)
    >>> ops.rearrange(images, "b (h1 h) (w1 w) c -> (b h1 w1) h w c", h1=2, w1=2).shape   # (128, 15, 20, 3)
    """
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise ValueError(f"rearrange: pattern must read 'input axes -> output axes', received {pattern!r}")
    tensor = tensor if hasattr(tensor, "shape") and hasattr(tensor, "dtype") else _core.convert_to_tensor(tensor)
    left, right = (side.strip() for side in pattern.split("->"))
    inputs, outputs = _parse(left, pattern), _parse(right, pattern)
    shape = tuple(tensor.shape)
    if len(inputs) != len(shape):
        raise ValueError(f"rearrange: pattern {pattern!r} names {len(inputs)} input axes, but the tensor has shape "
                         f"{shape}")
    sizes: dict[str, int | None] = {}
    for group, size in zip(inputs, shape):
        unknown = [name for name in group if name not in axes_lengths]
        if len(group) == 1 and unknown:
            sizes[group[0]] = size
            continue
        if len(unknown) > 1:
            raise ValueError(f"rearrange: give the sizes of all but one of {group} in axes_lengths")
        known = math.prod(axes_lengths[name] for name in group if name in axes_lengths)
        for name in group:
            sizes[name] = axes_lengths[name] if name in axes_lengths else (None if size is None else size // known)
        if size is not None and not unknown and known != size:
            raise ValueError(f"rearrange: the sizes of {group} multiply to {known}, but the axis has size {size}")
    flat_in = [name for group in inputs for name in group]
    flat_out = [name for group in outputs for name in group]
    if sorted(flat_in) != sorted(flat_out) or len(set(flat_in)) != len(flat_in):
        raise ValueError(f"rearrange: the output axes must be the input axes reordered, received pattern {pattern!r}")

    def reshape(x, groups):
        target = [None if any(sizes[n] is None for n in g) else math.prod(sizes[n] for n in g) for g in groups]
        if tuple(target) == tuple(x.shape):
            return x
        return _arrays.reshape(x, tuple(-1 if size is None else size for size in target))

    x = reshape(tensor, [[name] for name in flat_in])
    order = tuple(flat_in.index(name) for name in flat_out)
    if order != tuple(range(len(order))):
        x = _arrays.transpose(x, order)
    return reshape(x, outputs)
