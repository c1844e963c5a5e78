"""Compare the torch and jax results of the parity cases and write the table (``docs/parity.md``)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np

from conformance.parity import cases
from conformance.parity.worker import loss_key, optimizer_key


@dataclasses.dataclass
class Row:
    kind: str
    key: str
    tolerance: float
    note: str
    forward_abs: float = float("nan")
    forward_rel: float = float("nan")
    grad_abs: float = float("nan")
    grad_rel: float = float("nan")
    error: str = ""

    @property
    def worst(self) -> float:
        return float(np.nanmax([self.forward_rel, self.grad_rel, 0.0]))

    @property
    def ok(self) -> bool:
        return not self.error and self.worst <= self.tolerance


def _difference(torch_arrays, jax_arrays) -> tuple[float, float]:
    """``(max |t - j|, max |t - j| / max |j|)`` over a case's outputs (or its gradients) taken together: the
    scale is that of all of them, so a gradient that is zero in exact arithmetic (an attention key's bias)
    is not judged by its own rounding noise. Non-float arrays must be equal."""
    worst_abs, scale = 0.0, 0.0
    for t, j in zip(torch_arrays, jax_arrays):
        if t.shape != j.shape:
            return float("inf"), float("inf")
        if t.dtype.kind not in "fc":
            if np.any(t != j):
                return float("inf"), float("inf")
            continue
        if t.size:
            t, j = t.astype("float64"), j.astype("float64")
            worst_abs = max(worst_abs, float(np.max(np.abs(t - j))))
            scale = max(scale, float(np.max(np.abs(j))))
    return worst_abs, (worst_abs / scale if scale > 0 else worst_abs)


def _parts(arrays, prefix, part) -> list:
    found, index = [], 0
    while f"{prefix}/{part}/{index}" in arrays:
        found.append(arrays[f"{prefix}/{part}/{index}"])
        index += 1
    return found


def compare(torch_path: str, jax_path: str) -> list[Row]:
    results = {}
    for engine, path in (("torch", torch_path), ("jax", jax_path)):
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        with open(path + ".errors.json") as f:
            results[engine] = (arrays, json.load(f))
    specs = [("layer", c.key, c) for c in cases.LAYERS]
    specs += [("loss", loss_key(c), c) for c in cases.LOSSES]
    specs += [("optimizer", optimizer_key(c), c) for c in cases.OPTIMIZERS]
    rows = []
    for kind, key, case in specs:
        row = Row(kind, key, case.tolerance, case.note)
        prefix = f"{kind}/{key}"
        errors = [f"{engine}: {results[engine][1][prefix]}" for engine in ("torch", "jax") if prefix in results[engine][1]]
        if errors:
            row.error = "; ".join(errors)
            rows.append(row)
            continue
        for part in ("forward", "grads"):
            t, j = _parts(results["torch"][0], prefix, part), _parts(results["jax"][0], prefix, part)
            if len(t) != len(j):
                row.error = f"{part}: torch gave {len(t)} arrays, jax {len(j)}"
                break
            if t:
                diff_abs, diff_rel = _difference(t, j)
                if part == "forward":
                    row.forward_abs, row.forward_rel = diff_abs, diff_rel
                else:
                    row.grad_abs, row.grad_rel = diff_abs, diff_rel
        rows.append(row)
    return rows


def _fmt(value: float) -> str:
    return "—" if np.isnan(value) else ("0" if value == 0 else f"{value:.1e}")


def markdown(rows: list[Row]) -> str:
    failing = [r for r in rows if not r.ok]
    lines = [
        "# Cross-engine parity: torch against jax",
        "",
        "Every public layer, loss and optimizer run on torch and on jax with the same weights, inputs and",
        "cotangents (drawn from NumPy), written by `python -m conformance.parity --write-docs`. Columns: the largest",
        "absolute difference, and that difference over the largest magnitude among the jax results of the same",
        "columns (the scale-relative difference, `rel`), for the outputs (in inference) and for the gradients of",
        "`sum(outputs * cotangent)` against the trainable weights and float inputs (a loss: against `y_pred`;",
        "an optimizer: its variables after three steps, in the forward columns). A row fails past its tolerance;",
        "`tests/compat/test_parity.py` fails CI then.",
        "",
        f"**{len(rows) - len(failing)} of {len(rows)} rows within tolerance.** Largest differences: "
        + ", ".join(f"{r.key} {_fmt(r.worst)}" for r in sorted(rows, key=lambda r: -r.worst)[:5] if not r.error) + ".",
        "",
        "| kind | name | forward abs | forward rel | grad abs | grad rel | tolerance | status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        status = "ok" if r.ok else (f"error: {r.error}" if r.error else "**drift**")
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.kind} | {r.key}{note} | {_fmt(r.forward_abs)} | {_fmt(r.forward_rel)} | "
                     f"{_fmt(r.grad_abs)} | {_fmt(r.grad_rel)} | {r.tolerance:.0e} | {status} |")
    lines += ["", "Not run, with the reason:", ""]
    lines += [f"- `{name}`: {reason}" for name, reason in cases.NOT_RUN.items()]
    return "\n".join(lines) + "\n"
