"""Every public docstring's ``Example:`` section runs.

Each example runs in a fresh namespace, in a temporary folder, holding what the docstrings take as given:
``np``, ``brickwork`` (also as ``keras``), its namespaces (``ops``, ``layers``, ``losses``, ...), and the public
names of the namespace the name is documented in (``Dense`` in ``layers.Dense``'s example). A shape printed as
``torch.Size([2, 4])`` matches the tuple ``(2, 4)``. Global settings an example changes are restored. Code
with ``>>>`` prompts runs as a doctest: where a prompt is followed by an expected-output line, the output must
match (``...`` matches anything); where it is not (the value is given as a ``# comment``), it is not compared.
Code without prompts just runs.

The examples train small models, so they run on the backends that train; on the torch leg only, as the
docstrings do not change with the engine. Examples that need a file, the network or a full-size model are in
``SKIP``, each with its reason.
"""

import contextlib
import doctest
import importlib.util
import inspect
import io
import os
import pathlib
import re
import warnings

import pytest

import brickwork
from brickwork import backend
from brickwork.saving import object_registration
from tests.conftest import BACKEND

ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    BACKEND != "torch" or not backend.SUPPORTS_TRAINING,
    reason="the examples do not depend on the engine and train models: run on the torch leg",
)


def _load_audit():
    spec = importlib.util.spec_from_file_location("docstring_audit", ROOT / "docs" / "docstring_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


AUDIT = _load_audit()
_GENERATOR = AUDIT._generator()

_FULL_SIZE_MODEL = "builds a full-size ImageNet model (10-30 s each); tests/applications builds them"
_NEEDS_FILES = "reads a user's folder or file, named as a placeholder"

# Reviewed: each name here has an example that cannot run in a test as written.
SKIP = {
    "brickwork.utils.get_file": "downloads from the network",
    "brickwork.utils.audio_dataset_from_directory": _NEEDS_FILES,
    "brickwork.utils.image_dataset_from_directory": _NEEDS_FILES,
    "brickwork.utils.text_dataset_from_directory": _NEEDS_FILES,
    "brickwork.utils.Dataset": _NEEDS_FILES,
    "brickwork.utils.load_img": _NEEDS_FILES,
    "brickwork.models.load_model": "loads a user's Keras 2 HDF5 file, named as a placeholder",
    "brickwork.saving.load_weights": "loads a user's Keras 2 HDF5 weights, named as a placeholder",
    "brickwork.config.set_backend": "switches the engine of the whole process, under every later test",
    "brickwork.layers.JaxLayer": "runs on the jax backend only",
    "brickwork.layers.FlaxLayer": "runs on the jax backend only, with flax",
    "brickwork.layers.TFSMLayer": "runs on the tensorflow backend only, on a SavedModel written first",
    "brickwork.distribution.LayoutMap": "needs a mesh of 8 devices",
    "brickwork.distribution.ModelParallel": "needs a mesh of 8 devices",
    "brickwork.distribution.TensorLayout": "needs a mesh of 8 devices",
    # Docstrings under brickwork/ops and brickwork/backend, left for the owner of those folders to fix:
    "brickwork.config.enable_determinism": "switches the engines to deterministic algorithms for the whole process",
}

# Examples that need an optional package (an extra of pyproject.toml): they run where it is installed.
NEEDS_PACKAGE = {
    "brickwork.callbacks.OrbaxCheckpoint": "orbax",
}

SEED = (
    "import numpy as np\nimport brickwork\nimport brickwork as keras\n"
    "from brickwork import activations, callbacks, constraints, initializers, layers, losses, metrics, models, ops, "
    "optimizers, regularizers, saving, utils\n"
)
# A shape prints as ``torch.Size([2, 4])`` on torch; the docstrings give the tuple it equals, ``(2, 4)``.
_TORCH_SIZE = re.compile(r"torch\.Size\(\[([^\]]*)\]\)")


def _as_tuple(match: re.Match) -> str:
    items = match.group(1)
    return f"({items},)" if items and "," not in items else f"({items})"



def _examples():
    cases = []
    for name, value in AUDIT.public_objects():
        for index, code in enumerate(AUDIT.example_blocks(inspect.getdoc(value) or "")):
            reason = SKIP.get(name)
            if reason is None and name.startswith("brickwork.applications."):
                reason = _FULL_SIZE_MODEL
            package = NEEDS_PACKAGE.get(name)
            if reason is None and package and importlib.util.find_spec(package) is None:
                reason = f"needs the optional package {package!r}, which is not installed"
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            cases.append(pytest.param(name, code, id=f"{name}[{index}]", marks=marks))
    return cases


class _Checker(doctest.OutputChecker):
    """doctest's comparison where the example gives an expected output; none where it gives none."""

    def check_output(self, want, got, optionflags):
        return not want or super().check_output(want, _TORCH_SIZE.sub(_as_tuple, got), optionflags)


def _namespace(name: str) -> dict:
    """A fresh namespace for ``name``'s example: the seed imports and its own namespace's public names."""
    namespace = {"__name__": "__example__"}
    exec(SEED, namespace)  # noqa: S102 - fixed text
    module_name = name.rsplit(".", 1)[0]
    module = importlib.import_module(module_name)
    for public in _GENERATOR.public_names(module_name):
        namespace[public] = getattr(module, public)
    return namespace


def run_example(name: str, code: str, workdir: pathlib.Path) -> None:
    """Run ``code`` (``name``'s example); raise AssertionError naming the line that failed."""
    namespace = _namespace(name)
    cwd = os.getcwd()
    os.chdir(workdir)  # examples that save a file write it here
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            if ">>>" in code:
                test = doctest.DocTestParser().get_doctest(code, namespace, name, None, 0)
                runner = doctest.DocTestRunner(
                    checker=_Checker(), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
                report = io.StringIO()
                result = runner.run(test, out=report.write, clear_globs=False)
                assert result.failed == 0, f"{name}'s example failed:\n{report.getvalue()}"
            else:
                exec(compile(code, f"<example of {name}>", "exec"), namespace)  # noqa: S102
    finally:
        os.chdir(cwd)


@pytest.fixture
def _config_restored():
    """Examples that change a global setting (``set_dtype_policy``, ``set_max_epochs``, the registry of custom
    objects) do not leak it."""
    config = brickwork.config
    saved = [(getter, setter, getter()) for getter, setter in (
        (config.dtype_policy, config.set_dtype_policy), (config.floatx, config.set_floatx),
        (config.epsilon, config.set_epsilon), (config.image_data_format, config.set_image_data_format),
        (config.max_epochs, config.set_max_epochs), (config.max_steps_per_epoch, config.set_max_steps_per_epoch),
    )]
    interactive = config.is_interactive_logging_enabled()
    registered = (dict(object_registration.GLOBAL_CUSTOM_OBJECTS), dict(object_registration.GLOBAL_CUSTOM_NAMES))
    yield
    for live, before in zip((object_registration.GLOBAL_CUSTOM_OBJECTS, object_registration.GLOBAL_CUSTOM_NAMES),
                            registered, strict=True):
        live.clear()
        live.update(before)
    for _getter, setter, value in saved:
        setter(value)
    (config.enable_interactive_logging if interactive else config.disable_interactive_logging)()


@pytest.mark.parametrize(("name", "code"), _examples())
@pytest.mark.usefixtures("_config_restored")
def test_example_runs(name, code, tmp_path):
    run_example(name, code, tmp_path)


def test_a_broken_example_fails(tmp_path):
    """The runner is not vacuous: a raising line, a wrong doctest output and a raising plain block all fail."""
    for code in (">>> ops.ones((2,)) + ops.ones((3,))", ">>> 1 + 1\n3", "x = undefined_name"):
        with pytest.raises(Exception):  # noqa: B017 - any failure is the point
            run_example("brickwork.layers.Dense", code, tmp_path)
    run_example("brickwork.layers.Dense", ">>> 1 + 1\n2\n>>> Dense(2)(np.ones((1, 3))).shape  # (1, 2)", tmp_path)
