"""``python -m conformance.keras_hub``: KerasHub 0.32 on brickwork (torch, jax) side by side with Keras 3.15.1.

Runs ``worker.py`` four ways: Keras exports every configuration (weights, ``.keras``, outputs); brickwork on
each backend exports its own and loads Keras's; Keras loads brickwork's. Writes ``results.json`` and the
table ``results.md`` beside this file. See README.md for the environment it expects.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys

from conformance.keras_hub import models

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
KERAS_PYTHON = pathlib.Path.home() / ".cache" / "brickwork-keras-venv" / "bin" / "python"
EXTRAS = pathlib.Path.home() / ".cache" / "brickwork-keras-hub-extras"  # grain, which KerasHub's tasks need

# (column, which side's outcomes, step name); "{b}" is the brickwork backend.
COLUMNS = [
    ("build", "bw", "build"),
    ("forward", "bw", "forward"),
    ("weights K→bw", "bw", "weights<keras"),
    ("weights bw→K", "keras", "weights<{b}"),
    ("fit", "bw", "fit"),
    (".keras K→bw", "bw", "keras<keras"),
    (".keras bw→K", "keras", "keras<{b}"),
    ("generate", "bw", "generate"),
]


def _run(python: str, side: str, out: pathlib.Path, others: list[pathlib.Path], env: dict, log) -> None:
    command = [python, "-m", "conformance.keras_hub.worker", side, str(out), *map(str, others)]
    print("$", " ".join(command), flush=True)
    process = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    log.write(process.stdout)
    for line in process.stdout.splitlines():
        if line.startswith("["):
            print(line, flush=True)
    if process.returncode:
        print(process.stdout[-3000:], file=sys.stderr)


def _environment(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), str(EXTRAS), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def _cell(outcome, notes: list[str]) -> str:
    if outcome is None:
        return "—"
    ok, detail = outcome
    if ok:
        return f"✓ {detail}" if detail and detail[0].isdigit() else "✓"
    notes.append(detail)
    return f"✗ [{len(notes)}]"


def _table(results: dict, backends: list[str]) -> str:
    notes: list[str] = []
    names = [spec.name for spec in models.SPECS + models.TASKS]
    header = ["model"] + [f"{name} ({b})" for b in backends for name, _, _ in COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        if name not in results["keras"] and all(name not in results[b] for b in backends):
            continue
        row = [name]
        for b in backends:
            for _, side, step in COLUMNS:
                outcomes = results["keras" if side == "keras" else b].get(name, {})
                row.append(_cell(outcomes.get(step.format(b=b)), notes))
        lines.append("| " + " | ".join(row) + " |")
    passed = failed = 0
    for b in backends:
        for name in names:
            for _, side, step in COLUMNS:
                outcome = results["keras" if side == "keras" else b].get(name, {}).get(step.format(b=b))
                if outcome is not None:
                    passed, failed = passed + outcome[0], failed + (not outcome[0])
    reference = [f"{name} {step}: {detail}" for name, steps in results["keras"].items()
                 for step, (ok, detail) in steps.items() if not ok and "<" not in step]
    text = ["# KerasHub 0.32 on brickwork, side by side with Keras 3.15.1", "",
            "Written by `python -m conformance.keras_hub` (see README.md). Tiny configurations, random weights "
            f"(seed {1337}); numerics compare outputs within 1e-5 (the cell shows the largest difference). "
            "K = Keras 3.15.1 (torch backend), bw = brickwork; `weights` = `.weights.h5`, `.keras` = whole-model "
            "archive; — = not applicable or not reached.", "",
            f"**{passed} of {passed + failed} checks pass.**", ""] + lines
    if notes:
        text += ["", "Failures:", ""] + [f"{i}. {note}" for i, note in enumerate(notes, 1)]
    if reference:
        text += ["", "Keras 3.15.1 itself fails:", ""] + [f"- {line}" for line in reference]
    return "\n".join(text) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="torch,jax")
    parser.add_argument("--only", default="", help="comma-separated names from models.py")
    parser.add_argument("--workdir", default="/tmp/brickwork-keras-hub")
    parser.add_argument("--no-write", action="store_true", help="print the table instead of committing it")
    parser.add_argument("--own-tests", metavar="DIR", default=None,
                        help="instead: run KerasHub's own *_test.py files under DIR on both sides (own_tests.py)")
    args = parser.parse_args()
    backends = args.backends.split(",")
    if args.own_tests:
        from conformance.keras_hub import own_tests

        own_tests.main(args.own_tests, backends, write=not args.no_write)
        return
    work = pathlib.Path(args.workdir)
    for folder in ["keras", *backends]:
        (work / folder).mkdir(parents=True, exist_ok=True)
        for stale in (work / folder).glob("*"):
            stale.unlink()
    with open(work / "log.txt", "w") as log:
        only = {"KERAS_HUB_ONLY": args.only}
        _run(str(KERAS_PYTHON), "keras", work / "keras", [], _environment(KERAS_BACKEND="torch", **only), log)
        for b in backends:
            _run(sys.executable, "brickwork", work / b, [work / "keras"],
                 _environment(BRICKWORK_BACKEND=b, KERAS_BACKEND=b, **only), log)
        _run(str(KERAS_PYTHON), "keras", work / "keras", [work / b for b in backends],
             _environment(KERAS_BACKEND="torch", KERAS_HUB_EXPORT="0", **only), log)
    results = {"keras": json.loads((work / "keras" / "outcomes.json").read_text())["outcomes"]}
    imported = json.loads((work / "keras" / f"outcomes-{'-'.join(backends)}.json").read_text())["outcomes"]
    for name, steps in imported.items():
        results["keras"].setdefault(name, {}).update(steps)
    for b in backends:
        path = work / b / "outcomes.json"
        results[b] = json.loads(path.read_text())["outcomes"] if path.exists() else {}
    table = _table(results, backends)
    if args.no_write:
        print(table)
        return
    (HERE / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    (HERE / "results.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
