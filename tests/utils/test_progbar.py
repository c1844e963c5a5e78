"""Progbar: Keras's console format, checked against literal strings with a controlled clock."""

import numpy as np
import pytest

from brickwork import backend
from brickwork.utils import progbar as progbar_module
from brickwork.utils.progbar import Progbar

BAR = "━" * 20


@pytest.fixture
def clock(monkeypatch):
    """Set ``clock.now`` to move time; the progress bar reads it."""

    class Clock:
        now = 100.0

    monkeypatch.setattr(progbar_module, "_clock", lambda: Clock.now)
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    return Clock


def test_verbose_1_not_a_tty_one_line_per_render(clock, capsys):
    bar = Progbar(target=3)
    clock.now = 100.5
    bar.update(1, [("accuracy", 0.5), ("loss", 0.9)])
    clock.now = 100.51  # within the 0.05 s interval: not drawn
    bar.update(2, [("accuracy", 0.6), ("loss", 0.8)])
    clock.now = 100.6
    bar.update(3, [("accuracy", 0.75), ("loss", backend.convert_to_tensor(0.6931))])
    assert capsys.readouterr().out == (
        f"1/3 {BAR} 1s 500ms/step - accuracy: 0.5000 - loss: 0.9000\n"
        f"3/3 {BAR} 1s 50ms/step - accuracy: 0.7500 - loss: 0.6931\n"
    )


def test_verbose_2_one_line_at_the_end(clock, capsys):
    bar = Progbar(target=10, verbose=2)
    for step in range(1, 11):
        clock.now = 100.0 + 0.04 * step
        bar.update(step, {"accuracy": 0.5, "loss": np.float32(0.6931)})
    assert capsys.readouterr().out == "10/10 - 0s - 40ms/step - accuracy: 0.5000 - loss: 0.6931\n"


def test_small_values_use_scientific_notation_and_long_runs_show_minutes(clock, capsys):
    bar = Progbar(target=1000)
    clock.now = 200.0  # 100 s for the first step: ETA 999 * 100 s
    bar.update(1, [("lr", 1e-5)])
    assert capsys.readouterr().out == f"   1/1000 {BAR} 27:45:00 100s/step - lr: 1.0000e-05\n"


def test_unknown_target(clock, capsys):
    bar = Progbar(target=None)
    clock.now = 101.0
    bar.update(5, [("loss", 1.0)])
    assert capsys.readouterr().out == "      5/Unknown 1s 200ms/step - loss: 1.0000\n"


def test_terminal_redraws_in_place_with_keras_colours(clock, capsys):
    bar = Progbar(target=2)
    bar._dynamic_display = True
    clock.now = 100.001
    bar.update(1, [("loss", 2.0)])
    clock.now = 100.1
    bar.update(2, [("loss", 1.0)])
    out = capsys.readouterr().out
    first, second = out.split("\r")[1:]
    assert first.startswith("\x1b[1m1/2\x1b[0m \33[32m" + "━" * 10)
    assert "loss: 2.0000" in first and not first.endswith("\n")
    assert second.startswith("\x1b[1m2/2\x1b[0m \33[32m" + BAR)
    assert second.endswith("loss: 1.0000\n")


def test_stateless_metrics_are_averaged(clock, capsys):
    bar = Progbar(target=3, stateful_metrics=["acc"])
    for step, loss in enumerate([1.0, 2.0, 3.0], start=1):
        clock.now = 100.0 + step
        bar.update(step, [("loss", loss), ("acc", loss / 10)], finalize=False)
    assert capsys.readouterr().out.splitlines()[-1].endswith("loss: 2.0000 - acc: 0.3000")


def test_values_become_floats_only_when_drawn(clock, capsys):
    conversions = []

    class Lazy:
        def __array__(self, dtype=None, copy=None):
            conversions.append(1)
            return np.array(0.25)

    bar = Progbar(target=100, stateless_metrics=())
    clock.now = 100.001
    bar.update(1, [("loss", Lazy())])  # drawn
    for step in range(2, 50):  # within the interval: not drawn, not converted
        bar.update(step, [("loss", Lazy())])
    assert len(conversions) == 1
    clock.now = 101.0
    bar.update(100, [("loss", Lazy())])
    assert len(conversions) == 2
    assert capsys.readouterr().out.endswith("loss: 0.2500\n")


def test_silent_and_argument_errors(clock, capsys):
    bar = Progbar(target=2, verbose=0)
    bar.update(2, [("loss", 1.0)])
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="Only one of `stateful_metrics` and `stateless_metrics`"):
        Progbar(target=2, stateful_metrics=["a"], stateless_metrics=["b"])
