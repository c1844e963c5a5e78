"""Outputs of the reference Keras 3 on the same inputs, computed in its own virtual environment.

The environment (``~/.cache/brickwork-keras-venv``, or ``BRICKWORK_KERAS_VENV``) holds Keras 3.15 on the torch
backend and is never on brickwork's path: a script runs there in a subprocess, reading the arrays given and
returning the arrays it puts in ``out``. Tests that use it skip, saying why, where the environment is missing.

Example:
    result = run_keras("out['y'] = keras.layers.RMSNormalization()(data['x']).numpy()", x=np.ones((2, 3)))
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import tempfile
import textwrap

import numpy as np
import pytest

VENV = pathlib.Path(os.environ.get("BRICKWORK_KERAS_VENV", pathlib.Path.home() / ".cache" / "brickwork-keras-venv"))

_PRELUDE = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import keras
data = dict(np.load(sys.argv[1]))
out = {}
"""
_EPILOGUE = """
np.savez(sys.argv[2], **{k: np.asarray(v) for k, v in out.items()})
"""


def run_keras(script: str, **arrays) -> dict[str, np.ndarray]:
    """Run ``script`` under Keras 3 with ``data`` (the arrays given) and return its ``out`` dict as NumPy arrays."""
    python = VENV / "bin" / "python"
    if not python.exists():
        pytest.skip(f"the reference Keras 3 environment is missing ({python})")
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = os.path.join(folder, "in.npz"), os.path.join(folder, "out.npz")
        np.savez(inputs, **arrays)
        code = _PRELUDE + textwrap.dedent(script) + _EPILOGUE
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "BRICKWORK"))}
        result = subprocess.run([str(python), "-c", code, inputs, outputs], check=False, capture_output=True,
                                text=True, timeout=600, env=env, cwd=folder)
        if result.returncode != 0:
            raise AssertionError(f"the Keras 3 reference script failed:\n{result.stderr[-3000:]}")
        with np.load(outputs) as saved:
            return {key: saved[key] for key in saved.files}
