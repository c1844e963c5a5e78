"""PyTorch optimizer kernels: every variable updated in a few ``torch._foreach_*`` calls.

``PARALLEL_UPDATES`` maps a built-in optimizer's name to a function
``(optimizer, grads, variables, learning_rate)`` that updates all ``variables`` in place
(under ``torch.no_grad``) with the same formula as the optimizer's ``update_step``. The
learning rate and bias corrections stay 0-d device tensors: no host sync per step.
Lists of parameters and slots are built once per optimizer and cached.

Inside a ``StatelessScope`` nothing may change in place: the optimizer then takes its
generic ``update_step`` path, and the helpers below fall back to ``Variable.assign``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from brickwork.backend.common import global_state
from brickwork.backend.common.variables import Variable as _BaseVariable
from brickwork.backend.torch.core import convert_to_tensor, device_scope


def scalar_state_scope():
    """Where the step counter and learning rate live: the CPU, so kernels read them as Python
    numbers without waiting for the accelerator (as ``torch.optim`` keeps its ``step`` on the CPU)."""
    return device_scope("cpu")


def update_scope():
    """The context of an optimizer step: no autograd graph."""
    return torch.no_grad()


def stateful_cond(pred, true_fn, false_fn, variables) -> None:
    """Run ``true_fn()`` or ``false_fn()``, which update ``variables``, as ``pred`` says."""
    (true_fn if bool(pred) else false_fn)()


def _in_place() -> bool:
    return global_state.STATE.stateless_scope is None


def _value(x):
    """A tensor (or Python number) from a Variable, tensor or number."""
    return x.value if isinstance(x, _BaseVariable) else x


def _tensors(values, dtype) -> list:
    return [v if type(v) is torch.Tensor and v.dtype == dtype else convert_to_tensor(v, dtype) for v in values]


def apply_weight_decay(variables, learning_rate, weight_decay) -> None:
    """``variable -= variable * weight_decay * learning_rate`` for every variable."""
    if not variables:
        return
    factor = 1 - weight_decay * _value(learning_rate)
    if _in_place():
        torch._foreach_mul_([v.value for v in variables], factor)
        return
    for variable in variables:
        variable.assign(variable.value * factor)


def increment_accumulators(accumulators, grads) -> None:
    """``accumulator += grad`` for each pair."""
    if _in_place():
        values = [a.value for a in accumulators]
        torch._foreach_add_(values, [
            g if type(g) is torch.Tensor and g.dtype == a.dtype else convert_to_tensor(g, a.dtype)
            for g, a in zip(grads, values)
        ])
        return
    for accumulator, grad in zip(accumulators, grads):
        accumulator.assign(accumulator.value + convert_to_tensor(grad, accumulator.dtype))


def reset_accumulators(accumulators) -> None:
    """Set every accumulator to zero."""
    if _in_place():
        torch._foreach_zero_([a.value for a in accumulators])
        return
    for accumulator in accumulators:
        accumulator.assign(torch.zeros_like(accumulator.value))


def update_moving_averages(averages, variables, momentum) -> None:
    """``average = momentum * average + (1 - momentum) * variable`` for each pair."""
    momentum = _value(momentum)
    if _in_place():
        average_values = [a.value for a in averages]
        torch._foreach_mul_(average_values, momentum)
        torch._foreach_add_(average_values, torch._foreach_mul([v.value for v in variables], 1 - momentum))
        return
    for average, variable in zip(averages, variables):
        average.assign(momentum * average.value + (1 - momentum) * variable.value)


def clip_by_norm(values, clip_norm) -> list:
    """Each of ``values`` scaled to an L2 norm of at most ``clip_norm``."""
    values = [convert_to_tensor(v) for v in values]
    factors = torch._foreach_maximum(torch._foreach_norm(values), clip_norm)
    torch._foreach_reciprocal_(factors)
    torch._foreach_mul_(factors, clip_norm)
    return list(torch._foreach_mul(values, factors))


def clip_by_global_norm(values, clip_norm) -> list:
    """``values`` scaled so that their joint L2 norm is at most ``clip_norm`` (NaN if it is not finite)."""
    values = [convert_to_tensor(v) for v in values]
    norm = torch.linalg.vector_norm(torch.stack([n.float() for n in torch._foreach_norm(values)]))
    scale = clip_norm * torch.clamp(1.0 / norm, max=1.0 / clip_norm) + (norm - norm)
    return list(torch._foreach_mul(values, scale))


def clip_by_value(values, clip_value) -> list:
    """Each of ``values`` clipped element-wise to ``[-clip_value, clip_value]``."""
    clipped = torch._foreach_clamp_min([convert_to_tensor(v) for v in values], -clip_value)
    torch._foreach_clamp_max_(clipped, clip_value)
    return list(clipped)


def all_finite(values):
    """A 0-d bool tensor: whether every element of ``values`` is finite (no host sync; True for none)."""
    if not values:
        return torch.tensor(True)
    # 0 * x is 0 for finite x and NaN for inf or NaN: one foreach pass instead of a loop.
    zeros = torch._foreach_mul([convert_to_tensor(v) for v in values], 0)
    return torch.isfinite(torch.stack([n.float() for n in torch._foreach_norm(zeros)]).sum())


# ---- the parallel update kernels ----


class _Group(NamedTuple):
    """Variables of one dtype: their positions in the variable list, parameters and slots."""

    dtype: torch.dtype
    positions: list | None  # None when the group is the whole list
    params: list
    slots: tuple


def _groups(optimizer, variables, slot_names: tuple) -> list:
    """The variables and their slots (``getattr(optimizer, name)[index]``) grouped by dtype.

    Cached for the optimizer's full variable list, the usual case of a training step.
    """
    full = variables is optimizer._trainable_variables
    if full:
        cached = optimizer._parallel_cache.get(slot_names)
        if cached is not None:
            return cached
    by_dtype: dict = {}
    for position, variable in enumerate(variables):
        by_dtype.setdefault(variable.value.dtype, []).append(position)
    index = optimizer._get_variable_index
    groups = []
    for dtype, positions in by_dtype.items():
        members = [variables[p] for p in positions]
        slots = tuple([getattr(optimizer, name)[index(v)].value for v in members] for name in slot_names)
        groups.append(_Group(dtype, None if len(by_dtype) == 1 else positions, [v.value for v in members], slots))
    if full:
        optimizer._parallel_cache[slot_names] = groups
    return groups


def _group_grads(group: _Group, grads) -> list:
    if group.positions is not None:
        grads = [grads[p] for p in group.positions]
    return _tensors(grads, group.dtype)


def _scalar(value, dtype=None) -> float:
    """A learning rate (Variable, tensor or number) as a Python float.

    Python numbers let ``_foreach`` kernels take their fast scalar path (a 0-d tensor operand is
    over ten times slower on CPU). The optimizer keeps its step counter and learning rate on the
    CPU, so reading them never waits for an accelerator.
    """
    value = _value(value)
    return value.item() if isinstance(value, torch.Tensor) else float(value)


def _local_step(optimizer, dtype=None) -> float:
    """``iterations + 1`` as a Python number (the counter lives on the CPU: no device sync)."""
    return _scalar(optimizer.iterations) + 1


def sgd(optimizer, grads, variables, learning_rate) -> None:
    momentum = optimizer.momentum
    names = ("momentums",) if momentum != 0 else ()
    for group in _groups(optimizer, variables, names):
        g = _group_grads(group, grads)
        scaled = torch._foreach_mul(g, _scalar(learning_rate, group.dtype))
        if not names:
            torch._foreach_sub_(group.params, scaled)
            continue
        m = group.slots[0]
        torch._foreach_mul_(m, momentum)
        torch._foreach_sub_(m, scaled)
        if optimizer.nesterov:
            step = torch._foreach_mul(m, momentum)
            torch._foreach_sub_(step, scaled)
            torch._foreach_add_(group.params, step)
        else:
            torch._foreach_add_(group.params, m)


def adam(optimizer, grads, variables, learning_rate) -> None:
    beta_1, beta_2 = optimizer.beta_1, optimizer.beta_2
    names = ("_momentums", "_velocities") + (("_velocity_hats",) if optimizer.amsgrad else ())
    for group in _groups(optimizer, variables, names):
        g = _group_grads(group, grads)
        m, v = group.slots[0], group.slots[1]
        step = _local_step(optimizer)
        alpha = _scalar(learning_rate) * math.sqrt(1 - beta_2**step) / (1 - beta_1**step)
        torch._foreach_lerp_(m, g, 1 - beta_1)
        torch._foreach_mul_(v, beta_2)
        torch._foreach_addcmul_(v, g, g, value=1 - beta_2)
        if optimizer.amsgrad:
            torch._foreach_maximum_(group.slots[2], v)
            v = group.slots[2]
        denominator = torch._foreach_sqrt(v)
        torch._foreach_add_(denominator, optimizer.epsilon)
        torch._foreach_addcdiv_(group.params, m, denominator, value=-alpha)


def adamax(optimizer, grads, variables, learning_rate) -> None:
    beta_1 = optimizer.beta_1
    for group in _groups(optimizer, variables, ("_m", "_u")):
        g = _group_grads(group, grads)
        m, u = group.slots
        step = _local_step(optimizer, group.dtype)
        torch._foreach_lerp_(m, g, 1 - beta_1)
        torch._foreach_mul_(u, optimizer.beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(g))
        denominator = torch._foreach_add(u, optimizer.epsilon)
        update = torch._foreach_div(m, denominator)
        torch._foreach_mul_(update, _scalar(learning_rate, group.dtype) / (1 - beta_1**step))
        torch._foreach_sub_(group.params, update)


def nadam(optimizer, grads, variables, learning_rate) -> None:
    # ``_u_product`` already holds the product through this step (updated by Nadam first).
    beta_1, beta_2 = optimizer.beta_1, optimizer.beta_2
    for group in _groups(optimizer, variables, ("_momentums", "_velocities")):
        g = _group_grads(group, grads)
        m, v = group.slots
        step = _local_step(optimizer, group.dtype)
        u_t = beta_1 * (1.0 - 0.5 * 0.96**step)
        u_t_1 = beta_1 * (1.0 - 0.5 * 0.96 ** (step + 1))
        u_product_t = _scalar(optimizer._u_product)
        u_product_t_1 = u_product_t * u_t_1
        torch._foreach_lerp_(m, g, 1 - beta_1)
        torch._foreach_mul_(v, beta_2)
        torch._foreach_addcmul_(v, g, g, value=1 - beta_2)
        m_hat = torch._foreach_mul(m, u_t_1 / (1 - u_product_t_1))
        torch._foreach_add_(m_hat, torch._foreach_mul(g, (1 - u_t) / (1 - u_product_t)))
        denominator = torch._foreach_mul(v, 1 / (1 - beta_2**step))
        torch._foreach_sqrt_(denominator)
        torch._foreach_add_(denominator, optimizer.epsilon)
        update = torch._foreach_div(m_hat, denominator)
        torch._foreach_mul_(update, _scalar(learning_rate, group.dtype))
        torch._foreach_sub_(group.params, update)


def rmsprop(optimizer, grads, variables, learning_rate) -> None:
    rho = optimizer.rho
    names = ("_velocities",) + (("_momentums",) if optimizer.momentum > 0 else ()) + (
        ("_average_gradients",) if optimizer.centered else ())
    for group in _groups(optimizer, variables, names):
        g = _group_grads(group, grads)
        velocity = group.slots[0]
        torch._foreach_mul_(velocity, rho)
        torch._foreach_addcmul_(velocity, g, g, value=1 - rho)
        if optimizer.centered:
            average = group.slots[-1]
            torch._foreach_lerp_(average, g, 1 - rho)
            denominator = torch._foreach_addcmul(velocity, average, average, value=-1)
            torch._foreach_add_(denominator, optimizer.epsilon)
        else:
            denominator = torch._foreach_add(velocity, optimizer.epsilon)
        torch._foreach_sqrt_(denominator)
        increment = torch._foreach_div(g, denominator)
        torch._foreach_mul_(increment, _scalar(learning_rate, group.dtype))
        if optimizer.momentum > 0:
            momentum = group.slots[1]
            torch._foreach_mul_(momentum, optimizer.momentum)
            torch._foreach_add_(momentum, increment)
            torch._foreach_sub_(group.params, momentum)
        else:
            torch._foreach_sub_(group.params, increment)


def adagrad(optimizer, grads, variables, learning_rate) -> None:
    for group in _groups(optimizer, variables, ("_accumulators",)):
        g = _group_grads(group, grads)
        accumulator = group.slots[0]
        torch._foreach_addcmul_(accumulator, g, g)
        denominator = torch._foreach_add(accumulator, optimizer.epsilon)
        torch._foreach_sqrt_(denominator)
        update = torch._foreach_div(g, denominator)
        torch._foreach_mul_(update, _scalar(learning_rate, group.dtype))
        torch._foreach_sub_(group.params, update)


def adadelta(optimizer, grads, variables, learning_rate) -> None:
    rho, epsilon = optimizer.rho, optimizer.epsilon
    for group in _groups(optimizer, variables, ("_accumulated_grads", "_accumulated_delta_vars")):
        g = _group_grads(group, grads)
        accumulated_grad, accumulated_delta = group.slots
        torch._foreach_mul_(accumulated_grad, rho)
        torch._foreach_addcmul_(accumulated_grad, g, g, value=1 - rho)
        # delta = sqrt(accumulated_delta + eps) / sqrt(accumulated_grad + eps) * g; the step is -delta.
        delta = torch._foreach_add(accumulated_delta, epsilon)
        torch._foreach_sqrt_(delta)
        denominator = torch._foreach_add(accumulated_grad, epsilon)
        torch._foreach_sqrt_(denominator)
        torch._foreach_div_(delta, denominator)
        torch._foreach_mul_(delta, g)
        torch._foreach_mul_(accumulated_delta, rho)
        torch._foreach_addcmul_(accumulated_delta, delta, delta, value=1 - rho)
        torch._foreach_mul_(delta, _scalar(learning_rate, group.dtype))
        torch._foreach_sub_(group.params, delta)


def lion(optimizer, grads, variables, learning_rate) -> None:
    beta_1, beta_2 = optimizer.beta_1, optimizer.beta_2
    for group in _groups(optimizer, variables, ("_momentums",)):
        g = _group_grads(group, grads)
        m = group.slots[0]
        update = torch._foreach_mul(m, beta_1)
        torch._foreach_add_(update, g, alpha=1 - beta_1)
        torch._foreach_sign_(update)
        torch._foreach_mul_(update, _scalar(learning_rate, group.dtype))
        torch._foreach_sub_(group.params, update)
        torch._foreach_lerp_(m, g, 1 - beta_2)


PARALLEL_UPDATES = {
    "sgd": sgd,
    "adam": adam,
    "adamax": adamax,
    "nadam": nadam,
    "rmsprop": rmsprop,
    "adagrad": adagrad,
    "adadelta": adadelta,
    "lion": lion,
}
