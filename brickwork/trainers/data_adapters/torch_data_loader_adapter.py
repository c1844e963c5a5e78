"""``TorchDataLoaderAdapter``: batches from a ``torch.utils.data.DataLoader``, on any backend."""

from __future__ import annotations

from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.data_adapters.data_adapter import DataAdapter


class TorchDataLoaderAdapter(DataAdapter):
    """Adapter for a DataLoader yielding ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.

    Each batch is converted with ``brickwork.backend.convert_to_tensor`` (a no-op for torch
    tensors on the torch backend), so a DataLoader feeds a JAX or NumPy model as well.
    """

    def __init__(self, dataloader):
        if not data_adapter_utils.is_torch_dataloader(dataloader):
            raise TypeError(
                "TorchDataLoaderAdapter expects a `torch.utils.data.DataLoader`; "
                f"received {type(dataloader).__name__}."
            )
        self._dataloader = dataloader
        self._batch_size = dataloader.batch_size
        # An IterableDataset without __len__ has no known number of batches.
        self._num_batches = len(dataloader) if hasattr(dataloader.dataset, "__len__") else None

    @property
    def num_batches(self) -> int | None:
        return self._num_batches

    @property
    def batch_size(self) -> int | None:
        return self._batch_size

    def get_iterator(self):
        convert = data_adapter_utils.convert_structure
        unpack = data_adapter_utils.unpack_x_y_sample_weight
        for batch in self._dataloader:
            # The default collate_fn turns a tuple (x, y) into a list [x, y].
            yield convert(unpack(data_adapter_utils.list_to_tuple(batch)))
