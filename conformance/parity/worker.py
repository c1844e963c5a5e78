"""Run every parity case on the active engine and save the results: ``python -m conformance.parity.worker OUT``.

Inputs, weights and cotangents are drawn from NumPy with a seed made from the case's name, so the torch
and jax processes feed each case identical numbers. Per layer: the outputs in inference, and the
gradients of ``sum(output * cotangent)`` against the trainable weights and the float inputs. Per loss:
the value and its gradient against ``y_pred``. Per optimizer: two variables after three ``apply`` steps.
An exception is recorded as the case's error instead of its arrays.
"""

from __future__ import annotations

import json
import sys
import traceback
import zlib

import numpy as np

import brickwork as keras
from brickwork import ops, tree
from brickwork.trainers import value_and_grad
from conformance.parity import cases

WORDS = ["a", "b", "c", "d"]


def rng_for(key: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(key.encode()))


def _instantiate(spec):
    """A layer or cell from ``("Dense", {...})`` in a case's arguments."""
    name, kwargs = spec
    return getattr(keras.layers, name)(**kwargs)


def _draw(rng, shape, case):
    if case.dtype == "int":
        return rng.integers(0, case.high, size=shape).astype("int32")
    if case.dtype == "str":
        return rng.choice(WORDS, size=shape)
    if case.dtype == "image":
        return rng.uniform(0, 255, size=shape).astype("float32")
    if case.dtype == "sentence":
        return np.array([" ".join(rng.choice(WORDS, size=3)) for _ in range(shape[0])])
    return rng.normal(size=shape).astype("float32")


def _set_weights(layer, rng) -> None:
    values = []
    for weight in layer.weights:
        array = np.asarray(ops.convert_to_numpy(weight))
        if array.dtype.kind != "f":
            values.append(array)
        elif "variance" in weight.name:
            values.append(rng.uniform(0.5, 1.5, size=array.shape).astype(array.dtype))
        else:
            values.append((rng.normal(size=array.shape) * 0.5).astype(array.dtype))
    layer.set_weights(values)


def _call(layer, case, inputs):
    if case.call == "list":
        return layer(list(inputs), training=False)
    if case.call == "tuple":
        return layer(tuple(inputs), training=False)
    if case.call == "args":
        return layer(*inputs, training=False)
    return layer(inputs[0], training=False)


def _float_outputs(outputs) -> list:
    flat = [o for o in tree.flatten(outputs) if o is not None]
    return [o for o in flat if keras.backend.is_float_dtype(keras.backend.standardize_dtype(o.dtype))]


def run_layer(case) -> dict:
    rng = rng_for(case.key)
    kwargs = {k: _instantiate(v) if k in ("layer", "cell") else v for k, v in case.kwargs.items()}
    layer = getattr(keras.layers, case.name)(**kwargs)
    inputs = [_draw(rng, shape, case) for shape in case.shapes]
    outputs = _call(layer, case, inputs)  # builds the layer
    _set_weights(layer, rng)
    outputs = _call(layer, case, inputs)
    result = {"forward": [np.asarray(ops.convert_to_numpy(o)) for o in tree.flatten(outputs) if o is not None]}
    if not case.grads or not _float_outputs(outputs):
        return result
    cotangents = [rng.normal(size=tuple(o.shape)).astype("float32")
                  for o in _float_outputs(outputs)]
    float_inputs = case.dtype in ("float32", "image")
    input_variables = [keras.Variable(x, name=f"input_{i}") for i, x in enumerate(inputs)] \
        if float_inputs else []

    def loss_fn():
        fed = [v.value for v in input_variables] if float_inputs else inputs
        return sum(ops.sum(ops.multiply(o, c)) for o, c in zip(_float_outputs(_call(layer, case, fed)), cotangents))

    _, grads = value_and_grad(loss_fn, [*layer.trainable_weights, *input_variables])
    result["grads"] = [np.asarray(ops.convert_to_numpy(g)) for g in grads]
    return result


