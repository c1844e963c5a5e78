"""PyTorch recurrence: the generic step loop, and PyTorch's fused LSTM/GRU kernels.

``rnn`` runs any cell as a Python loop over the time axis (PyTorch has no compiled scan).
``lstm``/``gru`` run the Keras default cells (tanh/sigmoid, GRU ``reset_after=True``) with
``torch._VF.lstm``/``torch._VF.gru`` — the kernels behind ``torch.nn.LSTM``/``GRU`` (cuDNN on
GPU) — after mapping Keras's weight layout to PyTorch's once per call. They raise
``NotImplementedError`` for what those kernels cannot do (a mask that is not right-padded);
the caller then falls back to ``rnn``.
"""

from __future__ import annotations

import optree
import torch
from torch.nn.utils import rnn as torch_rnn

from brickwork.backend.torch.core import convert_to_tensor


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Run ``output, states = step_function(inputs[:, t], states)`` along axis 1 of ``inputs``.

    Args:
        step_function: ``(step_input, states) -> (output, new_states)``.
        inputs: ``(batch, time, ...)``.
        initial_states: the initial states (a list, possibly nested).
        go_backwards: iterate from the last step to the first.
        mask: ``(batch, time)`` booleans; a masked step keeps the previous states and repeats
            the previous output (zeros with ``zero_output_for_mask``).
        unroll: ignored (the loop runs in Python).
        return_all_outputs: stack every step's output; else only the last.

    Returns:
        ``(last_output, outputs, final_states)``; ``outputs`` is ``(batch, time, ...)`` in the
            order the steps ran (reversed with ``go_backwards``), or ``(batch, 1, ...)``.
    """
    steps = torch.unbind(convert_to_tensor(inputs), dim=1)
    if not steps:
        raise ValueError("rnn: the input sequence has no time steps.")
    keeps = None if mask is None else torch.unbind(_time_mask(mask), dim=1)
    if go_backwards:
        steps = steps[::-1]
        keeps = None if keeps is None else keeps[::-1]
    states = initial_states
    output, outputs = None, []
    for t, step_input in enumerate(steps):
        new_output, new_states = step_function(step_input, states)
        new_states = _like(states, new_states)
        if keeps is not None:
            keep = keeps[t]
            fill = output if output is not None and not zero_output_for_mask else torch.zeros_like(new_output)
            new_output = torch.where(_expand(keep, new_output), new_output, fill)
            new_states = optree.tree_map(lambda new, old, keep=keep: torch.where(_expand(keep, new), new, old),
                                         new_states, states)
        output, states = new_output, new_states
        if return_all_outputs:
            outputs.append(output)
    stacked = torch.stack(outputs, dim=1) if return_all_outputs else output.unsqueeze(1)
    return output, stacked, states


def _like(reference, states):
    """``states`` in the tree structure of ``reference`` (cells may return lists for tuples)."""
    leaves = optree.tree_leaves(states)
    return optree.tree_unflatten(optree.tree_structure(reference), leaves)


def _time_mask(mask):
    mask = convert_to_tensor(mask)
    if mask.ndim == 3:
        mask = mask[:, :, 0]
    return mask if mask.dtype == torch.bool else mask.bool()


def _expand(keep, like):
    """The ``(batch,)`` mask shaped to broadcast against ``like``."""
    return keep.view((-1,) + (1,) * (like.ndim - 1))


# ---- fused kernels ----

_ZEROS: dict = {}
_GRU_ORDER: dict = {}


def _zeros(size, like):
    """A cached zero bias (PyTorch's kernels take two biases, Keras's LSTM has one)."""
    key = (size, like.dtype, like.device)
    zeros = _ZEROS.get(key)
    if zeros is None:
        with torch.inference_mode(False):  # cached: a tensor made under predict's inference mode breaks autograd
            zeros = _ZEROS[key] = torch.zeros(size, dtype=like.dtype, device=like.device)
    return zeros


def _right_padded_lengths(mask, steps):
    """Lengths of a right-padded mask with no empty row; ``NotImplementedError`` otherwise."""
    mask = _time_mask(mask)
    lengths = mask.sum(dim=1)
    positions = torch.arange(steps, device=mask.device)
    right_padded = torch.equal(mask, positions < lengths.unsqueeze(1))
    if not right_padded or bool((lengths == 0).any()):
        raise NotImplementedError("the fused kernels take right-padded masks only")
    return lengths


def _run(kernel_fn, inputs, hidden, weights, has_biases, mask, go_backwards, return_sequences,
         zero_output_for_mask):
    """Run ``torch._VF.lstm``/``gru`` batch-first; returns ``(last_output, outputs, hidden)``."""
    steps = inputs.shape[1]
    lengths = None if mask is None else _right_padded_lengths(mask, steps)
    if lengths is not None and go_backwards:
        raise NotImplementedError("the fused kernels take no mask with go_backwards")
    if go_backwards:
        inputs = torch.flip(inputs, (1,))
    train = torch.is_grad_enabled()
    if lengths is None:
        outputs, *hidden = kernel_fn(inputs, hidden, weights, has_biases, 1, 0.0, train, False, True)
        last = outputs[:, -1]
        return last, (outputs if return_sequences else last.unsqueeze(1)), hidden
    packed = torch_rnn.pack_padded_sequence(inputs, lengths.cpu(), batch_first=True, enforce_sorted=False)
    order, unorder = packed.sorted_indices, packed.unsorted_indices
    hidden = hidden.index_select(1, order) if torch.is_tensor(hidden) else [h.index_select(1, order) for h in hidden]
    data, *hidden = kernel_fn(packed.data, packed.batch_sizes, hidden, weights, has_biases, 1, 0.0, train, False)
    hidden = [h.index_select(1, unorder) for h in hidden]
    last = hidden[0][0]
    if not return_sequences:
        return last, last.unsqueeze(1), hidden
    packed_out = torch_rnn.PackedSequence(data, packed.batch_sizes, order, unorder)
    outputs, _ = torch_rnn.pad_packed_sequence(packed_out, batch_first=True, total_length=steps)
    if not zero_output_for_mask:  # masked steps repeat the last output, as the generic loop does
        outputs = torch.where(_time_mask(mask).unsqueeze(-1), outputs, last.unsqueeze(1))
    else:
        last = outputs[:, -1]
    return last, outputs, hidden


def lstm(inputs, initial_state_h, initial_state_c, kernel, recurrent_kernel, bias=None, mask=None,
         go_backwards=False, return_sequences=False, zero_output_for_mask=False):
    """A Keras ``LSTMCell`` (tanh, sigmoid) over ``(batch, time, features)``, fused.

    Keras's gate order i, f, c, o is PyTorch's i, f, g, o: the weights only transpose (views).

    Returns:
        ``(last_output, outputs, [h, c])`` as ``rnn`` does.
    """
    kernel = convert_to_tensor(kernel)
    recurrent_kernel = convert_to_tensor(recurrent_kernel)
    inputs = convert_to_tensor(inputs, kernel.dtype)
    weights = [kernel.T, recurrent_kernel.T]
    if bias is not None:
        bias = convert_to_tensor(bias)
        weights += [bias, _zeros(bias.shape[0], bias)]
    hidden = (convert_to_tensor(initial_state_h, kernel.dtype).unsqueeze(0),
              convert_to_tensor(initial_state_c, kernel.dtype).unsqueeze(0))
    last, outputs, (h, c) = _run(torch._VF.lstm, inputs, hidden, weights, bias is not None, mask,
                                 go_backwards, return_sequences, zero_output_for_mask)
    return last, outputs, [h[0], c[0]]


def _gru_order(units, device):
    """Column indices taking Keras's GRU gates z, r, h to PyTorch's r, z, n."""
    key = (units, device)
    order = _GRU_ORDER.get(key)
    if order is None:
        with torch.inference_mode(False):  # cached: a tensor made under predict's inference mode breaks autograd
            order = _GRU_ORDER[key] = torch.arange(3 * units, device=device).view(3, units)[[1, 0, 2]].reshape(-1)
    return order


def gru(inputs, initial_state, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False,
        return_sequences=False, zero_output_for_mask=False, reset_after=True):
    """A Keras ``GRUCell`` (tanh, sigmoid, ``reset_after=True``) over ``(batch, time, features)``, fused.

    PyTorch's GRU applies the reset gate after the recurrent matmul, as Keras's ``reset_after``;
    the gates are reordered from z, r, h to r, z, n. ``bias`` is ``(2, 3 * units)``: input, recurrent.

    Returns:
        ``(last_output, outputs, [h])`` as ``rnn`` does.
    """
    if not reset_after:
        raise NotImplementedError("PyTorch's GRU kernel applies the reset gate after the matmul only")
    kernel = convert_to_tensor(kernel)
    recurrent_kernel = convert_to_tensor(recurrent_kernel)
    inputs = convert_to_tensor(inputs, kernel.dtype)
    order = _gru_order(recurrent_kernel.shape[0], kernel.device)
    weights = [kernel.index_select(1, order).T, recurrent_kernel.index_select(1, order).T]
    if bias is not None:
        weights += list(convert_to_tensor(bias).index_select(1, order).unbind(0))
    hidden = convert_to_tensor(initial_state, kernel.dtype).unsqueeze(0)
    last, outputs, (h,) = _run(torch._VF.gru, inputs, hidden, weights, bias is not None, mask,
                               go_backwards, return_sequences, zero_output_for_mask)
    return last, outputs, [h[0]]
