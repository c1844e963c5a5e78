"""The pytest plugin both sides of the Keras-suite run load (``-p conformance.keras_suite.plugin``).

On brickwork's side it first makes ``keras`` resolve to brickwork (``alias_keras()``) and lets Keras's test
files import one another (``from keras.src.layers.convolutional.conv_test import np_conv2d``) from the
suite folder. On both sides it stands in for the conftest of Keras's repository, which the wheel does not
ship: the ``requires_trainable_backend`` and ``multi_device`` markers, the committed exclusions, an
optional list of tests to keep (the CI ratchet), and one JSON line per test outcome for the runner.

Environment: ``KERAS_SUITE_ROOT`` (the folder holding ``keras_src/``), ``KERAS_SUITE_TARGET``
(``brickwork`` or ``keras``), ``KERAS_SUITE_REPORT`` (where outcomes go), ``KERAS_SUITE_SELECT``
(a file of test ids to keep; everything else is deselected).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import pathlib
import sys
import types

import pytest

from conformance.keras_suite.exclusions import excluded_reason
from conformance.keras_suite.ids import normalize

ROOT = pathlib.Path(os.environ.get("KERAS_SUITE_ROOT", "."))
TARGET = os.environ.get("KERAS_SUITE_TARGET", "brickwork")
_REPORT = os.environ.get("KERAS_SUITE_REPORT")


class _SuiteTestModules(importlib.abc.MetaPathFinder):
    """``keras.src.X.Y_test`` is the suite's own file ``keras_src/X/Y_test.py``; so is ``brickwork.X.Y_test``,
    the name Python asks for on ``from keras.src.X import Y_test`` once ``keras.src.X`` is brickwork's module."""

    def find_spec(self, fullname, path=None, target=None):
        prefix = next((p for p in ("keras.src.", "brickwork.") if fullname.startswith(p)), None)
        if prefix is None or not fullname.endswith("_test"):
            return None
        file = ROOT / "keras_src" / (fullname[len(prefix):].replace(".", "/") + ".py")
        return importlib.util.spec_from_file_location(fullname, file) if file.exists() else None


def _skip_if_backend(given_backend: str, reason: str):
    """Keras's ``conftest.skip_if_backend``: skip the test on one backend."""
    return pytest.mark.skipif(_backend_name() == given_backend, reason=reason)


# Keras's tests import helpers from the conftest of Keras's repository, which the wheel does not ship.
_conftest = types.ModuleType("conftest", "Stand-in for the conftest of Keras's repository.")
_conftest.skip_if_backend = _skip_if_backend
sys.modules.setdefault("conftest", _conftest)

if TARGET == "brickwork":
    import brickwork

    brickwork.alias_keras()
    sys.meta_path.insert(0, _SuiteTestModules())


def _backend_name() -> str:
    import keras

    return keras.backend.backend()


def pytest_configure(config):
    config.addinivalue_line("markers", "requires_trainable_backend: needs a backend that trains")
    config.addinivalue_line("markers", "multi_device: needs several devices")
    global _REPORT
    if getattr(config.option, "numprocesses", None) and not os.environ.get("PYTEST_XDIST_WORKER"):
        _REPORT = None  # pytest-xdist's controller: the workers write each outcome, once


def pytest_collection_modifyitems(config, items):
    backend = _backend_name()
    keep = None
    if os.environ.get("KERAS_SUITE_SELECT"):
        keep = set(pathlib.Path(os.environ["KERAS_SUITE_SELECT"]).read_text().splitlines())
    kept, dropped = [], []
    for item in items:
        if keep is not None and normalize(item.nodeid) not in keep:
            dropped.append(item)
            continue
        kept.append(item)
        if backend == "numpy" and item.get_closest_marker("requires_trainable_backend"):
            item.add_marker(pytest.mark.skip(reason="requires a trainable backend"))
        if item.get_closest_marker("multi_device"):
            item.add_marker(pytest.mark.skip(reason="needs several devices"))
        reason = excluded_reason(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"excluded: {reason}"))
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _write(record: dict) -> None:
    if _REPORT:
        with open(_REPORT, "a") as stream:
            stream.write(json.dumps(record) + "\n")


def _message(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message.splitlines()[0][:300] if crash.message else ""
    if isinstance(report.longrepr, tuple):  # skips: (file, line, reason)
        return str(report.longrepr[2])[:300]
    return str(report.longrepr).strip().splitlines()[-1][:300] if report.longrepr else ""


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        if report.when == "teardown" and report.outcome == "passed":
            return
        outcome = report.outcome if report.when == "call" or report.outcome == "skipped" else "failed"
        _write({"id": normalize(report.nodeid), "outcome": outcome, "when": report.when,
                "message": "" if outcome == "passed" else _message(report)})


def pytest_collectreport(report):
    if report.failed:
        _write({"id": normalize(report.nodeid), "outcome": "collection_error", "when": "collect",
                "message": _message(report)})