def _loss_data(case, rng):
    batch, classes = 4, 5
    if case.target == "ctc":
        y_true = rng.integers(1, classes, size=(batch, 3)).astype("int32")
        return y_true, rng.normal(size=(batch, 6, classes)).astype("float32")
    targets = {
        "float": lambda: rng.normal(size=(batch, classes)),
        "positive": lambda: rng.uniform(0.1, 2.0, size=(batch, classes)),
        "binary": lambda: rng.integers(0, 2, size=(batch, classes)),
        "sign": lambda: rng.choice([-1.0, 1.0], size=(batch, classes)),
        "prob": lambda: np.eye(classes)[rng.integers(0, classes, size=batch)],
        "sparse": lambda: rng.integers(0, classes, size=(batch,)),
    }
    y_true = targets[case.target]()
    y_true = y_true.astype("int32" if case.target == "sparse" else "float32")
    logits = rng.normal(size=(batch, classes))
    predictions = {
        "float": logits, "logits": logits,
        "positive": np.exp(logits * 0.5),
        "unit": 1 / (1 + np.exp(-logits)),
        "prob": np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True),
    }
    return y_true, predictions[case.prediction].astype("float32")


def loss_key(case) -> str:
    return case.name + (f" {json.dumps(case.kwargs, sort_keys=True)}" if case.kwargs else "")


def run_loss(case) -> dict:
    y_true, y_pred = _loss_data(case, rng_for(loss_key(case)))
    loss = getattr(keras.losses, case.name)(**case.kwargs)
    prediction = keras.Variable(y_pred, name="y_pred")
    value, grads = value_and_grad(lambda: loss(y_true, prediction.value), [prediction])
    return {"forward": [np.asarray(ops.convert_to_numpy(value))], "grads": [np.asarray(ops.convert_to_numpy(grads[0]))]}


optimizer_key = loss_key


def run_optimizer(case) -> dict:
    rng = rng_for(optimizer_key(case))
    variables = [keras.Variable(rng.normal(size=shape).astype("float32"), name=f"w{i}")
                 for i, shape in enumerate([(4, 3), (3,)])]
    optimizer = getattr(keras.optimizers, case.name)(**case.kwargs)
    for _ in range(3):
        optimizer.apply([rng.normal(size=v.shape).astype("float32") for v in variables], variables)
    return {"forward": [np.asarray(ops.convert_to_numpy(v)) for v in variables]}


def run_all() -> tuple[dict, dict]:
    """``(arrays, errors)``: arrays by ``"<kind>/<key>/<part>/<i>"``, errors by ``"<kind>/<key>"``."""
    arrays, errors = {}, {}
    jobs = [("layer", c.key, run_layer, c) for c in cases.LAYERS]
    jobs += [("loss", loss_key(c), run_loss, c) for c in cases.LOSSES]
    jobs += [("optimizer", optimizer_key(c), run_optimizer, c) for c in cases.OPTIMIZERS]
    for kind, key, run, case in jobs:
        keras.utils.set_random_seed(0)
        try:
            result = run(case)
        except Exception as error:  # noqa: BLE001 - recorded, and the report shows it
            last = traceback.extract_tb(error.__traceback__)[-1]
            errors[f"{kind}/{key}"] = f"{type(error).__name__}: {str(error)[:300]} ({last.filename}:{last.lineno})"
            continue
        for part, values in result.items():
            for index, value in enumerate(values):
                arrays[f"{kind}/{key}/{part}/{index}"] = np.asarray(value)
    return arrays, errors


def main(out: str) -> None:
    arrays, errors = run_all()
    np.savez(out, **arrays)
    with open(out + ".errors.json", "w") as f:
        json.dump(errors, f, indent=1, sort_keys=True)
    print(f"{keras.backend.backend()}: {len(arrays)} arrays, {len(errors)} errors")


if __name__ == "__main__":
    main(sys.argv[1])
