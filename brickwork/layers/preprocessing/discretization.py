"""``Discretization``: bucket continuous values by bin boundaries (given, or learned by ``adapt``)."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops
from brickwork.layers.layer import Layer
from brickwork.layers.preprocessing.index_lookup import encode, encoded_shape, iterate_batches


class Discretization(Layer):
    """Map each value to the index of its bin: ``boundaries[i-1] <= x < boundaries[i]`` gives ``i``.

    Args:
        bin_boundaries: sorted boundaries; ``n`` boundaries make ``n + 1`` bins.
        num_bins: the number of bins ``adapt`` learns (equal-count quantile bins).
        epsilon: Keras's quantile-sketch error; ``adapt`` here computes exact quantiles.
        output_mode: ``"int"`` (default), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: not supported (dense outputs only).

    Example:
    >>> Discretization([0.0, 1.0, 2.0])(np.array([[-1.5, 1.0, 3.4, 0.5]]))   # [[0, 2, 3, 1]]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 **kwargs):
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Discretization: `output_mode` must be 'int', 'one_hot', 'multi_hot' or "
                             f"'count', received {output_mode!r}.")
        if sparse:
            raise ValueError("Discretization: `sparse=True` is not supported; outputs are dense.")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"Discretization: `num_bins` must be >= 0, received {num_bins}.")
        if bin_boundaries is not None and num_bins is not None:
            raise ValueError("Discretization: set `bin_boundaries` or `num_bins`, not both.")
        dtype = kwargs.pop("dtype", None) or ("int64" if output_mode == "int" else backend.floatx())
        super().__init__(dtype=dtype, **kwargs)
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse

    def adapt(self, data, steps=None) -> None:
        """Learn ``num_bins`` equal-count bins from ``data`` (exact quantiles of all values seen)."""
        if self.num_bins is None:
            raise ValueError("Discretization: `adapt` needs `num_bins` set in the constructor.")
        batches = [np.asarray(backend.convert_to_numpy(b) if backend.is_tensor(b) else b, "float64").reshape(-1)
                   for i, b in enumerate(iterate_batches(data)) if steps is None or i < steps]
        values = np.concatenate(batches) if batches else np.zeros(0)
        if values.size == 0:
            raise ValueError("Discretization: `adapt` received no data.")
        quantiles = np.quantile(values, np.linspace(0, 1, self.num_bins + 1)[1:-1])
        self.bin_boundaries = [float(q) for q in quantiles]

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("Discretization: set `bin_boundaries` or call `adapt` before using the layer.")
        indices = ops.digitize(inputs, self.bin_boundaries)
        if self.output_mode == "int":
            return ops.cast(indices, self.compute_dtype)
        return encode(backend.convert_to_numpy(indices), self.output_mode, len(self.bin_boundaries) + 1,
                      self.compute_dtype, owner="Discretization")

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        return encoded_shape(tuple(input_shape), self.output_mode, depth)

    @classmethod
    def from_config(cls, config: dict):
        # After `adapt` the config holds both `num_bins` and the learned `bin_boundaries`, which the
        # constructor refuses together (as Keras does, the boundaries are set after construction).
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            config = dict(config)
            bin_boundaries = config.pop("bin_boundaries")
            layer = super().from_config(config)
            layer.bin_boundaries = [float(b) for b in bin_boundaries]
            return layer
        return super().from_config(config)

    def get_config(self) -> dict:
        return {**super().get_config(), "bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode, "sparse": self.sparse}
