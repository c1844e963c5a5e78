"""Count what the public docstrings have, and pull out their ``Example:`` code.

Run it to print the figures (one line each: summary, ``Args:``, ``Returns:``, ``Example:``):

    PYTHONPATH=. python docs/docstring_audit.py [--missing SECTION]

A public name is one that ``docs/gen_api_pages.py`` puts on a page; an object reachable under several names
counts once. ``Args:`` is counted among callables that take arguments, ``Returns:`` among functions (a class's
call returns an instance of it, so it needs none). ``tests/docs/test_examples.py`` runs every example this finds.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pathlib
import re
import sys
import textwrap
from collections.abc import Iterator

_HERE = pathlib.Path(__file__).resolve().parent
_HEADER = re.compile(r"^(?P<indent>[ \t]*)Examples?:[ \t]*$")
_SECTIONS = {
    "args": re.compile(r"^\s*(Args|Arguments):", re.M),
    "returns": re.compile(r"^\s*(Returns|Yields):", re.M),
    "example": re.compile(r"^\s*Examples?:[ \t]*$", re.M),
}


def _generator():
    spec = importlib.util.spec_from_file_location("gen_api_pages", _HERE / "gen_api_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def public_objects() -> Iterator[tuple[str, object]]:
    """``(dotted name, object)`` for each distinct public class or callable, under its first documented name."""
    generator = _generator()
    seen: set[int] = set()
    for _page, namespace, *_ in generator.PAGES:
        module = importlib.import_module(namespace)
        for name in generator.public_names(namespace):
            value = getattr(module, name, None)
            if value is None or inspect.ismodule(value) or id(value) in seen:
                continue
            if not (inspect.isclass(value) or callable(value)):
                continue
            seen.add(id(value))
            yield f"{namespace}.{name}", value


def _takes_arguments(value) -> bool:
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return True
    return any(name not in ("self", "cls") for name in signature.parameters)


def sections(value) -> dict[str, bool | None]:
    """Which sections ``value``'s docstring has; None where the section does not apply."""
    doc = inspect.getdoc(value) or ""
    found: dict[str, bool | None] = {"summary": bool(doc.strip() and doc.strip().split("\n")[0].strip())}
    for key, pattern in _SECTIONS.items():
        found[key] = bool(pattern.search(doc))
    if not _takes_arguments(value):
        found["args"] = None
    if inspect.isclass(value):
        found["returns"] = None
    return found


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def example_blocks(doc: str) -> list[str]:
    """The body of each ``Example:``/``Examples:`` section of ``doc``, dedented (read as griffe_examples does)."""
    lines = doc.split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        match = _HEADER.match(lines[i])
        if not match:
            i += 1
            continue
        indent = len(match.group("indent"))
        j = i + 1
        if j < len(lines) and lines[j].lstrip().startswith(">>>") and _indent_of(lines[j]) == indent:
            while j < len(lines) and lines[j].strip():
                j += 1
        while j < len(lines) and (not lines[j].strip() or _indent_of(lines[j]) > indent):
            j += 1
        body = textwrap.dedent("\n".join(lines[i + 1:j])).strip("\n")
        if body and "```" not in body:
            blocks.append(body)
        i = j
    return blocks


def main(argv: list[str]) -> None:
    totals = {key: [0, 0] for key in ("summary", "args", "returns", "example")}
    missing: dict[str, list[str]] = {key: [] for key in totals}
    count = 0
    for name, value in public_objects():
        count += 1
        for key, present in sections(value).items():
            if present is None:
                continue
            totals[key][1] += 1
            totals[key][0] += present
            if not present:
                missing[key].append(name)
    print(f"public callables: {count}")
    for key, (have, of) in totals.items():
        print(f"{key:8s} {have:4d} / {of:4d}")
    if len(argv) > 2 and argv[1] == "--missing":
        print("\n".join(missing[argv[2]]))


if __name__ == "__main__":
    main(sys.argv)
