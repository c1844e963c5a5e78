"""Sizes for the ``None`` dimensions of symbolic inputs, when an engine evaluates an op abstractly.

Every engine finds an op's symbolic result by running it on placeholders: each ``KerasTensor`` becomes
a tensor (or a shape-only stand-in) whose ``None`` dimensions get a size. Two runs with two different
sizes tell which output dimensions follow the unknown ones (those come back ``None``): a large size and a
small one, since two large sizes agree where an output takes the smaller of an unknown size and a known
one (``x[:5]``, the diagonal of a ``(None, 3)`` matrix); a second large size where the op refuses the
small one.

One size for every unknown dimension fails when an unknown dimension meets a known one that it must
match: ``(None, 3) + (2, None)`` broadcasts, but ``(83, 3) + (2, 83)`` does not. Keras's rule is that an
unknown dimension takes whatever its partner needs, so those dimensions are pinned here: to 1 (which
broadcasts against anything) or to a size that occurs in the inputs (``einsum("ii", (None, 3))``),
searching the few combinations, and each pinned dimension is then freed again if the op runs without
it. Only an op that fails on the plain placeholders pays for the search.

``placeholder_runs`` is written once for every engine; an engine passes ``run(shapes)``, which builds
its placeholders of those concrete shapes, calls the op, and raises if the op fails.
"""

from __future__ import annotations

import itertools
from typing import Callable, Sequence

PLACEHOLDER_SIZES = (83, 89)
SMALL_SIZE = 2  # below a slice's stop or a partner's size, yet not 1, which broadcasts and squeezes
_MAX_TRIES = 256  # pinned combinations tried before giving up with the op's own error

Shape = tuple


def _filled(shapes: Sequence[Shape], pinned: dict, size: int) -> list[Shape]:
    return [tuple(pinned.get((i, j), size) if d is None else d for j, d in enumerate(shape))
            for i, shape in enumerate(shapes)]


def _runs(run: Callable, shapes: Sequence[Shape], pinned: dict) -> list:
    """The op on a large size and on a small one; on a second large size where the small one fails or
    changes the output's ranks (a window larger than 2, a cross product of 2-vectors)."""
    large = run(_filled(shapes, pinned, PLACEHOLDER_SIZES[0]))
    try:
        small = run(_filled(shapes, pinned, SMALL_SIZE))
        if _ranks(small) == _ranks(large):
            return [large, small]
    except Exception:
        pass
    return [large, run(_filled(shapes, pinned, PLACEHOLDER_SIZES[1]))]


def placeholder_runs(run: Callable[[list[Shape]], object], shapes: Sequence[Shape]) -> list:
    """The op's outputs on placeholders of ``shapes`` (one run when no dimension is ``None``, else two).

    Args:
        run: ``run(concrete_shapes) -> outputs``: the op on placeholders of these shapes, one per
            symbolic input in order; raises when the op fails.
        shapes: the symbolic inputs' shapes, ``None`` for unknown sizes.

    Returns:
        A list of outputs; an output dimension that differs between them is unknown.
    """
    unknown = [(i, j) for i, shape in enumerate(shapes) for j, d in enumerate(shape) if d is None]
    if not unknown:
        return [run([tuple(shape) for shape in shapes])]
    try:
        return _runs(run, shapes, {})
    except Exception as error:
        first_error = error
    candidates = sorted({1} | {d for shape in shapes for d in shape if d is not None})
    for tries, sizes in enumerate(itertools.product(candidates, repeat=len(unknown))):
        if tries >= _MAX_TRIES:
            break
        pinned = dict(zip(unknown, sizes))
        try:
            run(_filled(shapes, pinned, PLACEHOLDER_SIZES[0]))
        except Exception:
            continue
        # Free the pinned dimensions the op does not need: those pinned alike together first (two unknown
        # sizes that must match each other, as in concatenating (None, 3) and (None, None)), then each alone.
        groups = [[k for k, v in pinned.items() if v == value] for value in sorted(set(pinned.values()))]
        for group in groups + [[position] for position in unknown]:
            freed = {k: v for k, v in pinned.items() if k not in group}
            if len(freed) == len(pinned):
                continue
            try:
                _runs(run, shapes, freed)
            except Exception:
                continue
            pinned = freed
        return _runs(run, shapes, pinned)
    raise first_error


def _ranks(outputs) -> tuple:
    import optree

    leaves, treedef = optree.tree_flatten(outputs, none_is_leaf=True)
    return treedef, tuple(len(leaf.shape) if hasattr(leaf, "shape") else type(leaf) for leaf in leaves)
