"""KerasHub's own test files, run on Keras 3.15.1 and on brickwork (torch, jax), counted per file.

``python -m conformance.keras_hub --own-tests DIR`` runs every ``*_test.py`` under ``DIR`` (a copy of the
installed ``keras_hub`` package with KerasHub's test files added; see README.md) in one pytest process per side
(as KerasHub's CI runs them), and writes ``own_tests.md`` (and ``own_tests.json``) beside this file. A test counts
where Keras 3.15.1 passes it: Keras's failures (version skew between the test files and the 0.32 wheel,
TensorFlow-only export paths) are listed, not counted. Tests marked ``large``/``extra_large``/
``kaggle_key_required`` (presets, downloads) are deselected, as KerasHub's CI does without ``--run_large``, and
so is ``test_session``, which ``tf.test.TestCase`` adds to every class.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
KERAS_PYTHON = pathlib.Path.home() / ".cache" / "brickwork-keras-venv" / "bin" / "python"
EXTRAS = [pathlib.Path.home() / ".cache" / "brickwork-keras-hub-extras",  # grain
          pathlib.Path.home() / ".cache" / "brickwork-keras-hub-tf"]  # TensorFlow (CPU), for KerasHub's TestCase
DESELECT = ["-m", "not large and not extra_large and not kaggle_key_required", "-k", "not test_session"]


def _outcomes(junit: pathlib.Path) -> dict[str, str]:
    """``{test id: "passed" | "failed" | "skipped"}`` from a pytest JUnit XML report."""
    outcomes = {}
    if not junit.exists():
        return outcomes
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}.{case.get('name')}"
        kinds = {child.tag for child in case}
        outcomes[test_id] = ("failed" if kinds & {"failure", "error"} else
                             "skipped" if "skipped" in kinds else "passed")
    return outcomes


def _run_side(side: str, test_files: list[pathlib.Path], root: pathlib.Path, timeout: int) -> dict[str, str]:
    """One pytest process for all the files on one side (as KerasHub's CI runs them): ``{test id: outcome}``."""
    paths = ([str(root)] if side == "keras" else [str(REPO), str(root)]) + [str(p) for p in EXTRAS]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3")
    if side == "keras":
        env["KERAS_BACKEND"] = "torch"
        command = [str(KERAS_PYTHON), "-m", "pytest"]
    else:
        env["KERAS_BACKEND"] = env["BRICKWORK_BACKEND"] = side
        command = [sys.executable, "-m", "brickwork", "run", "-m", "pytest"]
    with tempfile.TemporaryDirectory() as tmp:
        junit = pathlib.Path(tmp) / "junit.xml"
        command += ["-q", "-p", "no:cacheprovider", *DESELECT, f"--junitxml={junit}", *map(str, test_files)]
        print(f"[{side}] {len(test_files)} files", flush=True)
        try:
            subprocess.run(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=timeout)
        except subprocess.TimeoutExpired:
            print(f"[{side}] timed out after {timeout} s", flush=True)
        return _outcomes(junit)


def _file_of(test_id: str, names: list[str]) -> str:
    """The file of ``package.module_test.Class.test_name`` (pytest names the module from its rootdir)."""
    module = test_id.rsplit(".", 2)[0].replace(".", "/") + ".py"
    matches = [name for name in names if name == module or name.endswith("/" + module)]
    return matches[0] if len(matches) == 1 else "<unknown>"


def run(root: pathlib.Path, backends: list[str], timeout: int = 3600) -> dict:
    """Every test file under ``root`` on Keras and on each backend: ``{file: {side: {test: outcome}}}``."""
    test_files = sorted(root.rglob("*_test.py"))
    names = [str(f.relative_to(root)) for f in test_files]
    results = {name: {} for name in names}
    for side in ["keras", *backends]:
        for name in names:
            results[name][side] = {}
        for test_id, outcome in _run_side(side, test_files, root, timeout).items():
            results.setdefault(_file_of(test_id, names), {}).setdefault(side, {})[test_id] = outcome
    return results


def table(results: dict, backends: list[str]) -> str:
    """The per-file table: Keras's passes, and how many of those brickwork passes on each backend."""
    header = ["file", "Keras 3.15.1", *[f"brickwork {b}" for b in backends]]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    totals = [0] * (1 + len(backends))
    failures, reference = [], []
    for name, sides in results.items():
        keras_passed = {t for t, o in sides.get("keras", {}).items() if o == "passed"}
        reference += [f"`{name}` {t}" for t, o in sides.get("keras", {}).items() if o == "failed"]
        row = [len(keras_passed)]
        for b in backends:
            passed = {t for t, o in sides.get(b, {}).items() if o == "passed"} & keras_passed
            row.append(len(passed))
            failures += [f"{b}: `{name}` {t}" for t in sorted(keras_passed - passed)]
        totals = [a + b for a, b in zip(totals, row)]
        lines.append(f"| `{name}` | " + " | ".join(map(str, row)) + " |")
    lines.append("| **total** | " + " | ".join(f"**{n}**" for n in totals) + " |")
    rates = ", ".join(f"{b} {n} of {totals[0]} ({100 * n / max(totals[0], 1):.1f}%)"
                      for b, n in zip(backends, totals[1:]))
    text = ["# KerasHub's own tests on brickwork, side by side with Keras 3.15.1", "",
            "Written by `python -m conformance.keras_hub --own-tests DIR` (see README.md). Each cell counts the "
            "tests of that file that pass; a brickwork cell counts only tests Keras 3.15.1 passes too.", "",
            f"**brickwork passes {rates} of the tests Keras passes.**", ""] + lines
    if failures:
        text += ["", "brickwork fails where Keras passes:", ""] + [f"- {line}" for line in failures]
    if reference:
        text += ["", "Keras 3.15.1 itself fails (not counted):", ""] + [f"- {line}" for line in reference]
    return "\n".join(text) + "\n"


def main(root: str, backends: list[str], write: bool) -> None:
    root_path = pathlib.Path(root).resolve()
    if not (root_path / "keras_hub").is_dir():
        raise SystemExit(f"--own-tests: expected a folder holding a `keras_hub` package copy with its test files; "
                         f"{root_path} has no keras_hub/ folder.")
    results = run(root_path, backends)
    text = table(results, backends)
    if write:
        (HERE / "own_tests.json").write_text(json.dumps(results, indent=1) + "\n")
        (HERE / "own_tests.md").write_text(text)
    print(text)
