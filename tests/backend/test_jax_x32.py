"""jax in JAX's default 32-bit mode, as Keras runs it: brickwork changes no global JAX setting.

The rest of the suite runs jax with 64-bit mode on (tests/conftest.py), so these checks run in a fresh
process where JAX has its default. The reference is Keras 3.15.1 on jax, whose dtypes these are.
"""

import json
import math
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "jax", reason="JAX's 64-bit mode is a jax matter")

_SCRIPT = textwrap.dedent("""
    import json, warnings
    import numpy as np
    warnings.simplefilter("error", UserWarning)  # no dtype-truncation warning from brickwork's own requests
    import jax
    import brickwork as keras
    from brickwork import ops

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dropout(0.1)])
    model.compile("adam", "mse", metrics=["mae"])
    history = model.fit(np.ones((8, 3)), np.ones((8, 2)), verbose=0, validation_split=0.25)
    model.evaluate(np.ones((8, 3)), np.ones((8, 2)), verbose=0)
    model.predict(np.ones((8, 3)), verbose=0)
    sparse_cce = keras.losses.SparseCategoricalCrossentropy()(np.array([0, 1]), np.full((2, 2), 0.5, "float32"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an explicit float64 request is truncated by JAX, with its warning
        f64 = ops.cast(ops.ones(2), "float64")
    print(json.dumps({
        "x64": bool(jax.config.jax_enable_x64),
        "int_array": str(ops.convert_to_tensor(np.arange(3)).dtype),
        "float_array": str(ops.convert_to_tensor(np.ones(3)).dtype),
        "arange": str(ops.arange(3).dtype),
        "python_int": keras.backend.standardize_dtype(int),
        "cast_float64": str(f64.dtype),
        "iterations": str(model.optimizer.iterations.dtype),
        "loss_is_finite": bool(np.isfinite(history.history["loss"][0])),
        "sparse_cce": round(float(sparse_cce), 6),
    }))
""")


def test_default_32_bit_mode_gives_keras_dtypes_without_warnings():
    env = {k: v for k, v in os.environ.items() if k != "JAX_ENABLE_X64"}
    env["BRICKWORK_BACKEND"] = "jax"
    done = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "x64": False, "int_array": "int32", "float_array": "float32", "arange": "int32",
        "python_int": "int32", "cast_float64": "float32", "iterations": "int32", "loss_is_finite": True,
        "sparse_cce": round(math.log(2.0), 6),
    }
