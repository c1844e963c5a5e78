"""ops.ctc_decode: greedy decoding against a loop reference, beam search against brute-force enumeration."""

import itertools

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor

rng = np.random.default_rng(0)


def to_np(x):
    return backend.convert_to_numpy(x)


def _collapse(alignment, blank, merge_repeated=True):
    labels, previous = [], None
    for label in alignment:
        if label != blank and not (merge_repeated and label == previous):
            labels.append(label)
        previous = label
    return tuple(labels)


@pytest.mark.parametrize("merge_repeated", [True, False])
@pytest.mark.parametrize("mask_index", [0, 3])
def test_greedy(merge_repeated, mask_index):
    logits = rng.standard_normal((3, 7, 4)).astype("float32")
    lengths = np.array([7, 4, 5], "int32")
    decoded, scores = ops.ctc_decode(logits, lengths, merge_repeated=merge_repeated, mask_index=mask_index)
    decoded, scores = to_np(decoded), to_np(scores)
    assert decoded.shape == (1, 3, 7) and decoded.dtype == np.int32 and scores.shape == (3, 1)
    for b in range(3):
        best = logits[b, :lengths[b]].argmax(-1)
        labels = _collapse(best, mask_index, merge_repeated)
        np.testing.assert_array_equal(decoded[0, b], list(labels) + [-1] * (7 - len(labels)))
        assert scores[b, 0] == pytest.approx(-logits[b, :lengths[b]].max(-1).sum(), rel=1e-5)


def _labelings(log_probs, blank):
    """The probability of every labeling: the sum over all alignments that collapse to it."""
    totals = {}
    for alignment in itertools.product(range(log_probs.shape[1]), repeat=log_probs.shape[0]):
        p = np.exp(sum(log_probs[t, c] for t, c in enumerate(alignment)))
        labels = _collapse(alignment, blank)
        totals[labels] = totals.get(labels, 0.0) + p
    return sorted(totals.items(), key=lambda item: -item[1])


@pytest.mark.parametrize("mask_index", [0, 2])
def test_beam_search_against_enumeration(mask_index):
    logits = rng.standard_normal((2, 5, 3))
    lengths = np.array([5, 4], "int32")
    decoded, scores = ops.ctc_decode(logits.astype("float32"), lengths, strategy="beam_search", beam_width=50,
                                     top_paths=3, mask_index=mask_index)
    decoded, scores = to_np(decoded), to_np(scores)
    assert decoded.shape == (3, 2, 5) and scores.shape == (2, 3)
    for b in range(2):
        log_probs = logits[b, :lengths[b]] - np.log(np.exp(logits[b, :lengths[b]]).sum(-1, keepdims=True))
        best = _labelings(log_probs, mask_index)[:3]
        for rank, (labels, probability) in enumerate(best):
            np.testing.assert_array_equal(decoded[rank, b], list(labels) + [-1] * (5 - len(labels)))
            assert scores[b, rank] == pytest.approx(np.log(probability), rel=1e-4)


def test_symbolic_and_errors():
    decoded, scores = ops.ctc_decode(KerasTensor((None, 7, 4)), KerasTensor((None,), dtype="int32"),
                                     strategy="beam_search", top_paths=2)
    assert decoded.shape == (2, None, 7) and scores.shape == (None, 2)
    with pytest.raises(ValueError, match="Invalid strategy"):  # Keras 3.15.1's phrase
        ops.ctc_decode(np.zeros((1, 2, 3)), [2], strategy="best")
