"""Structured control flow as plain Python loops, for the eager engines (NumPy and torch).

Included by ``backend/numpy/core.py`` and ``backend/torch/core.py`` (see ``common/binding.py``):
neither engine compiles a loop, so ``fori_loop``, ``scan`` and ``map`` run their steps one by one
in Python. ``scan`` stacks each output with the engine module's ``_stack_steps`` (looked up when
called, so the engine may define it after the include). jax has compiled loops of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import optree

REQUIRES = ()
if TYPE_CHECKING:  # defined by the including engine module

    def _stack_steps(*values):
        """One output's per-step values stacked along a new leading axis."""


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None:
        if length is None:
            raise ValueError("scan: either `xs` or `length` must be given.")
        steps = [None] * length
    else:
        leaves, treedef = optree.tree_flatten(xs)
        n = int(leaves[0].shape[0]) if length is None else length
        steps = [optree.tree_unflatten(treedef, [leaf[i] for leaf in leaves]) for i in range(n)]
    if reverse:
        steps = steps[::-1]
    carry, ys = init, []
    for x in steps:
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    if not ys or ys[0] is None:
        return carry, None
    return carry, optree.tree_map(_stack_steps, *ys)


def map(f, xs):
    def step(_, x):
        return (), f(x)

    return scan(step, (), xs)[1]
