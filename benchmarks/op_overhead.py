"""The Python overhead brickwork.ops adds over calling the engine directly.

    BRICKWORK_BACKEND=torch python benchmarks/op_overhead.py
    BRICKWORK_BACKEND=jax python benchmarks/op_overhead.py
    BRICKWORK_BACKEND=tensorflow python benchmarks/op_overhead.py

Prints, for an element-wise add and a matmul on small tensors (where overhead dominates),
the engine's time per call, brickwork's, and the difference in microseconds.
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._timing import compare  # noqa: E402
from brickwork import backend, ops  # noqa: E402


def engine_functions():
    name = backend.backend()
    if name == "torch":
        import torch

        return torch.add, torch.matmul
    if name == "jax":
        import jax.numpy as jnp

        return jnp.add, jnp.matmul
    if name == "tensorflow":
        import tensorflow as tf

        return tf.add, tf.matmul
    return np.add, np.matmul


def main(calls: int = 20000) -> dict:
    engine_add, engine_matmul = engine_functions()
    a = backend.convert_to_tensor(np.random.rand(8, 8).astype("float32"))
    b = backend.convert_to_tensor(np.random.rand(8, 8).astype("float32"))
    results = {}
    for label, engine_fn, ours in (("add", engine_add, ops.add), ("matmul", engine_matmul, ops.matmul)):
        times = compare({"engine": lambda f=engine_fn: f(a, b), "brickwork": lambda f=ours: f(a, b)}, calls)
        extra = (times["brickwork"] - times["engine"]) * 1e6
        results[label] = extra
        print(f"{backend.backend():6s} {label:7s} engine {times['engine'] * 1e6:7.2f} us   "
              f"brickwork {times['brickwork'] * 1e6:7.2f} us   overhead {extra:+6.2f} us/op")
    return results


if __name__ == "__main__":
    main()
