"""``DataAdapter``: the interface every kind of input data is turned into."""

from __future__ import annotations

from typing import Iterator


class DataAdapter:
    """Yields the batches of one pass over some data as ``(x, y, sample_weight)`` backend tensors.

    ``num_batches`` is None when the size is unknown (generators, infinite datasets);
    ``one_shot`` says the data cannot be iterated again once exhausted (Python generators).
    """

    one_shot = False

    def get_iterator(self) -> Iterator[tuple]:
        raise NotImplementedError

    @property
    def num_batches(self) -> int | None:
        raise NotImplementedError

    @property
    def batch_size(self) -> int | None:
        return None

    def on_epoch_begin(self) -> None:
        pass

    def on_epoch_end(self) -> None:
        pass
