"""`import keras` as brickwork: the alias, `brickwork run`, and the keras.src map."""

import importlib
import os
import pathlib
import subprocess
import sys
import textwrap
import types

import pytest

import brickwork
from brickwork.compat import alias_keras, brickwork_module_for, remove_keras_alias
from brickwork.compat import keras_src_map

KERAS_VENV_PYTHON = pathlib.Path(os.environ.get(
    "BRICKWORK_KERAS_VENV", pathlib.Path.home() / ".cache" / "brickwork-keras-venv")) / "bin" / "python"


@pytest.fixture
def aliased():
    saved = {name: module for name, module in sys.modules.items() if name == "keras" or name.startswith("keras.")}
    for name in saved:
        del sys.modules[name]
    alias_keras()
    yield
    remove_keras_alias()
    sys.modules.update(saved)


def test_keras_is_brickwork_and_no_module_is_loaded_twice(aliased):
    import keras
    from keras import layers
    from keras.layers import Dense

    assert keras is brickwork
    assert layers is brickwork.layers and Dense is brickwork.layers.Dense
    dense_module = importlib.import_module("keras.src.layers.core.dense")
    assert dense_module is importlib.import_module("brickwork.layers.core.dense")
    assert dense_module.__spec__.name == "brickwork.layers.core.dense"  # brickwork's identity is kept


def test_keras_src_resolves_through_the_map(aliased):
    from keras.src import backend, testing
    from keras.src.backend import get_keras_mask, set_keras_mask  # KerasHub's imports
    from keras.src.saving import serialization_lib

    assert backend is brickwork.backend and testing is importlib.import_module("brickwork.testing")
    assert serialization_lib is importlib.import_module("brickwork.saving.serialization_lib")
    assert callable(get_keras_mask) and callable(set_keras_mask)
    masking = importlib.import_module("keras.src.layers.core.masking")
    assert masking is importlib.import_module("brickwork.layers.core.masking_layer")


def test_keras_src_submodules_are_attributes_without_an_import(aliased):
    sys.modules.pop("keras.src.optimizers", None)
    import keras

    assert keras.src.optimizers is brickwork.optimizers  # Keras's package imports its submodules itself
    with pytest.raises(AttributeError, match="no attribute 'not_a_module'"):
        keras.src.not_a_module


def test_unmapped_keras_src_module_names_the_map(aliased):
    with pytest.raises(ModuleNotFoundError, match=r"keras\.src\.utils\.code_stats.*keras_src_map\.py"):
        importlib.import_module("keras.src.utils.code_stats")


def test_keras_src_ops_carries_the_op_classes_and_keras_tensor(aliased):
    # Keras's internal ops package star-imports its op modules; the public keras.ops holds functions only.
    import numpy as np

    import keras
    from keras.src import ops
    from keras.src.ops import numpy as knp

    assert ops.KerasTensor is brickwork.backend.KerasTensor and ops.add is brickwork.ops.add
    assert knp is brickwork.ops.numpy and not hasattr(keras.ops, "Map")
    squares = ops.Map()(lambda v: v * v, np.arange(4.0))
    np.testing.assert_allclose(brickwork.ops.convert_to_numpy(squares), np.arange(4.0) ** 2)
    parts = ops.Unstack(axis=1)(np.arange(6.0).reshape(2, 3))
    assert len(parts) == 3 and tuple(parts[0].shape) == (2,)
    assert ops.Concatenate is knp.Concatenate and ops.SaturateCast.__name__ == "SaturateCast"


def test_a_child_mapped_elsewhere_imports_from_its_parent(aliased):
    from keras.src.tree import torchtree_impl

    assert torchtree_impl is importlib.import_module("brickwork.tree.tree_api")


def test_the_tf_keras_roots_are_the_public_namespace(aliased):
    # TensorFlow's tf.keras imports `keras._tf_keras.keras` (a Keras 3) or `keras.api._v2.keras`; in Keras
    # 3.15.1 the former's layers are keras.layers' own (`keras._tf_keras.keras.layers.Layer is
    # keras.layers.Layer`), and tensorflow_text subclasses tf.keras.layers.Layer at import.
    for root in ("keras._tf_keras.keras", "keras.api._v2.keras"):
        assert importlib.import_module(root) is brickwork
        assert importlib.import_module(root + ".layers").Layer is brickwork.layers.Layer
        assert importlib.import_module(root + ".ops") is brickwork.ops
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("keras.api._v2.keras.no_such_namespace")


