"""One side of the applications comparison: ``python -m conformance.applications.worker SIDE OUT [OTHER ...]``.

``SIDE`` is ``keras`` (Keras 3.15.1, run from its own environment) or ``brickwork`` (``keras`` resolves to
brickwork through ``alias_keras()``); the engine comes from ``KERAS_BACKEND``/``BRICKWORK_BACKEND``. With no
``OTHER``, it builds every configuration of ``cases.py`` (``$APPLICATIONS_ONLY``: a comma-separated subset of
labels; ``$APPLICATIONS_SET``: ``small`` or ``all``) with ``weights=None``, gives its 1-D variables seeded
values, and writes ``OUT/<label>.weights.h5`` and ``OUT/<label>.npz`` (input, output, parameter count, layer
names). With ``OTHER`` folders written by the other side, it builds each configuration again, loads that side's
weights and compares outputs, parameter counts and layer names. Outcomes go to ``OUT/outcomes.json``.
"""

from __future__ import annotations

import importlib
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

from conformance.applications import cases  # noqa: E402


def _selected() -> list:
    chosen = cases.ALL if os.environ.get("APPLICATIONS_SET", "small") == "all" else cases.SMALL
    only = [name for name in os.environ.get("APPLICATIONS_ONLY", "").split(",") if name]
    return [case for case in chosen if not only or case[0] in only]


def _build(function: str, kwargs: dict):
    # A fresh session for each model: automatic layer names ("add_9") count what the session built before, and
    # Keras's counters also advance for symbolic ops (`x + 3.0` is an operation named "add"), brickwork's do not.
    keras.backend.clear_session()
    keras.utils.set_random_seed(cases.SEED)
    if "." in function:  # a family's own builder, e.g. "nasnet.NASNet" (keras.src.applications.nasnet.NASNet)
        module, name = function.rsplit(".", 1)
        builder = getattr(importlib.import_module(f"keras.src.applications.{module}"), name)
    else:
        builder = getattr(keras.applications, function)
    return builder(weights=None, **kwargs)


def _file(label: str) -> str:
    return label.replace(" ", "_")


def export(out: pathlib.Path) -> dict:
    outcomes = {}
    for label, function, kwargs in _selected():
        try:
            start = time.perf_counter()
            model = _build(function, kwargs)
            cases.perturb_vectors(model)
            x = cases.inputs(function, kwargs["input_shape"])
            y = np.asarray(model.predict(x, verbose=0))
            model.save_weights(str(out / f"{_file(label)}.weights.h5"))
            np.savez(out / f"{_file(label)}.npz", x=x, y=y, params=model.count_params(),
                     names=np.array([layer.name for layer in model.layers]))
            outcomes[label] = {"export": [True, f"{time.perf_counter() - start:.1f}s"],
                               "params": model.count_params()}
        except Exception as error:  # noqa: BLE001 (one configuration's failure is a table cell)
            outcomes[label] = {"export": [False, f"{type(error).__name__}: {str(error)[:300]}"]}
            traceback.print_exc()
        print(f"[{SIDE}] {label}: {outcomes[label]}", flush=True)
    return outcomes


def compare(other: pathlib.Path) -> dict:
    outcomes = {}
    for label, function, kwargs in _selected():
        saved = other / f"{_file(label)}.npz"
        if not saved.exists():
            continue
        step = {}
        try:
            data = np.load(saved)
            model = _build(function, kwargs)
            names = [layer.name for layer in model.layers]
            theirs = [str(name) for name in data["names"]]
            step["params"] = [model.count_params() == int(data["params"]), f"{model.count_params()}"]
            mismatched = [(a, b) for a, b in zip(names, theirs) if a != b]
            step["names"] = [not mismatched and len(names) == len(theirs),
                             f"{len(names)} layers" + (f"; first differing {mismatched[0]}" if mismatched else "")]
            model.load_weights(str(other / f"{_file(label)}.weights.h5"))
            difference = cases.largest_difference(np.asarray(model.predict(data["x"], verbose=0)), data["y"])
            step["outputs"] = [difference < 1e-4, f"{difference:.1e}"]
        except Exception as error:  # noqa: BLE001
            step["outputs"] = [False, f"{type(error).__name__}: {str(error)[:300]}"]
            traceback.print_exc()
        outcomes[label] = step
        print(f"[{SIDE} < {other.name}] {label}: {step}", flush=True)
    return outcomes


def main() -> None:
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    others = [pathlib.Path(path) for path in sys.argv[3:]]
    report = {"export": export(out)} if not others else {other.name: compare(other) for other in others}
    name = "outcomes.json" if not others else "compared.json"
    (out / name).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
