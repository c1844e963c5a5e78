"""``DropoutRNNCell``: the dropout masks of a recurrent cell, drawn once per sequence."""

from __future__ import annotations

from brickwork import ops, random


class DropoutRNNCell:
    """Mixin for cells with ``dropout``/``recurrent_dropout``: one mask per sequence, reused at every step.

    The cell has ``dropout``, ``recurrent_dropout`` and ``seed_generator``; with
    ``dropout_mask_count = n`` each getter returns ``n`` independent masks (one per gate).
    ``RNN`` draws the masks before its loop (so that the loop itself draws nothing, which keeps it
    traceable) and resets them after.
    """

    def _create_dropout_mask(self, step_input, rate):
        ones = ops.ones_like(step_input)
        count = getattr(self, "dropout_mask_count", None)
        if count is None:
            return random.dropout(ones, rate, seed=self.seed_generator)
        return [random.dropout(ones, rate, seed=self.seed_generator) for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The input dropout mask(s) for this sequence (``None`` without input dropout)."""
        if getattr(self, "_dropout_mask", None) is None and 0 < self.dropout < 1:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        """The recurrent dropout mask(s) for this sequence (``None`` without recurrent dropout)."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and 0 < self.recurrent_dropout < 1:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None
