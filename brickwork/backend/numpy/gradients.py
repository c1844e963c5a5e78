"""``value_and_grad`` on numpy: the engine runs inference only, so there are no gradients."""

from __future__ import annotations


def value_and_grad(fn, variables, has_aux=False):
    raise NotImplementedError(
        "value_and_grad: the numpy backend is for inference only and computes no gradients. "
        "Train with the torch or jax backend (BRICKWORK_BACKEND=torch or jax)."
    )
