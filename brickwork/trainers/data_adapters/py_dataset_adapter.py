"""``PyDataset`` (a dataset written in Python, batch by batch) and its adapter."""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import random
import warnings

from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.data_adapters.data_adapter import DataAdapter


class PyDataset:
    """Base class for a dataset that returns whole batches from ``__getitem__``.

    Implement ``__len__`` (the number of batches) and ``__getitem__(index)`` (one batch:
    ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``); optionally ``on_epoch_begin`` /
    ``on_epoch_end``. Call ``super().__init__(**kwargs)`` from your constructor.

    Args:
        workers: threads loading batches in parallel during ``fit`` (1: load in the loop).
        use_multiprocessing: accepted for Keras compatibility; batches are loaded by threads.
        max_queue_size: batches prepared ahead of the loop when ``workers > 1``.

    Example:
        class Batches(keras.utils.PyDataset):
            def __init__(self, x, y, batch_size, **kwargs):
                super().__init__(**kwargs)
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return math.ceil(len(self.x) / self.batch_size)

            def __getitem__(self, index):
                part = slice(index * self.batch_size, (index + 1) * self.batch_size)
                return self.x[part], self.y[part]
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _warn_if_super_not_called(self) -> None:
        missing = [name for name in ("_workers", "_use_multiprocessing", "_max_queue_size")
                   if not hasattr(self, name)]
        if missing:
            self._workers, self._use_multiprocessing, self._max_queue_size = (
                getattr(self, "_workers", 1), getattr(self, "_use_multiprocessing", False),
                getattr(self, "_max_queue_size", 10))
            warnings.warn(
                "Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor. "
                "`**kwargs` can include `workers`, `use_multiprocessing`, `max_queue_size`.",
                stacklevel=3,
            )

    @property
    def workers(self) -> int:
        self._warn_if_super_not_called()
        return self._workers

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        self._warn_if_super_not_called()
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        self._warn_if_super_not_called()
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int):
        """The batch at position ``index``."""
        raise NotImplementedError

    def __iter__(self):
        """The batches in order: ``num_batches`` of them, or without end when it is None.

        Without this, Python would iterate through ``__getitem__`` until an IndexError, which a dataset that
        slices arrays never raises (a slice past the end is empty): ``list(dataset)`` would never end.

        Example:
            batches = list(dataset)  # len(batches) == dataset.num_batches
        """
        count = self.num_batches
        index = 0
        while count is None or index < count:
            yield self[index]
            index += 1

    @property
    def num_batches(self) -> int | None:
        """The number of batches (``len(self)``), or None for an infinite dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            "Implement `__len__` (or a `num_batches` property returning None for an infinite dataset)."
        )

    def on_epoch_begin(self) -> None:
        """Called at the beginning of every epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch."""


class PyDatasetAdapter(DataAdapter):
    """Adapter for a ``PyDataset``: batches in index order (shuffled order with ``shuffle``)."""

    def __init__(self, x: PyDataset, class_weight=None, shuffle=False):
        self.py_dataset = x
        self.class_weight = class_weight
        self.shuffle = shuffle

    @property
    def num_batches(self) -> int | None:
        return self.py_dataset.num_batches

    def _standardize_batch(self, batch):
        if isinstance(batch, dict):
            batch = (batch,)
        elif isinstance(batch, list):
            batch = tuple(batch)
        elif not isinstance(batch, tuple):
            batch = (batch,)
        if len(batch) not in (1, 2, 3):
            raise ValueError(
                "PyDataset.__getitem__() must return x, (x,), (x, y) or (x, y, sample_weight); "
                f"received a tuple of length {len(batch)}."
            )
        if self.class_weight is not None:
            if len(batch) == 3:
                raise ValueError("You cannot specify `class_weight` and `sample_weight` at the same time.")
            if len(batch) == 2:
                batch = batch + (data_adapter_utils.class_weight_to_sample_weights(batch[1], self.class_weight),)
        return data_adapter_utils.convert_structure(data_adapter_utils.unpack_x_y_sample_weight(batch))

    def _indices(self):
        count = self.py_dataset.num_batches
        if count is None:
            return itertools.count()
        indices = list(range(count))
        if self.shuffle:
            random.shuffle(indices)
        return indices

    def get_iterator(self):
        dataset = self.py_dataset
        workers = dataset.workers
        if workers > 1 or (workers > 0 and dataset.use_multiprocessing):
            yield from self._parallel_iterator(max(workers, 1), max(dataset.max_queue_size, 1))
            return
        for index in self._indices():
            yield self._standardize_batch(dataset[index])

    def _parallel_iterator(self, workers: int, queue_size: int):
        """Load batches on a thread pool, ``queue_size`` ahead, and yield them in order."""
        dataset = self.py_dataset
        indices = iter(self._indices())
        pending = collections.deque()
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        try:
            for index in itertools.islice(indices, queue_size):
                pending.append(executor.submit(dataset.__getitem__, index))
            while pending:
                batch = pending.popleft().result()
                for index in itertools.islice(indices, 1):
                    pending.append(executor.submit(dataset.__getitem__, index))
                yield self._standardize_batch(batch)
        finally:
            for future in pending:
                future.cancel()
            executor.shutdown(wait=False)

    def on_epoch_begin(self) -> None:
        self.py_dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        self.py_dataset.on_epoch_end()
