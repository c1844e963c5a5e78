"""``value_and_grad`` on torch: ``torch.autograd.grad`` of a function of brickwork variables.

The gradients are returned, never accumulated into ``.grad``, so there is nothing to clear between
steps; a variable the loss does not reach gets zeros, as on jax.
"""

from __future__ import annotations

import torch


def value_and_grad(fn, variables, has_aux=False):
    variables = list(variables)
    with torch.enable_grad():
        out = fn()
    loss = out[0] if has_aux else out
    tensors = [v.value for v in variables]
    grads = torch.autograd.grad(loss, tensors, allow_unused=True) if tensors else ()
    grads = [torch.zeros_like(t) if g is None else g for g, t in zip(grads, tensors)]
    if has_aux:
        return (loss.detach(), out[1]), grads
    return loss.detach(), grads
