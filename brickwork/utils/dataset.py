"""``Dataset``: what the ``*_dataset_from_*`` utilities return — batches of NumPy arrays read on
demand, with no TensorFlow.

It is a ``PyDataset``, so ``fit``/``evaluate``/``predict`` take it directly (loading the next
batches on threads while a step runs); it iterates as NumPy batches, has ``len()`` (batches), and
``torch.utils.data.DataLoader(dataset, batch_size=None)`` reads it batch by batch.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import math
import os
import threading
from collections.abc import Callable, Iterator

import numpy as np

from brickwork import backend
from brickwork.trainers.data_adapters.py_dataset_adapter import PyDataset

_pool_lock = threading.Lock()
_pool: tuple[int, concurrent.futures.ThreadPoolExecutor] | None = None


def _decode_pool() -> concurrent.futures.ThreadPoolExecutor:
    """The threads that decode samples, shared by every dataset of this process (made anew in a
    forked child such as a DataLoader worker, whose copy of the pool has no threads)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), concurrent.futures.ThreadPoolExecutor(
                max_workers=min(8, os.cpu_count() or 1), thread_name_prefix="brickwork-decode"))
        return _pool[1]


def stack_samples(samples: list):
    """One batch from a list of samples of the same structure (tuples, dicts): arrays stacked,
    strings in an object array."""
    first = samples[0]
    if isinstance(first, tuple):
        return tuple(stack_samples([sample[i] for sample in samples]) for i in range(len(first)))
    if isinstance(first, dict):
        return {key: stack_samples([sample[key] for sample in samples]) for key in first}
    if isinstance(first, (str, bytes)):
        return np.array(samples, dtype=object)
    return np.stack(samples)


class _SampleOrder:
    """The order of the samples, shared by a dataset and its views (``map``, ``take``, ``batch``):
    the first pass keeps the given order; with ``shuffle`` every later pass draws a new one."""

    def __init__(self, num_samples: int, shuffle: bool, seed: int | None):
        self.indices = np.arange(num_samples)
        self.shuffle = shuffle
        self.rng = np.random.default_rng(seed)
        self.started = False

    def next_pass(self) -> None:
        if self.started and self.shuffle:
            self.indices = self.rng.permutation(len(self.indices))
        self.started = True


