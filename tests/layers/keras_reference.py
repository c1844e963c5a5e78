"""Outputs of the reference Keras 3.15.1 on the same inputs, computed in its own virtual environment.

The environment (``~/.cache/brickwork-keras-venv``, or ``BRICKWORK_KERAS_VENV``) holds Keras 3.15.1 on the torch
backend and is never on brickwork's path; ``keras_python()`` makes it on first use (``pip install keras==3.15.1``,
once, under a file lock so that parallel test workers wait for one another). A script runs there in a
subprocess, reading the arrays given and returning the arrays it puts in ``out``.

Results are cached on disk by the script and the exact input bytes (``~/.cache/brickwork-keras-reference``, or
``BRICKWORK_KERAS_REFERENCE_CACHE``): the test suite runs once per engine, and Keras's answer to the same
script on the same inputs does not change between them. Tests skip, saying why, where Keras cannot be installed.

Example:
    result = run_keras("out['y'] = keras.layers.RMSNormalization()(data['x']).numpy()", x=np.ones((2, 3)))
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pathlib
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest

KERAS_VERSION = "3.15.1"
VENV = pathlib.Path(os.environ.get("BRICKWORK_KERAS_VENV", pathlib.Path.home() / ".cache" / "brickwork-keras-venv"))
CACHE = pathlib.Path(os.environ.get("BRICKWORK_KERAS_REFERENCE_CACHE",
                                    pathlib.Path.home() / ".cache" / "brickwork-keras-reference"))

_PRELUDE = """
import os, sys
os.environ["KERAS_BACKEND"] = "{keras_backend}"
import numpy as np
import keras
data = dict(np.load(sys.argv[1]))
out = {}
"""
_EPILOGUE = """
np.savez(sys.argv[2], **{k: np.asarray(v) for k, v in out.items()})
"""


def keras_python() -> str:
    """The interpreter of the Keras 3.15.1 environment, made on first use; skips the test if that fails."""
    python, marker = VENV / "bin" / "python", VENV / ".keras-ready"
    if marker.exists() and python.exists():
        return str(python)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / f".{VENV.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be installing it right now
        if not (marker.exists() and python.exists()):
            _install(python)
            marker.write_text("ok")
    return str(python)


def _install(python: pathlib.Path) -> None:
    steps = ([sys.executable, "-m", "venv", "--system-site-packages", str(VENV)],
             [str(python), "-m", "pip", "install", "--quiet", f"keras=={KERAS_VERSION}"],
             [str(python), "-c", "import os; os.environ['KERAS_BACKEND'] = 'torch'; import keras"])
    try:
        for step in steps:
            subprocess.run(step, check=True, capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        pytest.skip(f"could not install Keras {KERAS_VERSION} in {VENV}: {error} {detail[-300:]!r}")


def clean_environment() -> dict:
    """The environment for a Keras subprocess: nothing that would put brickwork on its path."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "BRICKWORK"))}


def run_keras(script: str, keras_backend: str = "torch", **arrays) -> dict[str, np.ndarray]:
    """Run ``script`` under Keras 3.15.1 with ``data`` (the arrays given) and return its ``out`` dict as arrays.

    ``keras_backend`` picks Keras's engine (torch by default; ``"jax"`` where results may differ by engine).
    """
    code = _PRELUDE.replace("{keras_backend}", keras_backend) + textwrap.dedent(script) + _EPILOGUE
    cached = CACHE / f"{_key(code, arrays)}.npz"
    if cached.exists():
        with np.load(cached) as saved:
            return {key: saved[key] for key in saved.files}
    python = keras_python()
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = os.path.join(folder, "in.npz"), os.path.join(folder, "out.npz")
        np.savez(inputs, **arrays)
        result = subprocess.run([python, "-c", code, inputs, outputs], check=False, capture_output=True,
                                text=True, timeout=600, env=clean_environment(), cwd=folder)
        if result.returncode != 0:
            raise AssertionError(f"the Keras 3 reference script failed:\n{result.stderr[-3000:]}")
        CACHE.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp.npz")
        os.replace(outputs, temporary)
        os.replace(temporary, cached)  # whole or absent, even with parallel workers
        with np.load(cached) as saved:
            return {key: saved[key] for key in saved.files}


def run_keras_script(code: str, *args: str, keras_backend: str = "torch", depends_on: str = "") -> str:
    """The standard output of ``python -c code *args`` under Keras 3.15.1 on ``keras_backend``.

    Cached like ``run_keras``, by the code, the arguments, the backend and ``depends_on`` (the text of any file
    the script reads, so that editing it runs Keras again).
    """
    key = hashlib.sha256("\0".join([KERAS_VERSION, code, keras_backend, depends_on, *args]).encode()).hexdigest()
    cached = CACHE / f"{key}.out"
    if cached.exists():
        return cached.read_text()
    env = dict(clean_environment(), KERAS_BACKEND=keras_backend)
    result = subprocess.run([keras_python(), "-c", code, *args], capture_output=True, text=True, timeout=600,
                            env=env, cwd="/")
    if result.returncode != 0:
        raise AssertionError(f"the Keras 3 reference script failed:\n{result.stderr[-3000:]}")
    CACHE.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(result.stdout)
    os.replace(temporary, cached)
    return result.stdout


def _key(code: str, arrays: dict) -> str:
    digest = hashlib.sha256(f"keras=={KERAS_VERSION}\n{code}".encode())
    for name in sorted(arrays):
        value = np.asarray(arrays[name])
        digest.update(f"\n{name}:{value.dtype.str}:{value.shape}\n".encode())
        digest.update(value.tobytes() if value.dtype != object else repr(value.tolist()).encode())
    return digest.hexdigest()


def run_keras_in_folder(script: str, folder, keras_backend: str = "torch") -> str:
    """Run ``script`` under Keras 3.15.1 on ``keras_backend`` with ``folder`` as its working directory, for scripts
    that read or write files there (a ``.keras`` file, a SavedModel); not cached. Returns its standard output.

    Skips the test when Keras's environment lacks the engine (``keras_backend="tensorflow"`` needs TensorFlow
    there: ``pip install tensorflow-cpu`` into it).
    """
    python = keras_python()
    env = dict(clean_environment(), KERAS_BACKEND=keras_backend, TF_CPP_MIN_LOG_LEVEL="3")
    probe_code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({keras_backend!r}) is None)"
    probe = subprocess.run([python, "-c", probe_code], check=False, capture_output=True, timeout=120, env=env)
    if probe.returncode != 0:
        pytest.skip(f"Keras {KERAS_VERSION}'s environment {VENV} has no {keras_backend}")
    result = subprocess.run([python, "-c", textwrap.dedent(script)], check=False, capture_output=True, text=True,
                            timeout=600, env=env, cwd=str(folder))
    if result.returncode != 0:
        raise AssertionError(f"the Keras 3 script failed:\n{result.stderr[-3000:]}")
    return result.stdout
