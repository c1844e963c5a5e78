"""The include binding: NumPy-like engine modules run the shared code of backend/common/*_ops.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from brickwork.backend.common.binding import include


def test_include_names_what_is_missing():
    with pytest.raises(ImportError, match=r"does not bind \['xp', 'convert_to_tensor'"):
        include("numpy_ops", {"__name__": "engine_without_bindings"})


def test_shared_code_comes_from_the_bytecode_cache_when_current(monkeypatch):
    """Compiling the shared modules at each start cost ~0.1 s of ``import brickwork``: a current .pyc is used."""
    import builtins
    import importlib.util
    import py_compile

    from brickwork.backend.common import binding

    source = str(binding._COMMON / "math_ops.py")
    py_compile.compile(source, cfile=importlib.util.cache_from_source(source), doraise=True)
    binding._compiled.cache_clear()

    real_compile = builtins.compile

    def no_compiling(code, filename, *args, **kwargs):
        if str(filename) == source:
            raise AssertionError("compiled from source")
        return real_compile(code, filename, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", no_compiling)
    try:
        code, requires = binding._compiled("math_ops")
    finally:
        monkeypatch.undo()
        binding._compiled.cache_clear()
    assert code.co_filename == source and requires == ("xp", "convert_to_tensor")


def test_included_functions_belong_to_the_engine_module():
    import numpy as np

    namespace = {"__name__": "fake_engine", "__doc__": "the engine's own", "xp": np,
                 "convert_to_tensor": lambda x, dtype=None: np.asarray(x, dtype), "standardize_dtype": str}
    include("numpy_ops", namespace)
    assert namespace["__doc__"] == "the engine's own"
    assert namespace["add"].__module__ == "fake_engine"
    assert namespace["add"].__globals__ is namespace  # no extra call layer: the engine's globals


_OP_MODULES = ("core", "numpy", "arrays", "nn", "math", "linalg", "image", "rnn", "random", "export")


def _function_sources(path: Path) -> dict:
    source = path.read_text()
    spelled_alike = re.compile(r"\b(jnp|np)\.")
    return {
        node.name: spelled_alike.sub("xp.", ast.get_source_segment(source, node)).replace("jax", "ENGINE").replace(
            "numpy", "ENGINE")
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }


def test_no_function_is_written_twice_in_the_numpy_like_engines():
    """A function alike in jax/ and numpy/ but for the array namespace belongs in common/*_ops.py."""
    backend_dir = Path(__file__).resolve().parents[2] / "brickwork" / "backend"
    twice = []
    for module in _OP_MODULES:
        jax_functions = _function_sources(backend_dir / "jax" / f"{module}.py")
        numpy_functions = _function_sources(backend_dir / "numpy" / f"{module}.py")
        twice += [f"{module}.py:{name}" for name, body in jax_functions.items() if numpy_functions.get(name) == body]
    assert not twice, f"written alike in backend/jax and backend/numpy: {twice}"
