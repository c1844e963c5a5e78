"""``python -m conformance.applications``: every ``keras.applications`` model, brickwork beside Keras 3.15.1.

Runs ``worker.py`` three ways: Keras 3.15.1 (its own environment, torch backend) builds each configuration of
``cases.py`` with ``weights=None`` and seeded 1-D variables, saving weights and outputs; brickwork on each
backend does the same and loads Keras's weights (K→bw); Keras loads brickwork's (bw→K). Each side compares
parameter counts, layer names and outputs (within 1e-4, relative to outputs above 1). Writes ``results.md``
beside this file (``--no-write`` prints it instead).

    python -m conformance.applications                  # the smallest variant of each family (minutes)
    python -m conformance.applications --set all        # every architecture (about half an hour on 2 cores)
    python -m conformance.applications --only VGG16,ResNet50 --backends torch
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys

from conformance.applications import cases

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
KERAS_PYTHON = pathlib.Path(os.environ.get("BRICKWORK_KERAS_VENV",
                                           pathlib.Path.home() / ".cache" / "brickwork-keras-venv")) / "bin" / "python"


def _run(python: str, side: str, out: pathlib.Path, others: list, env: dict) -> None:
    command = [python, "-m", "conformance.applications.worker", side, str(out), *map(str, others)]
    print("$", " ".join(command), flush=True)
    process = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout.splitlines():
        if line.startswith("["):
            print(line, flush=True)
    if process.returncode:
        print(process.stdout[-3000:], file=sys.stderr)


def _load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def _cell(outcome) -> str:
    if not outcome:
        return "—"
    ok, detail = outcome
    return ("✓ " if ok else "✗ ") + detail


def _table(work: pathlib.Path, backends: list[str], labels: list[str]) -> str:
    keras_export = _load(work / "keras" / "outcomes.json").get("export", {})
    keras_loads = _load(work / "keras" / "compared.json")
    header = ["model", "params (Keras)"]
    for b in backends:
        header += [f"params = ({b})", f"names = ({b})", f"K→bw max diff ({b})", f"bw→K max diff ({b})"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    passed = total = 0
    for label in labels:
        row = [label, str(keras_export.get(label, {}).get("params", "—"))]
        for b in backends:
            mine = _load(work / b / "compared.json").get("keras", {}).get(label, {})
            theirs = keras_loads.get(b, {}).get(label, {})
            cells = [mine.get("params"), mine.get("names"), mine.get("outputs"), theirs.get("outputs")]
            row += [_cell(cell) for cell in cells]
            passed += sum(1 for cell in cells if cell and cell[0])
            total += len(cells)
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(["# keras.applications: brickwork beside Keras 3.15.1", "",
                      "Written by `python -m conformance.applications` (see its docstring). `weights=None`, seeded "
                      "1-D variables, inputs uniform in [-1, 1] (in [0, 255] for models that scale pixels themselves); "
                      "K = Keras 3.15.1 (torch backend), bw = brickwork. "
                      "Differences are the largest absolute difference of the outputs (relative when they exceed 1); "
                      "a check passes below 1e-4.", "", f"**{passed} of {total} checks pass.**", "", *lines]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="torch,jax")
    parser.add_argument("--set", default="small", choices=["small", "all"])
    parser.add_argument("--only", default="", help="comma-separated labels from cases.py")
    parser.add_argument("--workdir", default="/tmp/brickwork-applications")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    backends = args.backends.split(",")
    work = pathlib.Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRICKWORK_BACKEND")}
    base.update(APPLICATIONS_SET=args.set, APPLICATIONS_ONLY=args.only,
                PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    keras_env = dict(base, KERAS_BACKEND="torch")
    _run(str(KERAS_PYTHON), "keras", work / "keras", [], keras_env)
    for b in backends:
        env = dict(base, BRICKWORK_BACKEND=b, KERAS_BACKEND=b)
        _run(sys.executable, "brickwork", work / b, [], env)
        _run(sys.executable, "brickwork", work / b, [work / "keras"], env)
    if backends:
        _run(str(KERAS_PYTHON), "keras", work / "keras", [work / b for b in backends], keras_env)
    chosen = cases.ALL if args.set == "all" else cases.SMALL
    only = [name for name in args.only.split(",") if name]
    table = _table(work, backends, [label for label, _, _ in chosen if not only or label in only])
    if args.no_write:
        print(table)
    else:
        (HERE / "results.md").write_text(table)
        print(table)


if __name__ == "__main__":
    main()
