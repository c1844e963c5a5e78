"""``import brickwork`` loads what a first training step needs and no more.

What a program may never touch (the model zoo, dataset loaders, export, plotting, scikit-learn, image and
HDF5 files, ml_dtypes' tables) loads on first use. Checked in a fresh interpreter, on the engine under test,
by what is in ``sys.modules`` after the import, not by timing it.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import BACKEND

# Third-party packages, and brickwork namespaces, that `import brickwork` must leave unloaded.
NOT_AT_IMPORT = ("scipy", "h5py", "PIL", "matplotlib", "sklearn", "tensorflow", "pandas", "onnx", "tensorboard",
                 "orbax", "grain", "tarfile", "ml_dtypes", "jax.experimental.sparse",
                 "brickwork.applications", "brickwork.datasets", "brickwork.export", "brickwork.visualization",
                 "brickwork.wrappers", "brickwork.distillation", "brickwork.layers.preprocessing",
                 "brickwork.utils.feature_space", "brickwork.utils.image_utils", "brickwork.callbacks.tensorboard")


def _modules_after(code: str) -> list[str]:
    env = dict(os.environ, BRICKWORK_BACKEND=BACKEND)
    result = subprocess.run([sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                            capture_output=True, text=True, env=env, timeout=300, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _loaded(modules: list[str], name: str) -> bool:
    return any(module == name or module.startswith(name + ".") for module in modules)


_ENGINE_IMPORT = {"torch": "import torch", "jax": "import jax, jax.numpy", "numpy": "import numpy",
                  "tensorflow": "import tensorflow"}


def test_import_brickwork_leaves_what_a_training_step_does_not_need():
    modules = _modules_after("import brickwork")
    engine_alone = _modules_after(_ENGINE_IMPORT[BACKEND])  # torch itself imports tarfile, jax ml_dtypes
    assert [name for name in NOT_AT_IMPORT if _loaded(modules, name) and not _loaded(engine_alone, name)] == []


def test_what_was_left_out_loads_on_first_use_and_a_model_still_trains():
    modules = _modules_after(
        "import numpy as np, brickwork as keras\n"
        "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
        "model.compile('sgd', 'mse')\n"
        "if keras.backend.backend() != 'numpy': model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n"
        "assert keras.applications.ResNet50.__name__ == 'ResNet50'\n"
        "assert 'ResNet50' in dir(keras.applications) and 'Dense' in dir(keras.layers)\n"
        "from brickwork.layers import RandomFlip\n"
        "from brickwork.utils import FeatureSpace")
    assert _loaded(modules, "brickwork.applications") and _loaded(modules, "brickwork.layers.preprocessing")
    assert _loaded(modules, "brickwork.utils.feature_space")


def test_the_garbage_collector_is_left_as_the_program_had_it():
    """brickwork turns the collector off while it imports (its collections would walk the engine's heap)."""
    env = dict(os.environ, BRICKWORK_BACKEND=BACKEND)
    for before in ("enable", "disable"):
        code = f"import gc; gc.{before}(); import brickwork; print(gc.isenabled())"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                                check=True)
        assert result.stdout.strip().splitlines()[-1] == str(before == "enable")


def test_the_tensorflow_engine_keeps_an_installed_keras_out():
    """TensorFlow imports an installed `keras` when it loads; brickwork's engine keeps it out, so that
    `brickwork run` can still make `import keras` brickwork (tensorflow-cpu always installs a Keras)."""
    if BACKEND != "tensorflow":
        pytest.skip("the TensorFlow engine's import")
    modules = _modules_after("import brickwork\nbrickwork.alias_keras()\nimport keras, tensorflow as tf\n"
                             "assert keras is brickwork and tf.keras.layers.Dense is brickwork.layers.Dense")
    assert "brickwork.backend.tensorflow" in modules
