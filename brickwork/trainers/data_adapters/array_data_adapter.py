"""``ArrayDataAdapter``: batches of in-memory arrays (NumPy, backend tensors, nested lists/dicts).

Each array becomes a backend tensor ONCE (zero-copy for CPU torch), or on jax stays a NumPy array (of the dtype
jax would give it) sliced on the host; a batch is then a slice of it (contiguous without shuffling) or a gather
with one permutation drawn per epoch.
"""

from __future__ import annotations

import math

import numpy as np
import optree

from brickwork import backend
from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.data_adapters.data_adapter import DataAdapter


class ArrayDataAdapter(DataAdapter):
    """Adapter for arrays: ``x``, ``y`` and ``sample_weight`` as arrays or nested lists/dicts of them.

    Args:
        batch_size: samples per batch (default 32, or ``ceil(num_samples / steps)`` when ``steps``).
        steps: steps per epoch, used only to derive ``batch_size`` when it is not given.
        shuffle: ``True`` (a new permutation each epoch), ``"batch"`` (shuffle within each batch)
            or ``False``.
        class_weight: ``{class_index: weight}``, turned into per-sample weights.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                 class_weight=None):
        sample_weight = _standardize_sample_weight(y, sample_weight, class_weight)
        inputs = (x, y, sample_weight)
        data_adapter_utils.check_data_cardinality(inputs)
        total = data_adapter_utils.num_samples(inputs)
        if total is None:
            raise ValueError("ArrayDataAdapter: received no array (x, y and sample_weight are all None).")
        if not batch_size:
            batch_size = int(math.ceil(total / steps)) if steps else 32
        self._num_samples = total
        self._batch_size = int(batch_size)
        self._num_batches = int(math.ceil(total / self._batch_size))
        self._shuffle = shuffle
        leaves, self._treedef = optree.tree_flatten(inputs)
        # A SciPy sparse matrix stays on the host in rows-first form (CSR) and each batch of its rows becomes
        # a sparse tensor of its own, as small as the batch; every other array becomes a backend tensor once.
        self._host_sparse = [i for i, leaf in enumerate(leaves) if data_adapter_utils.is_scipy_sparse(leaf)
                             and backend.SUPPORTS_SPARSE_TENSORS]
        host = set(self._host_sparse)
        # The engine's own sparse tensors (BCOO, tf.SparseTensor) batch through the engine's row gather.
        self._engine_sparse = [i for i, leaf in enumerate(leaves) if data_adapter_utils.is_backend_sparse(leaf)]
        # Flatten once: a batch is then one list comprehension and one unflatten.
        engine_sparse = set(self._engine_sparse)
        self._leaves = [leaf.tocsr() if i in host
                        else backend.active.sparse.row_major(leaf) if i in engine_sparse
                        else data_adapter_utils.to_batch_source(leaf)
                        for i, leaf in enumerate(leaves)]
        self._on_host = [isinstance(leaf, np.ndarray) or i in host for i, leaf in enumerate(self._leaves)]

    @property
    def num_batches(self) -> int:
        return self._num_batches

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def num_samples(self) -> int:
        return self._num_samples

    def _epoch_order(self):
        """The sample order of one epoch as a NumPy int array, or None for the natural order."""
        if not self._shuffle:
            return None
        if self._shuffle == "batch":
            batch_ids = np.arange(self._num_samples) // self._batch_size
            return np.lexsort((np.random.random(self._num_samples), batch_ids))
        return np.random.permutation(self._num_samples)

    def get_iterator(self):
        leaves, treedef, size = self._leaves, self._treedef, self._batch_size
        host_order = self._epoch_order()
        # Device leaves gather with a backend tensor of the order, made once per epoch.
        order = None if host_order is None or all(self._on_host) else backend.convert_to_tensor(host_order)
        sparse, engine_sparse = set(self._host_sparse), set(self._engine_sparse)
        for start in range(0, self._num_samples, size):
            if host_order is None:
                key = host_key = slice(start, start + size)
            else:
                host_key = host_order[start:start + size]
                key = host_key if order is None else order[start:start + size]
            if not (sparse or engine_sparse):
                yield treedef.unflatten([leaf[host_key] if on_host else leaf[key]
                                         for leaf, on_host in zip(leaves, self._on_host)])
            else:
                yield treedef.unflatten([data_adapter_utils.to_backend_tensor(leaf[host_key]) if i in sparse
                                         else backend.active.sparse.take_rows(leaf, key) if i in engine_sparse
                                         else leaf[host_key] if on_host else leaf[key]
                                         for i, (leaf, on_host) in enumerate(zip(leaves, self._on_host))])


def _standardize_sample_weight(y, sample_weight, class_weight):
    """Keras's rules: class_weight -> sample weights; one sample_weight array shared by all outputs."""
    if sample_weight is not None and class_weight is not None:
        raise ValueError("You cannot pass `class_weight` and `sample_weight` at the same time.")
    nested_y = y is not None and not optree.tree_is_leaf(y)
    if class_weight is not None:
        if nested_y:
            raise ValueError("`class_weight` is only supported for models with a single output.")
        if y is None:
            raise ValueError("`class_weight` needs targets `y` to weight samples by class.")
        return data_adapter_utils.class_weight_to_sample_weights(y, class_weight)
    if sample_weight is None or not nested_y or not optree.tree_is_leaf(sample_weight):
        return sample_weight
    shape = tuple(sample_weight.shape)
    if not (len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)):
        raise ValueError(
            "For a model with several outputs, a single `sample_weight` array must hold one scalar per "
            f"sample (shape `(num_samples,)`); received shape {shape}. Pass one array per output instead."
        )
    return optree.tree_map(lambda _: sample_weight, y)
