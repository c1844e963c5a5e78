"""The cross-engine parity report: ``python -m conformance.parity [--write-docs]``.

Runs every case of ``cases.py`` on torch and on jax (one process each), compares them, prints the rows past
their tolerance and exits 1 if there are any. ``--write-docs`` writes the table to ``docs/parity.md``.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

from conformance.parity import report

REPO = pathlib.Path(__file__).resolve().parents[2]


def run_engines(folder: pathlib.Path) -> dict[str, str]:
    """Run the worker once per engine; the paths of their result files."""
    paths = {}
    for engine in ("torch", "jax"):
        path = str(folder / f"{engine}.npz")
        env = {**os.environ, "BRICKWORK_BACKEND": engine, "KERAS_BACKEND": engine, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "conformance.parity.worker", path], cwd=REPO, env=env, check=True)
        paths[engine] = path
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true", help="write the table to docs/parity.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        paths = run_engines(pathlib.Path(folder))
        rows = report.compare(paths["torch"], paths["jax"])
    failing = [r for r in rows if not r.ok]
    worst = max((r for r in rows if not r.error), key=lambda r: r.worst, default=None)
    print(f"parity: {len(rows) - len(failing)} of {len(rows)} rows within tolerance"
          + (f"; largest scale-relative difference {worst.worst:.1e} ({worst.kind} {worst.key})" if worst else ""))
    for row in failing:
        print(f"  FAIL {row.kind} {row.key}: {row.error or f'{row.worst:.1e} > {row.tolerance:.0e}'}")
    if args.write_docs:
        (REPO / "docs" / "parity.md").write_text(report.markdown(rows))
        print("wrote docs/parity.md")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
