"""Every application family against Keras 3.15.1 itself (its own virtual environment): at the smallest variant and
a small input, the same layer names in the same order, the same variables (names, shapes, order), the same
parameter count, and with the same seeded weights the same outputs (``conformance/applications/cases.py``).

Keras builds all the configurations in one subprocess, cached on disk like every Keras reference here. The weight
files themselves (Keras's ``.weights.h5`` into brickwork and back, legacy ``.h5``) are checked in
``test_weight_files.py`` on a small model, and for every architecture by ``python -m conformance.applications``.
"""

import inspect

import numpy as np
import pytest

from brickwork import applications, backend, ops
from conformance.applications import cases
from tests.layers.keras_reference import run_keras

_SCRIPT = """
import importlib
SEED = {seed}
{seeded_weights}
for index, (function, kwargs) in enumerate({configurations!r}):
    if "." in function:
        module, name = function.rsplit(".", 1)
        builder = getattr(importlib.import_module("keras.src.applications." + module), name)
    else:
        builder = getattr(keras.applications, function)
    keras.utils.set_random_seed(SEED)
    model = builder(weights=None, **kwargs)
    seeded_weights(model)
    out[f"y_{{index}}"] = keras.ops.convert_to_numpy(model(data[f"x_{{index}}"], training=False))
    out[f"params_{{index}}"] = model.count_params()
    out[f"names_{{index}}"] = np.array([layer.name for layer in model.layers])
    out[f"variables_{{index}}"] = np.array([f"{{v.path.rsplit('/', 1)[-1]}} {{tuple(v.shape)}}" for v in model.weights])
    keras.backend.clear_session()
"""

_CONFIGURATIONS = [(function, kwargs) for _, function, kwargs in cases.SMALL]

# Building a Functional model of hundreds of layers takes about 0.1 s a layer on jax (each layer's output shape
# comes from jax.eval_shape): on the other engines CI compares these few, which between them hold every kind of
# layer and op the applications use; `python -m conformance.applications --backends jax` compares every family.
_ON_EVERY_BACKEND = {"MobileNet", "MobileNetV3Small", "ConvNeXtTiny"}


@pytest.fixture(scope="module")
def keras_side() -> dict:
    arrays = {f"x_{i}": cases.inputs(function, kwargs["input_shape"]) for i, (function, kwargs)
              in enumerate(_CONFIGURATIONS)}
    script = _SCRIPT.format(seed=cases.SEED, seeded_weights=inspect.getsource(cases.seeded_weights),
                            configurations=_CONFIGURATIONS)
    return {**run_keras(script, **arrays), **arrays}


def _build(function: str, kwargs: dict):
    if "." in function:
        module, name = function.rsplit(".", 1)
        return getattr(getattr(applications, module), name)(weights=None, **kwargs)
    return getattr(applications, function)(weights=None, **kwargs)


@pytest.mark.parametrize("index", range(len(cases.SMALL)), ids=[case[0] for case in cases.SMALL])
def test_same_architecture_and_outputs_as_keras(keras_side, index):
    if backend.backend() != "torch" and cases.SMALL[index][0] not in _ON_EVERY_BACKEND:
        pytest.skip("compared on torch in CI; `python -m conformance.applications` compares it on jax")
    function, kwargs = _CONFIGURATIONS[index]
    model = _build(function, kwargs)
    assert [layer.name for layer in model.layers] == keras_side[f"names_{index}"].tolist()
    assert model.count_params() == int(keras_side[f"params_{index}"])
    variables = [f"{v.path.rsplit('/', 1)[-1]} {tuple(v.shape)}" for v in model.weights]
    assert variables == keras_side[f"variables_{index}"].tolist()
    cases.seeded_weights(model)
    y = np.asarray(ops.convert_to_numpy(model(keras_side[f"x_{index}"], training=False)))
    expected = keras_side[f"y_{index}"]
    assert np.abs(expected[0] - expected[1]).max() > 0, "the outputs do not depend on the input: a weak comparison"
    assert cases.largest_difference(y, expected) < 1e-4
