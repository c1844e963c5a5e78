"""Rewrite tests/tensorflow_pending.txt: the tests the TensorFlow engine does not pass yet.

    BRICKWORK_BACKEND=tensorflow python -m pytest -q --junitxml=/tmp/tf.xml
    python tests/tensorflow_pending.py /tmp/tf.xml            # the failures (and the still-failing listed ones)

A test leaves the list when it passes (an XPASS in a run, a pass in the JUnit file); one that newly fails is
added only with --add (a regression should be fixed, not listed).
"""

from __future__ import annotations

import argparse
import pathlib
import xml.etree.ElementTree as ET

LIST = pathlib.Path(__file__).with_name("tensorflow_pending.txt")


def node_id(case: ET.Element) -> str:
    """The pytest node id of a JUnit test case (``tests/x/test_y.py::Class::test``)."""
    classname, name = case.get("classname", ""), case.get("name", "")
    parts = [part for part in classname.split(".") if part]
    for cut in range(len(parts), 0, -1):
        path = pathlib.Path(*parts[:cut]).with_suffix(".py")
        if (LIST.parent.parent / path).exists():
            return "::".join([path.as_posix(), *parts[cut:], name])
    return f"{classname}::{name}"


def outcomes(junit: pathlib.Path) -> dict[str, str]:
    result = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        kinds = [child.tag for child in case]
        if "failure" in kinds or "error" in kinds:
            result[node_id(case)] = "failed"
        elif "skipped" in kinds:
            skipped = case.find("skipped")
            result[node_id(case)] = "xfailed" if "xfail" in skipped.get("type", "") else "skipped"
        else:
            result[node_id(case)] = "passed"
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("junit", nargs="+", type=pathlib.Path)
    parser.add_argument("--add", action="store_true", help="also list tests that fail and were not listed")
    args = parser.parse_args(argv)
    seen: dict[str, str] = {}
    for path in args.junit:
        seen.update(outcomes(path))
    listed = set(LIST.read_text().split()) if LIST.exists() else set()
    keep = {t for t in listed if seen.get(t) in ("failed", "xfailed", None)}
    new = {t for t, o in seen.items() if o == "failed" and t not in listed}
    if args.add:
        keep |= new
    elif new:
        print(f"{len(new)} tests fail on tensorflow that are not listed (fix them, or rerun with --add):")
        print("\n".join(sorted(new)[:50]))
    LIST.write_text("".join(f"{t}\n" for t in sorted(keep)))
    print(f"tests/tensorflow_pending.txt: {len(keep)} tests ({len(listed - keep)} left the list)")
    return 1 if new and not args.add else 0


if __name__ == "__main__":
    raise SystemExit(main())