class Dataset(PyDataset):
    """Samples read on demand (decoded on threads), served as NumPy batches.

    Args:
        num_samples: how many samples there are.
        load_sample: ``load_sample(i)`` returns sample ``i`` (an array, a string, or a tuple such
            as ``(image, label)``).
        batch_size: samples per batch; None serves single samples.
        shuffle: draw a new order of the samples for every pass (``for`` loop or ``fit`` epoch)
            after the first, which keeps their given order (so ``file_paths[k]`` is the ``k``-th
            sample of the first pass). ``DataLoader`` reads batches by index, in the current order.
        seed: seed of that reshuffling.
        collate: turns a list of samples into a batch; default stacks them.
        class_names: the class names, for the datasets built from class folders.
        file_paths: the file of each sample, in order.
        workers: batches prepared ahead, on threads, while ``fit`` runs a step.

    Example:
        ds = keras.utils.image_dataset_from_directory("photos/", image_size=(64, 64), seed=1)
        for images, labels in ds:          # NumPy: (32, 64, 64, 3) float32, (32,) int32
            ...
        model.fit(ds.map(lambda x, y: (x / 255.0, y)), epochs=3)
        loader = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=2)
    """

    def __init__(self, num_samples: int, load_sample: Callable[[int], object], batch_size: int | None = 32,
                 shuffle: bool = False, seed: int | None = None, collate: Callable[[list], object] | None = None,
                 class_names: list[str] | None = None, file_paths: list[str] | None = None, workers: int = 2):
        super().__init__(workers=workers, max_queue_size=max(workers, 2))
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
            raise ValueError(f"`batch_size` must be a positive integer or None; received batch_size={batch_size!r}.")
        self.num_samples = int(num_samples)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.class_names = class_names
        self.file_paths = file_paths
        self._load_sample = load_sample
        self._collate = collate or stack_samples
        self._transforms: list[Callable] = []
        self._max_batches: int | None = None
        self._order = _SampleOrder(self.num_samples, shuffle, seed)

    def __len__(self) -> int:
        """The number of batches (of samples when ``batch_size`` is None)."""
        count = self.num_samples if self.batch_size is None else math.ceil(self.num_samples / self.batch_size)
        return count if self._max_batches is None else min(count, self._max_batches)

    def __getitem__(self, index: int):
        """Batch ``index`` (sample ``index`` when ``batch_size`` is None), as NumPy arrays."""
        count = len(self)
        if not -count <= index < count:
            raise IndexError(f"Batch index {index} is out of range for a dataset of {count} batches.")
        index %= count
        order = self._order.indices
        if self.batch_size is None:
            batch = self._load_sample(int(order[index]))
        else:
            positions = order[index * self.batch_size:(index + 1) * self.batch_size].tolist()
            if len(positions) > 1:
                samples = list(_decode_pool().map(self._load_sample, positions))
            else:
                samples = [self._load_sample(positions[0])]
            batch = self._collate(samples)
        for transform in self._transforms:
            batch = transform(*batch) if isinstance(batch, tuple) else transform(batch)
        return batch

    def __iter__(self) -> Iterator:
        """One pass over the batches, the next ones loading while the current one is used."""
        self._order.next_pass()
        indices = iter(range(len(self)))
        pending: collections.deque = collections.deque()
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        try:
            for index in itertools.islice(indices, max(self.workers, 1)):
                pending.append(pool.submit(self.__getitem__, index))
            while pending:
                batch = pending.popleft().result()
                for index in itertools.islice(indices, 1):
                    pending.append(pool.submit(self.__getitem__, index))
                yield batch
        finally:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True)

    def on_epoch_begin(self) -> None:
        """A new pass: a new order of the samples (when ``shuffle``, after the first pass)."""
        self._order.next_pass()

    # ------------------------------------------------------------------ tf.data-like conveniences
    def map(self, function: Callable) -> Dataset:
        """A dataset whose batches are ``function(*batch)`` (``function(batch)`` for a single
        array): e.g. ``ds.map(lambda x, y: (x / 255.0, y))``."""
        mapped = self._view()
        mapped._transforms = self._transforms + [function]
        return mapped

    def take(self, count: int) -> Dataset:
        """A dataset of the first ``count`` batches of each pass."""
        taken = self._view()
        taken._max_batches = count if self._max_batches is None else min(count, self._max_batches)
        return taken

    def batch(self, batch_size: int) -> Dataset:
        """The samples of an unbatched dataset (``batch_size=None``), in batches of ``batch_size``."""
        if self.batch_size is not None:
            raise ValueError(f"This dataset is already batched (batch_size={self.batch_size}).")
        batched = self._view()
        batched.batch_size = batch_size
        return batched

    def prefetch(self, buffer_size=None) -> Dataset:
        """This dataset: batches are always loaded ahead, so this is here for tf.data code."""
        return self

    def _view(self) -> Dataset:
        """A copy sharing the samples and their order."""
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        return view

    def __repr__(self) -> str:
        return (f"<Dataset: {self.num_samples} samples, batch_size={self.batch_size}"
                + (f", classes={self.class_names}" if self.class_names else "") + ">")


def engine_datasets(datasets, format: str):
    """What Keras's ``*_dataset_from_*`` utilities return on the active engine: with ``format="tf"`` on tensorflow
    a ``tf.data.Dataset`` serving each brickwork ``Dataset`` (``backend/tensorflow/data.py``), elsewhere the
    datasets themselves. ``datasets`` is one dataset, or a list or tuple of them (``subset="both"``)."""
    engine_data = getattr(backend.active, "data", None)
    if engine_data is None or format != "tf":
        return datasets
    if isinstance(datasets, (list, tuple)):
        return type(datasets)(engine_data.from_dataset(dataset) for dataset in datasets)
    return engine_data.from_dataset(datasets)
