"""``EpochIterator``: the batches of each epoch, as ``(step, (x, y, sample_weight))``.

Epoch semantics follow Keras: without ``steps_per_epoch`` an epoch is one full pass over the
data; with it, each epoch takes that many batches and the next epoch continues where the
previous one stopped, starting a new pass when the data is used up.
"""

from __future__ import annotations

import itertools
import warnings

from brickwork import config
from brickwork.distribution import distribution_lib
from brickwork.trainers.data_adapters import get_data_adapter

_RAN_OUT = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or generator can "
    "generate at least `steps_per_epoch * epochs` batches."
)


class EpochIterator:
    """Iterate the batches of one epoch at a time.

    Example:
        iterator = EpochIterator(x, y, batch_size=32, shuffle=True)
        for epoch in range(epochs):
            for step, (x_batch, y_batch, sample_weight) in iterator.enumerate_epoch():
                ...
    """

    def __init__(self, x=None, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                 shuffle=False, class_weight=None, distribute=True):
        steps_per_epoch = config.capped_steps(steps_per_epoch)  # keras.config.max_steps_per_epoch
        self.steps_per_epoch = steps_per_epoch
        # Under a multi-process distribution, each process takes its slice of every (global) batch.
        self._shard = distribution_lib.batch_shard() if distribute else None
        self.data_adapter = get_data_adapter(
            x, y=y, sample_weight=sample_weight, batch_size=batch_size, steps_per_epoch=steps_per_epoch,
            shuffle=shuffle, class_weight=class_weight)
        self._num_batches = self.data_adapter.num_batches
        self._iterator = None  # kept across epochs when steps_per_epoch is set
        self._steps_seen = 0
        self._peeked = None  # (first batch, the iterator it came from)
        self.exhausted = False

    @property
    def num_batches(self) -> int | None:
        """Batches per epoch: ``steps_per_epoch`` if given, else the data's size (None when unknown)."""
        return self.steps_per_epoch or self._num_batches

    def peek_batch(self):
        """The first batch of the next pass, without consuming it (None when there is no data)."""
        if self._peeked is None:
            if self._iterator is not None:
                return None
            iterator = self.data_adapter.get_iterator()
            try:
                self._peeked = (next(iterator), iterator)
            except StopIteration:
                return None
        return self._peeked[0]

    def reset(self) -> None:
        """Start the next epoch from a fresh pass over the data."""
        self._iterator = None
        self._steps_seen = 0

    def _fresh_iterator(self):
        if self._peeked is not None:
            first, rest = self._peeked
            self._peeked = None
            return itertools.chain([first], rest)
        return self.data_adapter.get_iterator()

    def enumerate_epoch(self, steps_per_execution: int = 1):
        """Yield ``(step, (x, y, sample_weight))`` for one epoch (of whole groups of ``steps_per_execution``
        batches when ``steps_per_epoch`` is set)."""
        self.data_adapter.on_epoch_begin()
        try:
            if self.steps_per_epoch:
                groups = -(-int(self.steps_per_epoch) // steps_per_execution)
                epoch = self._limited_epoch(groups * steps_per_execution)
            else:
                epoch = self._full_epoch()
            if self._shard is None:
                yield from epoch
            else:
                index, count = self._shard
                for step, batch in epoch:
                    yield step, distribution_lib.local_batch(batch, index, count)
        finally:
            self.data_adapter.on_epoch_end()

    def enumerate_executions(self, steps_per_execution: int = 1):
        """Yield ``(begin_step, end_step, batches)`` for one epoch: its batches in groups of
        ``steps_per_execution`` (``compile(steps_per_execution=...)``), as Keras runs them: callbacks see
        one step a group, numbered by its first and last batch. The last group of a pass may be short;
        with ``steps_per_epoch``, an epoch takes whole groups (``steps_per_epoch`` rounded up).

        Example:
            for begin, end, batches in iterator.enumerate_executions(4):
                ...  # up to 4 batches; begin == 0, 4, 8, ...; end == begin + 3
        """
        group, begin = [], 0
        for step, batch in self.enumerate_epoch(steps_per_execution):
            if not group:
                begin = step
            group.append(batch)
            if len(group) == steps_per_execution:
                yield begin, begin + steps_per_execution - 1, group
                group = []
        if group:
            yield begin, begin + steps_per_execution - 1, group

    def _full_epoch(self):
        step = -1
        for step, batch in enumerate(self._fresh_iterator()):
            yield step, batch
        if step < 0 and self.data_adapter.one_shot:
            self._ran_out()
        elif self._num_batches is None:
            self._num_batches = step + 1  # learned at the end of the first pass

    def _limited_epoch(self, steps: int):
        known = self._num_batches
        for step in range(steps):
            if self._iterator is None:
                self._iterator, self._steps_seen = self._fresh_iterator(), 0
            if known is not None and self._steps_seen >= known:
                self._ran_out()
                return
            try:
                batch = next(self._iterator)
            except StopIteration:
                self._ran_out()
                return
            self._steps_seen += 1
            yield step, batch
        if known is not None and self._steps_seen >= known:
            self._iterator = None

    def _ran_out(self) -> None:
        warnings.warn(_RAN_OUT, stacklevel=4)
        self._iterator = None
        if self.data_adapter.one_shot:
            self.exhausted = True
