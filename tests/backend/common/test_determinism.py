"""``brickwork.config.enable_determinism``: with a seed, two fresh processes train to bit-identical weights.

The control: without a seed, two processes train to different weights (so the check can fail). The model
has Dropout and GaussianNoise (both draw from SeedGenerators) and ``fit`` shuffles the data, so the seed has
to reach the data order, the layers' noise and the initializers.
"""

import json
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import brickwork as keras
from tests.conftest import BACKEND, requires_training

_TRAIN = textwrap.dedent("""
    import hashlib, json, os, sys
    import numpy as np
    import brickwork as keras

    if not keras.config.is_determinism_enabled():  # else BRICKWORK_DETERMINISM=1 turned it on at import
        keras.config.enable_determinism()
    if sys.argv[1] != "none":
        keras.utils.set_random_seed(int(sys.argv[1]))
    data = np.random.default_rng(0)  # the same data in every run, whatever the seed
    x = data.normal(size=(96, 6)).astype("float32")
    y = (x @ data.normal(size=(6, 1))).astype("float32")
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dropout(0.5), keras.layers.GaussianNoise(0.1), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(x, y, batch_size=8, epochs=3, shuffle=True, verbose=0)
    weights = model.get_weights()
    print(json.dumps({
        "sha256": hashlib.sha256(b"".join(np.ascontiguousarray(w).tobytes() for w in weights)).hexdigest(),
        "first": float(weights[0].ravel()[0]),
        "enabled": keras.config.is_determinism_enabled(),
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
    }))
""")


def _train_in_fresh_process(seed: str, extra_env=None) -> dict:
    env = dict(os.environ, BRICKWORK_BACKEND=BACKEND, KERAS_BACKEND=BACKEND, **(extra_env or {}))
    env.pop("XLA_FLAGS", None)
    env.pop("JAX_ENABLE_X64", None)
    result = subprocess.run([sys.executable, "-c", _TRAIN, seed], env=env, capture_output=True, text=True,
                            timeout=300, cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
                                os.path.abspath(__file__))))))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@requires_training
def test_same_seed_gives_bit_identical_weights_and_no_seed_does_not():
    first = _train_in_fresh_process("1234")
    second = _train_in_fresh_process("1234", {"BRICKWORK_DETERMINISM": "1"})  # on from the environment at import
    assert first["enabled"] and second["enabled"]
    assert first["sha256"] == second["sha256"]
    unseeded = [_train_in_fresh_process("none") for _ in range(2)]
    assert unseeded[0]["sha256"] != unseeded[1]["sha256"]
    assert first["sha256"] not in {run["sha256"] for run in unseeded}
    if BACKEND == "jax":  # set before JAX started its backend, so XLA read it
        assert "--xla_gpu_deterministic_ops=true" in first["xla_flags"].split()
        assert "--xla_gpu_deterministic_ops=true" in second["xla_flags"].split()


def test_switch_toggles():
    assert keras.config.is_determinism_enabled() is False
    try:
        keras.config.enable_determinism()
        assert keras.config.is_determinism_enabled() is True
    finally:
        keras.config.disable_determinism()
    assert keras.config.is_determinism_enabled() is False


@pytest.mark.skipif(BACKEND != "torch", reason="the switches are PyTorch's")
def test_torch_switches_follow():
    import torch

    try:
        keras.config.enable_determinism()
        assert torch.are_deterministic_algorithms_enabled()
        assert torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark
        assert os.environ["CUBLAS_WORKSPACE_CONFIG"] in (":4096:8", ":16:8")
    finally:
        keras.config.disable_determinism()
    assert not torch.are_deterministic_algorithms_enabled()


class _PutLayer(keras.layers.Layer):
    """Calls torch's ``put_``, which has no deterministic kernel (even on CPU)."""

    def call(self, inputs):
        import torch

        out = torch.zeros(4)
        out.put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0]))
        return inputs + out.sum()


@pytest.mark.skipif(BACKEND != "torch", reason="only PyTorch refuses ops without a deterministic kernel")
def test_an_op_without_deterministic_kernel_names_the_layer_and_the_op():
    model = keras.Sequential([keras.Input((4,)), _PutLayer(name="scatter_here")])
    try:
        keras.config.enable_determinism()
        with pytest.raises(keras.config.NondeterministicOpError, match=r"Layer 'scatter_here' \(_PutLayer\).*`put_`"):
            model(np.ones((2, 4), "float32"))
        keras.config.enable_determinism(warn_only=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model(np.ones((2, 4), "float32"))
        assert any("put_" in str(w.message) for w in caught)
    finally:
        keras.config.disable_determinism()
    model(np.ones((2, 4), "float32"))  # off again: runs silently
