"""Run Keras 3.15.1's own test files against brickwork, beside Keras itself; write the table and the ratchet.

    python -m conformance.keras_suite                        # brickwork on torch, jax, numpy; table + ratchet
    python -m conformance.keras_suite --keras                # also Keras 3.15.1 itself (its separate venv)
    python -m conformance.keras_suite --backends torch --files keras_src/layers/core
    python -m conformance.keras_suite --ratchet --backends torch   # CI: the committed passing tests still pass

The test files come from Keras's wheel on the package index, downloaded with pip into a cache folder
(``$BRICKWORK_SUITE_CACHE``, default ``~/.cache/brickwork-keras-suite``); none of them is committed.
Keras's side runs in the virtual environment the interop tests use (``$BRICKWORK_KERAS_VENV``, default
``~/.cache/brickwork-keras-venv``), created here when missing. Both sides load ``plugin.py``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import subprocess
import sys
import zipfile

from conformance.keras_suite.exclusions import EXCLUDED, EXCLUDED_WITHOUT_TENSORFLOW, excluded_reason
from conformance.keras_suite.ids import normalize

KERAS_VERSION = "3.15.1"
HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
CACHE = pathlib.Path(os.environ.get("BRICKWORK_SUITE_CACHE", pathlib.Path.home() / ".cache" / "brickwork-keras-suite"))
KERAS_VENV = pathlib.Path(os.environ.get("BRICKWORK_KERAS_VENV",
                                         pathlib.Path.home() / ".cache" / "brickwork-keras-venv"))
RESULTS = HERE / "results.json"
TABLE = HERE / "results.md"
WORKERS = int(os.environ.get("BRICKWORK_SUITE_WORKERS", "2"))
RATCHET = HERE / "ratchet"
BACKENDS = ("torch", "jax", "numpy", "tensorflow")
DEFAULT_BACKENDS = ("torch", "jax", "numpy")  # tensorflow when asked for: Keras's side needs TensorFlow in its venv
GROUP_TIMEOUT_S = 3600


def suite_folder() -> pathlib.Path:
    """The folder holding ``keras_src/**/*_test.py`` from Keras's wheel, fetched once."""
    folder = CACHE / KERAS_VERSION
    if (folder / ".complete").exists():
        return folder
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", f"keras=={KERAS_VERSION}",
                    "-d", str(wheels)], check=True)
    wheel = next(wheels.glob(f"keras-{KERAS_VERSION}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith("keras/src/") and name.endswith("_test.py"):
                target = folder / "keras_src" / name[len("keras/src/"):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (folder / ".complete").write_text(KERAS_VERSION)
    return folder


def keras_python() -> str:
    """The interpreter of the separate Keras 3.15.1 environment (made here when missing)."""
    python = KERAS_VENV / "bin" / "python"
    if not (KERAS_VENV / ".keras-ready").exists():
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(KERAS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"keras=={KERAS_VERSION}"], check=True)
        (KERAS_VENV / ".keras-ready").write_text("ok")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pytest", "absl-py"], check=True)
    return str(python)


def test_files(folder: pathlib.Path, patterns: list[str], backend: str | None = None) -> list[str]:
    """Suite files (ids relative to ``folder``) under ``patterns``, less the ones excluded on ``backend``."""
    files = sorted(str(p.relative_to(folder)) for p in (folder / "keras_src").rglob("*_test.py"))
    if patterns:
        files = [f for f in files if any(f.startswith(p) for p in patterns)]
    return [f for f in files if excluded_reason(f, backend) is None]


def _groups(files: list[str]) -> dict[str, list[str]]:
    """Files by top folder (``keras_src/layers/core`` …): one pytest process each, so one crash costs one group."""
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for file in files:
        parts = file.split("/")
        groups["/".join(parts[:3]) if len(parts) > 3 else "/".join(parts[:2])].append(file)
    return groups


def run_side(target: str, backend: str, files: list[str], folder: pathlib.Path, select: pathlib.Path | None = None,
             verbose: bool = False, junit_dir: str | None = None) -> pathlib.Path:
    """Run ``files`` with pytest for ``target`` ("brickwork" or "keras") on ``backend``; the outcomes' JSONL file."""
    report = CACHE / "reports" / f"{target}-{backend}-{os.getpid()}.jsonl"  # runs may overlap
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("")
    python = sys.executable if target == "brickwork" else keras_python()
    env = dict(os.environ, KERAS_BACKEND=backend, BRICKWORK_BACKEND=backend, KERAS_SUITE_ROOT=str(folder),
               KERAS_SUITE_TARGET=target, KERAS_SUITE_REPORT=str(report),
               PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    if select is not None:
        env["KERAS_SUITE_SELECT"] = str(select)
    # The ratchet's tests are known to pass: one pytest process (on two workers) spares a start-up per folder.
    groups = {"ratchet": files} if select is not None else _groups(files)
    for name, group in groups.items():
        command = [python, "-m", "pytest", "-q", "-p", "conformance.keras_suite.plugin", "--import-mode=importlib",
                   "--continue-on-collection-errors", "-c", str(folder / "pytest.ini"), "--rootdir", str(folder),
                   "-W", "ignore", *_parallel(python, len(group)), *group]
        if junit_dir:
            command.append(f"--junitxml={junit_dir}/keras-suite-{target}-{backend}-{name.replace('/', '-')}.xml")
        print(f"[{target}/{backend}] {name} ({len(group)} files)", flush=True)
        try:
            result = subprocess.run(command, cwd=folder, env=env, timeout=GROUP_TIMEOUT_S,
                                    stdout=None if verbose else subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if not verbose and result.stdout:
                print("   " + result.stdout.strip().splitlines()[-1], flush=True)
        except subprocess.TimeoutExpired:
            print(f"   timed out after {GROUP_TIMEOUT_S} s", flush=True)
    return report


def _parallel(python: str, file_count: int) -> list[str]:
    """pytest-xdist options for ``WORKERS`` processes (``$BRICKWORK_SUITE_WORKERS``, default 2), when it helps."""
    if WORKERS < 2 or file_count < 4:  # starting workers costs more than small groups gain
        return []
    probe = subprocess.run([python, "-c", "import xdist"], capture_output=True)
    return ["-n", str(WORKERS), "--dist", "loadfile"] if probe.returncode == 0 else []


def outcomes(report: pathlib.Path) -> dict[str, tuple[str, str]]:
    """Test id -> (worst outcome, message) from a JSONL report."""
    rank = {"passed": 0, "skipped": 1, "failed": 2, "collection_error": 3}
    result: dict[str, tuple[str, str]] = {}
    if not report.exists():
        return result
    for line in report.read_text().splitlines():
        record = json.loads(line)
        test_id = normalize(record["id"])
        old = result.get(test_id)
        if old is None or rank[record["outcome"]] > rank[old[0]]:
            result[test_id] = (record["outcome"], record["message"])
    return result


def per_file(results: dict[str, tuple[str, str]]) -> dict[str, collections.Counter]:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for test_id, (outcome, message) in results.items():
        file = test_id.split("::")[0]
        if outcome == "skipped" and message.startswith("excluded:"):
            outcome = "excluded"
        counts[file][outcome] += 1
    return counts


def load_results() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {"keras": {}, "brickwork": {}}


def save_results(results: dict) -> None:
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


def summarize(results: dict, backend: str) -> dict:
    """Totals for one backend: Keras's passes over the files Keras imports, and brickwork's share of them."""
    keras_side = results["keras"].get(backend, {})
    ours = results["brickwork"].get(backend, {})
    keras_files = {f for f, c in keras_side.get("files", {}).items() if not c.get("collection_error")}
    keras_passed = {normalize(t) for t in keras_side.get("passed", [])}
    our_passed = {normalize(t) for t in ours.get("passed", [])}
    # Exclusions added after Keras's side last ran leave its denominator too.
    counted = [t for t in keras_passed if t.split("::")[0] in keras_files and excluded_reason(t, backend) is None]
    both = [t for t in counted if t in our_passed]
    return {"files": len(keras_files), "keras_passed": len(counted), "brickwork_passed_of_those": len(both),
            "brickwork_passed": len(our_passed), "share": (len(both) / len(counted)) if counted else None}


def causes(results: dict, backend: str, top: int = 25) -> list[tuple[int, str]]:
    """The commonest failure messages on brickwork among tests Keras passes (numbers and names blurred)."""
    import re

    keras_passed = set(results["keras"].get(backend, {}).get("passed", []))
    messages = collections.Counter()
    for test_id, message in results["brickwork"].get(backend, {}).get("failures", {}).items():
        if keras_passed and test_id not in keras_passed:
            continue
        messages[re.sub(r"\d+(\.\d+)?", "N", message)[:160]] += 1
    return [(n, m) for m, n in messages.most_common(top)]


def record(results: dict, target: str, backend: str, report: pathlib.Path, merge: bool) -> None:
    found = outcomes(report)
    side = results[target].setdefault(backend, {}) if merge else {}
    results[target][backend] = side
    passed = set(side.get("passed", [])) - set(found)
    failures = {k: v for k, v in side.get("failures", {}).items() if k not in found}
    files = dict(side.get("files", {}))
    for test_id, (outcome, message) in found.items():
        if outcome == "passed":
            passed.add(test_id)
        elif outcome in ("failed", "collection_error"):
            failures[test_id] = message
    for file, counts in per_file(found).items():
        files[file] = dict(counts)
    side.update(passed=sorted(passed), failures=dict(sorted(failures.items())), files=dict(sorted(files.items())))


def write_table(results: dict) -> None:
    """``results.md``: totals per backend, the per-file table, the exclusions, the largest causes."""
    lines = [f"# Keras {KERAS_VERSION}'s test suite on brickwork", "",
             "Written by `python -m conformance.keras_suite` (see README.md); do not edit by hand.", "",
             "| backend | files Keras imports (without TensorFlow but on tensorflow) | Keras passes | brickwork passes of those | share |",
             "|---|---|---|---|---|"]
    for backend in BACKENDS:
        s = summarize(results, backend)
        share = f"{s['share']:.1%}" if s["share"] is not None else "—"
        lines.append(f"| {backend} | {s['files']} | {s['keras_passed']} | {s['brickwork_passed_of_those']} | {share} |")
    lines += ["", "## Per file (passed / failed / skipped / excluded; `E` = collection error)", "",
              "| file | " + " | ".join(f"Keras {b} | brickwork {b}" for b in BACKENDS) + " |",
              "|---|" + "---|" * (2 * len(BACKENDS))]
    files = sorted({f for side in results.values() for b in side.values() for f in b.get("files", {})})

    def cell(counts):
        if not counts:
            return "—"
        if counts.get("collection_error"):
            return "E"
        return "/".join(str(counts.get(k, 0)) for k in ("passed", "failed", "skipped", "excluded"))

    for file in files:
        row = []
        for backend in BACKENDS:
            row.append(cell(results["keras"].get(backend, {}).get("files", {}).get(file)))
            row.append(cell(results["brickwork"].get(backend, {}).get("files", {}).get(file)))
        lines.append(f"| {file.removeprefix('keras_src/')} | " + " | ".join(row) + " |")
    lines += ["", "## Exclusions", ""] + [f"- `{k}`: {v}" for k, v in EXCLUDED.items()]
    lines += [f"- `{k}` (on torch, jax and numpy; it runs on tensorflow): {v}" for k, v in EXCLUDED_WITHOUT_TENSORFLOW.items()]
    lines += ["- files Keras itself cannot import without TensorFlow (`E` in Keras's columns): not counted"]
    for backend in BACKENDS:
        top = causes(results, backend, top=15)
        if top:
            lines += ["", f"## Largest causes on {backend} (tests Keras passes)", ""]
            lines += [f"- {n} × `{m}`" for n, m in top]
    TABLE.write_text("\n".join(lines) + "\n")


def update_ratchet(results: dict, backend: str) -> None:
    RATCHET.mkdir(exist_ok=True)
    passed = results["brickwork"].get(backend, {}).get("passed", [])
    (RATCHET / f"{backend}.txt").write_text("\n".join(sorted(passed)) + "\n")


def run_ratchet(backend: str, folder: pathlib.Path, junit_dir: str | None = None) -> int:
    """Run the committed passing tests for ``backend``; 1 if any stopped passing."""
    listed = [line for line in (RATCHET / f"{backend}.txt").read_text().splitlines() if line]
    files = sorted({t.split("::")[0] for t in listed})
    report = run_side("brickwork", backend, files, folder, select=RATCHET / f"{backend}.txt", junit_dir=junit_dir)
    found = outcomes(report)
    broken = [t for t in listed if found.get(t, ("missing", ""))[0] != "passed"]
    for test_id in broken:
        outcome, message = found.get(test_id, ("not run", ""))
        print(f"STOPPED PASSING [{backend}] {test_id}: {outcome} {message}")
    print(f"keras-suite ratchet [{backend}]: {len(listed) - len(broken)} passed, {len(broken)} failed")
    return 1 if broken else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.keras_suite", description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default=",".join(DEFAULT_BACKENDS),
                        help="comma-separated: torch,jax,numpy (default) and tensorflow")
    parser.add_argument("--files", nargs="*", default=[], help="only suite files under these prefixes (keras_src/...)")
    parser.add_argument("--keras", action="store_true", help="also run Keras 3.15.1 itself on the same files")
    parser.add_argument("--keras-only", action="store_true", help="run only Keras's side")
    parser.add_argument("--ratchet", action="store_true", help="run the committed passing list; fail if one broke")
    parser.add_argument("--no-update-ratchet", action="store_true", help="leave ratchet/ as it is")
    parser.add_argument("--verbose", action="store_true", help="show pytest's own output")
    parser.add_argument("--junit-dir", help="also write pytest's JUnit XML files here (one per group)")
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    folder = suite_folder()
    if args.ratchet:
        return max(run_ratchet(backend, folder, args.junit_dir) for backend in backends)
    merge = bool(args.files)
    targets = (["keras"] if args.keras or args.keras_only else []) + ([] if args.keras_only else ["brickwork"])
    for backend in backends:
        files = test_files(folder, args.files, backend)
        for target in targets:
            report = run_side(target, backend, files, folder, verbose=args.verbose)
            results = load_results()  # fresh: another run may have written its side meanwhile
            record(results, target, backend, report, merge)
            if target == "brickwork" and not merge and not args.no_update_ratchet:
                update_ratchet(results, backend)
            save_results(results)
        print(json.dumps({backend: summarize(load_results(), backend)}))
    results = load_results()
    write_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
