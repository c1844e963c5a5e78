"""CTC decoding (``ops.ctc_decode``): greedy on the other ops, prefix beam search on the host.

Greedy decoding is a few element-wise ops, so it runs on every engine, symbolically too. Beam search
keeps a data-dependent set of prefixes per step, which is host code: the logits are read into NumPy
(so it does not run under ``jax.jit``) and the result is converted back to the engine's tensors.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend import KerasTensor
from brickwork.backend.common.dtypes import promote_types as result_type
from brickwork.ops import core as _core
from brickwork.ops import numpy_arrays as _arrays
from brickwork.ops import numpy_math as _math
from brickwork.ops._dispatch import with_spec

_STRATEGIES = ("greedy", "beam_search")


def _ctc_decode_spec(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
                     mask_index=0):
    batch, max_length = inputs.shape[:2]
    paths = 1 if strategy == "greedy" else top_paths
    return (KerasTensor((paths, batch, max_length), dtype="int32"),
            KerasTensor((batch, paths), dtype=result_type(inputs.dtype, "float32")))


@with_spec(_ctc_decode_spec)
def ctc_decode(inputs, sequence_lengths, strategy: str = "greedy", beam_width: int = 100, top_paths: int = 1,
               merge_repeated: bool = True, mask_index: int = 0):
    """Decode the per-step class scores of a CTC model into label sequences.

    Args:
        inputs: logits ``(batch, max_length, num_classes)`` (not softmax-normalized).
        sequence_lengths: int ``(batch,)``, the valid steps of each entry.
        strategy: ``"greedy"`` (best class per step) or ``"beam_search"`` (prefix beam search over
            the log-softmax of ``inputs``).
        beam_width: the prefixes kept per step in beam search.
        top_paths: how many decodings beam search returns per entry.
        merge_repeated: greedy: a class repeated on consecutive steps counts once.
        mask_index: the class index of the blank.

    Returns:
        ``(decoded, scores)``: int32 ``decoded`` of shape ``(paths, batch, max_length)`` (``paths`` is 1
            for greedy), each sequence left-aligned and padded with ``-1``; greedy ``scores`` ``(batch, 1)`` is
            minus the sum of the chosen logits, beam search ``scores`` ``(batch, top_paths)`` the log
            probability of each decoding.

    Example:
    >>> logits = np.log(np.array([[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]]))
    >>> decoded, scores = ops.ctc_decode(logits, [4])
    >>> decoded[0, 0]   # [1, 2, -1, -1]
    """
    inputs = inputs if hasattr(inputs, "shape") and hasattr(inputs, "dtype") else _core.convert_to_tensor(inputs)
    if strategy not in _STRATEGIES:
        raise ValueError(f"ctc_decode: Invalid strategy {strategy!r}. Supported values are {_STRATEGIES}.")
    if len(inputs.shape) != 3:
        raise ValueError(f"ctc_decode: expected inputs of shape (batch, max_length, num_classes), "
                         f"received shape {tuple(inputs.shape)}")
    if strategy == "greedy":
        return _greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    dtype = result_type(_core.dtype(inputs), "float32")
    logits = np.asarray(_core.convert_to_numpy(inputs), dtype=np.float64)
    lengths = np.asarray(_core.convert_to_numpy(sequence_lengths)).astype(np.int64).reshape(-1)
    paths, scores = _beam_search(logits, lengths, beam_width, top_paths, mask_index)
    return _core.convert_to_tensor(paths, dtype="int32"), _core.convert_to_tensor(scores, dtype=dtype)


def _greedy(inputs, sequence_lengths, merge_repeated: bool, mask_index: int):
    inputs = _core.cast(inputs, result_type(_core.dtype(inputs), "float32"))
    max_length = inputs.shape[1]
    steps = _arrays.arange(max_length, dtype="int32")[None, :]
    padding = _math.greater_equal(steps, _core.cast(sequence_lengths, "int32")[:, None])
    labels = _core.cast(_math.argmax(inputs, axis=-1), "int32")
    labels = _arrays.where(padding, mask_index, labels)
    scores = _arrays.where(padding, 0.0, _math.max(inputs, axis=-1))
    if merge_repeated:
        repeated = _math.equal(labels[:, 1:], labels[:, :-1])
        repeated = _arrays.pad(repeated, ((0, 0), (1, 0)), constant_values=False)
        labels = _arrays.where(repeated, mask_index, labels)
    blank = _math.equal(labels, mask_index)
    labels = _arrays.where(blank, -1, labels)
    # Left-align the kept labels: sort positions with blanks moved past the end.
    order = _arrays.argsort(_arrays.where(blank, max_length, steps), axis=-1)
    labels = _arrays.take_along_axis(labels, order, axis=-1)
    return _arrays.expand_dims(labels, 0), _arrays.expand_dims(-_math.sum(scores, axis=1), 1)


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _beam_search(logits: np.ndarray, lengths: np.ndarray, beam_width: int, top_paths: int, blank: int):
    """Prefix beam search: each prefix keeps the log probability of its alignments ending in a blank and
    ending in its last label, so that a repeated label is a new symbol only after a blank."""
    batch, max_length, num_classes = logits.shape
    log_probs = _log_softmax(logits)
    paths = np.full((top_paths, batch, max_length), -1, dtype=np.int32)
    scores = np.full((batch, top_paths), -np.inf)
    labels = np.array([c for c in range(num_classes) if c != blank])
    for b in range(batch):
        beams = {(): (0.0, -np.inf)}  # prefix -> (log P(ends in blank), log P(ends in its last label))
        for step in log_probs[b, :lengths[b]]:
            grown: dict = {}

            def add(prefix, ends_blank=-np.inf, ends_label=-np.inf):
                old_blank, old_label = grown.get(prefix, (-np.inf, -np.inf))
                grown[prefix] = (np.logaddexp(old_blank, ends_blank), np.logaddexp(old_label, ends_label))

            for prefix, (ends_blank, ends_label) in beams.items():
                total = np.logaddexp(ends_blank, ends_label)
                add(prefix, ends_blank=total + step[blank])
                extend = total + step[labels]
                if prefix:  # the last label again extends only the paths that end in a blank...
                    last = np.searchsorted(labels, prefix[-1])
                    extend[last] = ends_blank + step[prefix[-1]]
                    add(prefix, ends_label=ends_label + step[prefix[-1]])  # ...else it merges into the prefix
                keep = np.argsort(-extend, kind="stable")[:beam_width]
                for k in keep:
                    add(prefix + (int(labels[k]),), ends_label=extend[k])
            ranked = sorted(grown.items(), key=lambda item: -np.logaddexp(*item[1]))
            beams = dict(ranked[:beam_width])
        ranked = sorted(beams.items(), key=lambda item: -np.logaddexp(*item[1]))[:top_paths]
        for rank, (prefix, probabilities) in enumerate(ranked):
            paths[rank, b, :len(prefix)] = prefix
            scores[b, rank] = np.logaddexp(*probabilities)
    return paths, scores
