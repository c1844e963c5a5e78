"""Data adapters: every kind of training data turned into batches of backend tensors.

``get_data_adapter`` picks the adapter for ``x``: arrays (NumPy, backend tensors, nested
lists/dicts of them), ``PyDataset``, ``torch.utils.data.DataLoader``, a ``tf.data.Dataset``, a Grain dataset or
a Python generator.
"""

from __future__ import annotations

import collections.abc

import optree

from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from brickwork.trainers.data_adapters.data_adapter import DataAdapter
from brickwork.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter
from brickwork.trainers.data_adapters.grain_dataset_adapter import GrainDatasetAdapter
from brickwork.trainers.data_adapters.py_dataset_adapter import PyDataset, PyDatasetAdapter
from brickwork.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter
from brickwork.trainers.data_adapters.torch_data_loader_adapter import TorchDataLoaderAdapter

__all__ = [
    "ArrayDataAdapter",
    "DataAdapter",
    "GeneratorDataAdapter",
    "GrainDatasetAdapter",
    "PyDataset",
    "PyDatasetAdapter",
    "TFDatasetAdapter",
    "TorchDataLoaderAdapter",
    "get_data_adapter",
]


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None, shuffle=False,
                     class_weight=None) -> DataAdapter:
    """The adapter for ``x`` (and ``y``/``sample_weight`` for arrays); a TypeError for other types."""
    if isinstance(x, DataAdapter):
        return x
    if _all_arrays((x, y, sample_weight)):
        return ArrayDataAdapter(x, y, sample_weight=sample_weight, batch_size=batch_size,
                                steps=steps_per_epoch, shuffle=shuffle, class_weight=class_weight)
    if isinstance(x, PyDataset):
        _reject_y_and_sample_weight("PyDataset", y, sample_weight)
        return PyDatasetAdapter(x, class_weight=class_weight, shuffle=shuffle)
    if data_adapter_utils.is_torch_dataloader(x):
        _reject_y_and_sample_weight("torch DataLoader", y, sample_weight)
        _reject_class_weight("torch DataLoader", class_weight)
        return TorchDataLoaderAdapter(x)
    if data_adapter_utils.is_tf_dataset(x):
        _reject_y_and_sample_weight("tf.data.Dataset", y, sample_weight)
        _reject_class_weight("tf.data.Dataset", class_weight)
        return TFDatasetAdapter(x)
    if data_adapter_utils.is_grain_dataset(x):
        _reject_y_and_sample_weight("Grain dataset", y, sample_weight)
        _reject_class_weight("Grain dataset", class_weight)
        return GrainDatasetAdapter(x)
    if isinstance(x, collections.abc.Iterator):
        _reject_y_and_sample_weight("generator", y, sample_weight)
        _reject_class_weight("Python generator", class_weight)
        return GeneratorDataAdapter(x)
    bad = [type(leaf).__name__ for leaf in optree.tree_leaves((x, y, sample_weight))
           if not data_adapter_utils.can_slice_array(leaf)]
    raise TypeError(
        "Unrecognized data type: expected NumPy arrays or tensors (or lists/dicts of them), a "
        "PyDataset, a torch DataLoader, a tf.data.Dataset, a Grain dataset or a Python generator; received x of type "
        f"{type(x).__name__}" + (f" holding {', '.join(sorted(set(bad)))}." if bad else ".")
    )


def _all_arrays(data) -> bool:
    leaves = optree.tree_leaves(data)
    return bool(leaves) and all(data_adapter_utils.can_slice_array(leaf) for leaf in leaves)


def _reject_y_and_sample_weight(kind: str, y, sample_weight) -> None:
    for name, value in (("y", y), ("sample_weight", sample_weight)):
        if value is not None:
            raise ValueError(
                f"When providing `x` as a {kind}, `{name}` should not be passed: include it in the "
                f"batches the {kind} yields instead."
            )


def _reject_class_weight(kind: str, class_weight) -> None:
    if class_weight is not None:
        raise ValueError(f"`class_weight` is not supported for {kind} inputs; yield sample weights instead.")
