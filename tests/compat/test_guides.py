"""Each program in examples/guides/ runs under `python -m brickwork run` on the active backend."""

import os
import pathlib
import subprocess
import sys

import pytest

from brickwork import backend
from examples.guides import ENGINE_SPECIFIC, GUIDES_DIR, programs

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", programs())
def test_guide_program_runs_under_brickwork_run(name):
    engine = ENGINE_SPECIFIC.get(name)
    if engine is not None and engine != backend.backend():
        pytest.skip(f"{name} is written for the {engine} engine")
    if backend.backend() == "numpy":
        pytest.skip("the guides train; the numpy backend is inference only")
    env = {**os.environ, "BRICKWORK_BACKEND": backend.backend(), "KERAS_BACKEND": backend.backend()}
    result = subprocess.run([sys.executable, "-m", "brickwork", "run", str(GUIDES_DIR / f"{name}.py")],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{name}: ok" in result.stdout
