"""One side of the KerasHub conformance run: ``python -m conformance.keras_hub.worker SIDE OUT [OTHER ...]``.

``SIDE`` is ``keras`` (the reference Keras 3.15.1, run from its own environment) or ``brickwork`` (``keras``
resolves to brickwork through ``alias_keras()``); the backend comes from ``KERAS_BACKEND``/``BRICKWORK_BACKEND``.
For every configuration of ``models.py`` it builds with a fixed seed, runs a forward pass, writes
``OUT/<name>.weights.h5``, ``OUT/<name>.keras`` and the outputs ``OUT/<name>.npz``, fits one batch and (for the
causal LM) generates. For each ``OTHER`` folder written by the other side it loads those weights into a fresh
build and the ``.keras`` archive, and compares the outputs with the other side's. Outcomes go to
``OUT/outcomes.json`` as ``{name: {step: [ok, detail]}}``.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time
import traceback

import numpy as np

SIDE = sys.argv[1]
if SIDE == "brickwork":
    import brickwork

    brickwork.alias_keras()

import keras  # noqa: E402  (after the alias)
import keras_hub  # noqa: E402

from conformance.keras_hub import models  # noqa: E402

TOLERANCE = 1e-5
SEED = 1337


def _numpy_outputs(outputs) -> dict[str, np.ndarray]:
    """Outputs as ``{key: array}`` (``"output"`` for a single tensor), whatever the nesting."""
    if isinstance(outputs, dict):
        return {key: np.asarray(keras.ops.convert_to_numpy(value)) for key, value in sorted(outputs.items())}
    if isinstance(outputs, (list, tuple)):
        return {f"output_{i}": np.asarray(keras.ops.convert_to_numpy(v)) for i, v in enumerate(outputs)}
    return {"output": np.asarray(keras.ops.convert_to_numpy(outputs))}


def _forward(model, spec: models.Spec) -> dict[str, np.ndarray]:
    if spec in models.TASKS:
        return _numpy_outputs(model.predict(models.inputs(spec), batch_size=models.BATCH, verbose=0))
    return _numpy_outputs(model(models.inputs(spec), training=False))


def _compare(mine: dict, theirs: dict) -> str:
    """The largest absolute difference; raises when keys, shapes or values disagree."""
    if sorted(mine) != sorted(theirs):
        raise AssertionError(f"output keys {sorted(mine)} != {sorted(theirs)}")
    worst = 0.0
    for key in mine:
        if mine[key].shape != theirs[key].shape:
            raise AssertionError(f"{key}: shape {mine[key].shape} != {theirs[key].shape}")
        difference = float(np.max(np.abs(mine[key].astype("float64") - theirs[key].astype("float64")), initial=0.0))
        worst = max(worst, difference)
        if not np.allclose(mine[key], theirs[key], atol=TOLERANCE, rtol=TOLERANCE):
            raise AssertionError(f"{key}: max |diff| {difference:.2e} > {TOLERANCE}")
    return f"{worst:.1e}"


def _fit(model, spec: models.Spec, outputs: dict) -> str:
    x = models.inputs(spec)
    if spec.name == "BertTextClassifier":
        history = model.fit(x, np.array([0, 1]), batch_size=models.BATCH, epochs=1, verbose=0)
    elif spec.name == "GPT2CausalLM":
        history = model.fit(x, batch_size=models.BATCH, epochs=1, verbose=0)
    else:
        model.compile(optimizer="sgd", loss="mse")
        targets = {key: np.zeros_like(value) for key, value in outputs.items()}
        y = targets["output"] if list(targets) == ["output"] else targets
        history = model.fit(x, y, batch_size=models.BATCH, epochs=1, verbose=0)
    loss = history.history["loss"][-1]
    if not np.isfinite(loss):
        raise AssertionError(f"loss {loss}")
    return f"loss {loss:.3g}"


def _generate(model) -> str:
    greedy = model.generate(models.PROMPTS, max_length=models.SEQ)
    model.compile(sampler=keras_hub.samplers.TopKSampler(k=2, seed=SEED))
    top_k = model.generate(models.PROMPTS, max_length=models.SEQ)
    if len(greedy) != 2 or len(top_k) != 2 or not all(isinstance(text, str) for text in list(greedy) + list(top_k)):
        raise AssertionError(f"greedy {greedy!r}, top-k {top_k!r}")
    return json.dumps({"greedy": list(greedy), "top_k": list(top_k)})


class _Recorder:
    def __init__(self):
        self.outcomes: dict[str, dict[str, list]] = {}

    def step(self, name: str, step: str, fn):
        start = time.perf_counter()
        try:
            detail = fn()
            ok = True
        except Exception as error:  # a conformance run records every failure and goes on
            traceback.print_exc(limit=-4)
            detail, ok = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300], False
        print(f"[{SIDE}] {name:20s} {step:12s} {'ok ' if ok else 'FAIL'} {time.perf_counter() - start:5.1f}s "
              f"{'' if ok else detail}", flush=True)
        self.outcomes.setdefault(name, {})[step] = [ok, detail if isinstance(detail, str) else ""]
        return ok


def _export(spec: models.Spec, out: pathlib.Path, record: _Recorder) -> None:
    keras.utils.set_random_seed(SEED)
    state = {}

    def build():
        state["model"] = models.build(spec, keras_hub)

    def forward():
        state["outputs"] = _forward(state["model"], spec)
        np.savez(out / f"{spec.name}.npz", **state["outputs"])

    def save():
        state["model"].save_weights(out / f"{spec.name}.weights.h5")
        state["model"].save(out / f"{spec.name}.keras")

    if not (record.step(spec.name, "build", build) and record.step(spec.name, "forward", forward)):
        return
    record.step(spec.name, "save", save)
    if spec.name == "GPT2CausalLM":
        record.step(spec.name, "generate", lambda: _generate(state["model"]))
    record.step(spec.name, "fit", lambda: _fit(state["model"], spec, state["outputs"]))


def _import(spec: models.Spec, other: pathlib.Path, record: _Recorder) -> None:
    if not (other / f"{spec.name}.npz").exists():
        return
    theirs = dict(np.load(other / f"{spec.name}.npz"))
    tag = other.name

    def weights():
        keras.utils.set_random_seed(SEED + 1)
        model = models.build(spec, keras_hub)
        model.load_weights(other / f"{spec.name}.weights.h5")
        return _compare(_forward(model, spec), theirs)

    def archive():
        model = keras.saving.load_model(other / f"{spec.name}.keras")
        return _compare(_forward(model, spec), theirs)

    if (other / f"{spec.name}.weights.h5").exists():
        record.step(spec.name, f"weights<{tag}", weights)
    if (other / f"{spec.name}.keras").exists():
        record.step(spec.name, f"keras<{tag}", archive)


def main() -> None:
    out = pathlib.Path(sys.argv[2])
    others = [pathlib.Path(path) for path in sys.argv[3:]]
    only = set(filter(None, os.environ.get("KERAS_HUB_ONLY", "").split(",")))
    export = os.environ.get("KERAS_HUB_EXPORT", "1") == "1"
    out.mkdir(parents=True, exist_ok=True)
    record = _Recorder()
    for spec in models.SPECS + models.TASKS:
        if only and spec.name not in only:
            continue
        if export:
            _export(spec, out, record)
        for other in others:
            _import(spec, other, record)
    path = out / ("outcomes.json" if export else f"outcomes-{'-'.join(o.name for o in others)}.json")
    path.write_text(json.dumps({"side": SIDE, "backend": keras.backend.backend(), "outcomes": record.outcomes},
                               indent=1))


if __name__ == "__main__":
    main()
