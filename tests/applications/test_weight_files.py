"""Weight files between brickwork and Keras 3.15.1 (its own virtual environment) on a small application:
Keras's ``.weights.h5`` and legacy whole-model ``.h5`` load into brickwork's model, and brickwork's
``.weights.h5`` loads into Keras's, with the same outputs."""

import inspect

import numpy as np

from brickwork import applications, ops
from conformance.applications import cases
from tests.layers.keras_reference import run_keras

_KWARGS = dict(alpha=0.25, classes=10, classifier_activation=None, input_shape=(32, 32, 3))

_KERAS_WRITES = """
import warnings
SEED = {seed}
{seeded_weights}
model = keras.applications.MobileNet(weights=None, **{kwargs!r})
seeded_weights(model)
out["y"] = keras.ops.convert_to_numpy(model(data["x"], training=False))
model.save_weights("k.weights.h5")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Keras warns that .h5 is a legacy format
    model.save("k.h5")
out["weights_h5"] = np.frombuffer(open("k.weights.h5", "rb").read(), np.uint8)
out["legacy_h5"] = np.frombuffer(open("k.h5", "rb").read(), np.uint8)
"""

_KERAS_READS = """
open("b.weights.h5", "wb").write(data["weights_h5"].tobytes())
model = keras.applications.MobileNet(weights="b.weights.h5", **{kwargs!r})
out["y"] = keras.ops.convert_to_numpy(model(data["x"], training=False))
"""


def _outputs(model, x):
    return np.asarray(ops.convert_to_numpy(model(x, training=False)))


def test_keras_files_load_into_brickwork(tmp_path):
    x = cases.inputs("MobileNet", _KWARGS["input_shape"])
    keras_side = run_keras(_KERAS_WRITES.format(seed=cases.SEED, seeded_weights=inspect.getsource(cases.seeded_weights),
                                                kwargs=_KWARGS), x=x)
    for name in ("weights_h5", "legacy_h5"):
        path = tmp_path / ("k.weights.h5" if name == "weights_h5" else "k.h5")
        path.write_bytes(keras_side[name].tobytes())
        model = applications.MobileNet(weights=str(path), **_KWARGS)
        assert cases.largest_difference(_outputs(model, x), keras_side["y"]) < 1e-5, name


def test_brickwork_weights_load_into_keras(tmp_path):
    x = cases.inputs("MobileNet", _KWARGS["input_shape"])
    model = applications.MobileNet(weights=None, **_KWARGS)
    cases.seeded_weights(model)
    model.save_weights(str(tmp_path / "b.weights.h5"))
    written = np.frombuffer((tmp_path / "b.weights.h5").read_bytes(), np.uint8)
    keras_side = run_keras(_KERAS_READS.format(kwargs=_KWARGS), x=x, weights_h5=written)
    assert cases.largest_difference(keras_side["y"], _outputs(model, x)) < 1e-5
