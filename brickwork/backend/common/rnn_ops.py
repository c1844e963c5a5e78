"""Recurrence helpers the NumPy-like engines share (masks over the time axis).

Included by ``backend/<engine>/rnn.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

REQUIRES = ("convert_to_tensor",)
if TYPE_CHECKING:  # bound by the including engine module

    def convert_to_tensor(x, dtype=None): ...


def _time_mask(mask):
    mask = convert_to_tensor(mask)
    if mask.ndim == 3:
        mask = mask[:, :, 0]
    return mask.astype(bool)


def _expand(keep, like):
    """The ``(batch,)`` mask shaped to broadcast against ``like``."""
    return keep.reshape((-1,) + (1,) * (like.ndim - 1))
