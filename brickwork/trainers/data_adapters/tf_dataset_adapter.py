"""``TFDatasetAdapter``: batches from a ``tf.data.Dataset``, on any engine, as Keras takes them."""

from __future__ import annotations

import numpy as np
import optree

from brickwork import backend
from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.data_adapters.data_adapter import DataAdapter


class TFDatasetAdapter(DataAdapter):
    """Adapter for an already batched ``tf.data.Dataset`` yielding ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)``.

    TensorFlow is never imported here: the dataset was built by the caller, and each element's tensors
    are read through ``.numpy()`` and handed to the active engine — on the tensorflow engine they are its
    own tensors already and go to the step as they are (ragged and sparse ones too). ``num_batches`` is the
    dataset's cardinality when TensorFlow knows it (None for an infinite or unknown one).
    """

    def __init__(self, dataset):
        if not data_adapter_utils.is_tf_dataset(dataset):
            raise TypeError(f"TFDatasetAdapter expects a tf.data.Dataset; received {type(dataset).__name__}.")
        self._dataset = dataset

    @property
    def num_batches(self) -> int | None:
        cardinality = int(self._dataset.cardinality())
        return cardinality if cardinality >= 0 else None

    def get_iterator(self):
        unpack = data_adapter_utils.unpack_x_y_sample_weight
        for batch in self._dataset:
            batch = optree.tree_map(_to_numpy, data_adapter_utils.list_to_tuple(batch))
            yield data_adapter_utils.convert_structure(unpack(batch))


def _to_numpy(value):
    if value is None or backend.is_tensor(value):
        return value
    if hasattr(value, "to_tensor") and not hasattr(value, "numpy"):
        raise TypeError(f"TFDatasetAdapter: ragged or sparse batches ({type(value).__name__}) have no dense "
                        "equivalent on this engine; pad them in the dataset (e.g. `padded_batch`).")
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)
