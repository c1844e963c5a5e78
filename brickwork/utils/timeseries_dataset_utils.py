"""``timeseries_dataset_from_array``: sliding windows over a time series, as a dataset."""

from __future__ import annotations

import numpy as np

from brickwork.utils.dataset import Dataset, engine_datasets


class WindowLoader:
    """Window ``i``: ``data[start + s : ... : sampling_rate]`` for the ``i``-th start position
    ``s`` (with ``targets[start + s]``)."""

    def __init__(self, data, targets, start_positions: np.ndarray, sequence_length: int, sampling_rate: int,
                 start_index: int):
        self.data, self.targets = data, targets
        self.start_positions = start_positions
        self.offsets = np.arange(sequence_length) * sampling_rate
        self.start_index = start_index

    def __call__(self, i: int):
        first = self.start_index + int(self.start_positions[i])
        window = np.asarray(self.data[first:first + self.offsets[-1] + 1])[self.offsets]
        return window if self.targets is None else (window, np.asarray(self.targets[first]))


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
    format: str = "tf",
) -> Dataset:
    """A dataset of sliding windows over ``data`` (a time series sampled at equal intervals).

    Window ``i`` starts at ``start_index + i * sequence_stride`` and holds ``sequence_length``
    time steps, ``sampling_rate`` apart; its target is ``targets[start]`` (the value at the
    window's first step: shift ``targets`` to predict a later one).

    Args:
        data: an array (or array-like) with time on axis 0.
        targets: the targets, indexed like ``data``; None for windows only.
        sequence_length: time steps in a window.
        sequence_stride: steps between the starts of consecutive windows.
        sampling_rate: steps between the time steps of a window.
        batch_size: windows per batch; None yields single windows.
        shuffle: shuffle the windows (reshuffled at every epoch).
        seed: seed of the shuffling.
        start_index: first time step used (default 0).
        end_index: time steps from ``end_index`` on are not used (default ``len(data)``).
        format: ``"tf"`` (with ``shuffle``, every pass draws a new order) or ``"grain"`` (one
            fixed order); the result is a brickwork ``Dataset``, except for ``"tf"`` on the tensorflow
            engine: a ``tf.data.Dataset``, as Keras returns.

    Returns:
        A ``Dataset`` of windows ``(batch, sequence_length) + data.shape[1:]``, or of
            ``(windows, targets)``.

    Example:
        >>> ds = keras.utils.timeseries_dataset_from_array(np.arange(10), None, sequence_length=3,
        ...                                                sequence_stride=3, batch_size=None)
        >>> [window.tolist() for window in ds]
        [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    """
    length = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= length:
            raise ValueError(
                f"`start_index` must be lower than the length of the data ({length}). Received: start_index={start_index}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                f"`end_index` must be higher than `start_index`. Received: start_index={start_index}, end_index={end_index}"
            )
        if end_index >= length:
            raise ValueError(
                f"`end_index` must be lower than the length of the data ({length}). Received: end_index={end_index}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= length:
            raise ValueError(f"`{name}` must be lower than the length of the data ({length}). Received: {name}={value}")
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be "tf" or "grain". Received: format={format!r}')
    start_index = start_index or 0
    end_index = end_index or length
    num_windows = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_windows = min(num_windows, len(targets))
    start_positions = np.arange(0, max(num_windows, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(start_positions)
    loader = WindowLoader(data, targets, start_positions, sequence_length, sampling_rate, start_index)
    return engine_datasets(Dataset(len(start_positions), loader, batch_size=batch_size,
                                   shuffle=shuffle and format == "tf", seed=seed), format)
