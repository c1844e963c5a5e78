"""print_msg: stdout when interactive (with an ASCII fallback for narrow encodings), the log otherwise."""

import io
import logging
import sys

import pytest

from brickwork import config
from brickwork.utils import io_utils


@pytest.fixture
def interactive():
    config.enable_interactive_logging()
    yield
    config.enable_interactive_logging()


@pytest.mark.parametrize("line_break, expected", [(True, "Hello\n"), (False, "Hello")])
def test_print_msg_to_stdout(interactive, capsys, line_break, expected):
    io_utils.print_msg("Hello", line_break=line_break)
    assert capsys.readouterr().out == expected


def test_print_msg_falls_back_where_the_console_lacks_the_bar_character(interactive, monkeypatch):
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="cp1251")
    monkeypatch.setattr(sys, "stdout", console)
    io_utils.print_msg("━━ 3/10 ✓")
    console.flush()
    assert raw.getvalue().decode("cp1251") == "== 3/10 \n"  # the bar becomes '=', the tick is dropped


def test_print_msg_goes_to_the_log_when_not_interactive(interactive, capsys, caplog):
    pytest.importorskip("absl.logging")
    config.disable_interactive_logging()
    with caplog.at_level(logging.INFO, logger="absl"):
        io_utils.print_msg("Epoch 1: saved")
    assert capsys.readouterr().out == ""
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [("absl", logging.INFO, "Epoch 1: saved")]


def test_set_logging_verbosity_sets_absl_verbosity():
    absl_logging = pytest.importorskip("absl.logging")
    before = absl_logging.get_verbosity()
    try:
        io_utils.set_logging_verbosity("DEBUG")
        assert absl_logging.get_verbosity() == absl_logging.DEBUG
        io_utils.set_logging_verbosity("ERROR")
        assert absl_logging.get_verbosity() == absl_logging.ERROR
    finally:
        absl_logging.set_verbosity(before)
    with pytest.raises(ValueError, match="valid level"):
        io_utils.set_logging_verbosity("LOUD")
