"""``GrainDatasetAdapter``: batches from a Grain ``MapDataset``, ``IterDataset`` or ``DataLoader``."""

from __future__ import annotations

from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.data_adapters.data_adapter import DataAdapter


class GrainDatasetAdapter(DataAdapter):
    """Adapter for an already batched Grain dataset yielding ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)`` (KerasHub's tasks feed ``fit``/``predict`` this way).

    Grain datasets can be iterated again, so every epoch starts a fresh pass; their size is left
    unknown, as in Keras.
    """

    def __init__(self, dataset):
        if not data_adapter_utils.is_grain_dataset(dataset):
            raise TypeError("GrainDatasetAdapter expects a grain.MapDataset, grain.IterDataset or "
                            f"grain.DataLoader; received {type(dataset).__name__}.")
        self._dataset = dataset

    @property
    def num_batches(self) -> None:
        return None

    def get_iterator(self):
        convert = data_adapter_utils.convert_structure
        unpack = data_adapter_utils.unpack_x_y_sample_weight
        for batch in self._dataset:
            yield convert(unpack(data_adapter_utils.list_to_tuple(batch)))