def test_a_public_name_brickwork_lacks_is_a_plain_import_error(aliased):
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("keras.no_such_namespace")


def test_every_map_target_imports():
    targets = [brickwork_module_for(f"keras.src.{path}") for path in keras_src_map.SAME_PATH]
    targets += [brickwork_module_for(f"keras.src.{path}") for path in keras_src_map.RENAMED]
    assert None not in targets
    for target in targets:
        if ".backend." in target and target.split(".")[2] in ("torch", "jax", "numpy", "tensorflow"):
            engine = target.split(".")[2]
            pytest.importorskip(engine)
        importlib.import_module(target)


def test_map_lookup_rules():
    assert brickwork_module_for("keras.src.layers.core.dense") == "brickwork.layers.core.dense"
    assert brickwork_module_for("keras.src.version") == "brickwork"
    assert brickwork_module_for("keras.src.no.such") is None
    assert brickwork_module_for("keras.layers") is None


def test_alias_refuses_when_real_keras_is_already_imported():
    fake = types.ModuleType("keras")
    fake.__file__ = "/site-packages/keras/__init__.py"
    saved = sys.modules.get("keras")
    sys.modules["keras"] = fake
    try:
        with pytest.raises(RuntimeError, match="already imported"):
            alias_keras()
    finally:
        if saved is None:
            del sys.modules["keras"]
        else:
            sys.modules["keras"] = saved


_PROGRAM = textwrap.dedent("""
    import sys
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    model.compile(loss="mse", optimizer="sgd")
    if keras.backend.backend() != "numpy":  # the numpy engine only predicts
        model.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0)
    print("NAME", __name__, "KERAS", keras.__name__, "ARGV", sys.argv[1:], "OUT", model.predict(np.ones((1, 3)), verbose=0).shape)
""")


def _run(python, args, tmp_path):
    script = tmp_path / "program.py"
    script.write_text(_PROGRAM)
    env = dict(os.environ, BRICKWORK_BACKEND=brickwork.backend.backend())
    return subprocess.run([str(python), "-m", "brickwork", "run", *args(str(script))], capture_output=True,
                          text=True, timeout=300, env=env)


def test_brickwork_run_runs_a_keras_program_as_main(tmp_path):
    result = _run(sys.executable, lambda script: [script, "--epochs", "3"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "NAME __main__ KERAS brickwork ARGV ['--epochs', '3'] OUT (1, 2)" in result.stdout


def test_brickwork_run_module_form(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "main.py").write_text(_PROGRAM)
    env = dict(os.environ, BRICKWORK_BACKEND=brickwork.backend.backend(), PYTHONPATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "brickwork", "run", "-m", "pkg.main", "x"], capture_output=True,
                            text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "NAME __main__ KERAS brickwork ARGV ['x']" in result.stdout


def test_brickwork_run_module_form_passes_dashed_arguments_to_the_module(tmp_path):
    # `brickwork run -m pytest -q -p no:cacheprovider FILE` must hand `-q -p ...` to the module, as `python -m` does.
    (tmp_path / "echo_args.py").write_text("import sys, keras\nprint('ARGV', sys.argv[1:], keras.__name__)\n")
    env = dict(os.environ, BRICKWORK_BACKEND=brickwork.backend.backend(), PYTHONPATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "brickwork", "run", "-m", "echo_args", "-q", "-p", "x", "--k=v"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "ARGV ['-q', '-p', 'x', '--k=v'] brickwork" in result.stdout


def test_brickwork_run_names_a_missing_script(tmp_path):
    result = subprocess.run([sys.executable, "-m", "brickwork", "run", str(tmp_path / "nope.py")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no such script" in result.stderr


@pytest.mark.skipif(not KERAS_VENV_PYTHON.exists(), reason="no Keras 3 virtual environment (see tests/saving)")
def test_alias_wins_over_an_installed_keras(tmp_path):
    probe = subprocess.run([str(KERAS_VENV_PYTHON), "-c", "import keras, brickwork; print(keras.__version__)"],
                           capture_output=True, text=True, timeout=300, env=dict(os.environ, KERAS_BACKEND="torch"))
    if probe.returncode != 0:
        pytest.skip(f"the Keras environment cannot import both keras and brickwork: {probe.stderr[-200:]}")
    result = _run(KERAS_VENV_PYTHON, lambda script: [script], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "KERAS brickwork" in result.stdout
