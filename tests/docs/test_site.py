"""The documentation site builds with ``mkdocs build --strict`` and documents the public API.

The site does not depend on the engine, so these tests run on the torch leg only; they skip where the
``docs`` extra (mkdocs, mkdocs-material, mkdocstrings) is not installed.
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

import pytest

from tests.conftest import BACKEND

ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(BACKEND != "torch", reason="the site does not depend on the engine: built on the torch leg"),
    pytest.mark.skipif(
        any(importlib.util.find_spec(name) is None for name in ("mkdocs", "material", "mkdocstrings_handlers")),
        reason="the docs extra (mkdocs, mkdocs-material, mkdocstrings[python]) is not installed",
    ),
]


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_api_pages", ROOT / "docs" / "gen_api_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built once for this module's tests."""
    site_dir = tmp_path_factory.mktemp("site")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return site_dir


def test_guides_and_api_pages_are_built(site):
    for page in ("index.html", "getting_started/index.html", "saving/index.html", "security/index.html",
                 "migrating/index.html", "api/layers/index.html", "api/ops/index.html", "api/ops_nn/index.html"):
        assert (site / page).is_file(), page


def test_api_pages_document_classes_and_ops(site):
    layers_html = (site / "api" / "layers" / "index.html").read_text()
    ops_html = (site / "api" / "ops" / "index.html").read_text()
    assert 'id="brickwork.layers.Dense"' in layers_html
    assert "A densely connected layer" in layers_html  # Dense's docstring, not just its name
    assert 'id="brickwork.ops.matmul"' in ops_html
    # Dense's "Example:" section is shown as code with prompts (docs/griffe_examples.py), not as prose.
    start = layers_html.index('id="brickwork.layers.Dense"')
    dense = layers_html[start:layers_html.index('class="doc doc-heading"', start + 40)]
    assert '<span class="gp">&gt;&gt;&gt; </span>' in dense


def _load_examples_extension():
    spec = importlib.util.spec_from_file_location("griffe_examples", ROOT / "docs" / "griffe_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_long_example_lines_put_their_comment_on_a_line_of_its_own():
    """Past ``WIDTH``, a trailing ``# value`` would sit beyond the code block's scroll: it moves below."""
    examples = _load_examples_extension()
    long_call = "ops.add(" + ", ".join(["1"] * 40) + ")"
    assert len(long_call) > examples.WIDTH
    text = "Add.\n\nExample:\n" + "\n".join([
        f">>> {long_call}   # 40",
        ">>> with scope:" + " " * examples.WIDTH + "  # opens",
        f"...     y = {long_call}  # inside",
        ">>> ops.add(1, 2)   # 3",
        f'>>> print("a  # b", {long_call})',
    ])
    lines = examples.fence_examples(text).split("\n")
    fenced = lines[lines.index("    ```pycon") + 1:lines.index("    ```", lines.index("    ```pycon") + 1)]
    assert fenced == [
        f"    >>> {long_call}", "    # -> 40",                       # where its output would be
        "    >>> with scope:", "    ... # -> opens",                  # the statement goes on
        f"    ...     y = {long_call}", "    ...     # -> inside",    # at the line's indentation
        "    >>> ops.add(1, 2)   # 3",                                  # short: as written
        f'    >>> print("a  # b", {long_call})',                         # a "#" in a string is no comment
    ]
    compile("\n".join(line.strip().removeprefix(">>> ").removeprefix("... ") for line in fenced[:2]), "", "exec")


def test_api_pages_wrap_long_example_lines(site):
    ops_html = (site / "api" / "ops" / "index.html").read_text()
    assert "stylesheets/extra.css" in ops_html
    assert "white-space: pre-wrap" in (site / "stylesheets" / "extra.css").read_text()


def _has_entry(html: str, namespace: str, name: str) -> bool:
    """Whether the page ``html`` documents ``namespace.name``: under that path, under the path where the
    object (or, for an engine's class, its engine-neutral base) is defined, or in the page's list of
    engine functions."""
    ids = set(re.findall(r'id="([^"]+)"', html))
    value = getattr(importlib.import_module(namespace), name)
    homes = {f"{getattr(c, '__module__', '')}.{getattr(c, '__qualname__', '')}"
             for c in (value.__mro__[:-1] if isinstance(value, type) else (value,))}
    engine_list = html.split('id="engine-functions"', 1)[1] if 'id="engine-functions"' in html else ""
    return f"{namespace}.{name}" in ids or bool(homes & ids) or f"<code>{name}</code>" in engine_list


def test_every_public_name_has_an_entry(site):
    """Each name a namespace exports appears on its page, as its own entry or in the page's list of
    engine functions; a page written before a name was added fails here (rerun docs/gen_api_pages.py)."""
    generator = _load_generator()
    missing = {}
    for filename, namespace, *_ in generator.PAGES:
        html = (site / "api" / filename[:-3] / "index.html").read_text()
        absent = [name for name in generator.public_names(namespace) if not _has_entry(html, namespace, name)]
        if absent:
            missing[namespace] = absent
    assert not missing, missing
