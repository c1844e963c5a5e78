"""``Progbar``: Keras's console progress bar.

verbose=1 draws ``  3/10 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - accuracy: 0.5000 - loss: 0.6931``,
redrawn in place (``\\r``, with Keras's colours) on a terminal and one line per render otherwise;
verbose=2 prints one line when the target is reached: ``10/10 - 0s - 5ms/step - loss: 0.6931``.
Metric values may be backend scalar tensors: they become floats only when a line is rendered.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time

import numpy as np

from brickwork import backend

_clock = time.time  # module-level so tests can control time


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps expected, None if unknown.
        width: width of the bar in characters.
        verbose: 0 (silent), 1 (live bar) or 2 (one line at the end).
        interval: minimum seconds between two renders of the live bar.
        stateful_metrics: names shown as given (not averaged over updates).
        stateless_metrics: names averaged over updates; all others are shown as given.
            Give at most one of the two; with neither, every metric is averaged (Keras's default).
        unit_name: display name of a step (``"step"``, ``"sample"``).

    Example:
        bar = Progbar(target=10)
        for step in range(10):
            bar.update(step + 1, values=[("loss", 1.0 / (step + 1))])
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics=None, stateless_metrics=None, unit_name: str = "step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Progbar: Only one of `stateful_metrics` and `stateless_metrics` can be given; "
                             "received both.")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = None if stateless_metrics is not None else set(stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._dynamic_display = _interactive() and (
            (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
            or "ipykernel" in sys.modules
            or "PYCHARM_HOSTED" in os.environ
        )
        self._seen_so_far = 0
        self._values = {}  # name -> [sum of value * steps, steps] or [latest value, 1]
        self._values_order = []
        self._start = _clock()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def update(self, current: int, values=None, finalize: bool | None = None) -> None:
        """Record progress up to step ``current`` with ``values``: ``[(name, value), ...]`` or a dict."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if isinstance(values, dict):
            values = values.items()
        for name, value in values or ():
            self._record(name, value, current, finalize)
        self._seen_so_far = current
        now = _clock()
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._render_bar(current, now, finalize)
        elif self.verbose == 2 and finalize and self.target:
            self._render_line(current, now)
        self._last_update = now

    def add(self, n: int, values=None) -> None:
        self.update(self._seen_so_far + n, values)

    def _record(self, name, value, current, finalize) -> None:
        if name not in self._values_order:
            self._values_order.append(name)
        if self.stateful_metrics is not None:
            averaged = name not in self.stateful_metrics
        else:
            averaged = name in self.stateless_metrics
        if not averaged or finalize:
            self._values[name] = [value, 1]  # kept as given: converted only when rendered
            return
        steps = max(current - self._seen_so_far, 1)
        value = _to_float(value) * steps
        if name in self._values and isinstance(self._values[name][0], float) and self._values[name][1] > 0:
            self._values[name][0] += value
            self._values[name][1] += steps
        else:
            self._values[name] = [value, steps]

    def _metrics_text(self) -> str:
        text = ""
        for name in self._values_order:
            total, count = self._values[name]
            if isinstance(total, str):
                text += f" - {name}: {total}"
                continue
            average = _to_float(total) / max(1, count)
            text += f" - {name}: {average:.4f}" if abs(average) > 1e-3 else f" - {name}: {average:.4e}"
        return text

    def _render_bar(self, current, now, finalize) -> None:
        dynamic = self._dynamic_display
        time_per_unit = self._estimate_step_duration(current, now)
        if self.target:
            digits = int(math.log10(self.target)) + 1
            count = f"%{digits}d/%d" % (current, self.target)
            done = min(int(self.width * current / self.target), self.width)
            if dynamic:
                filled = f"\33[32m{'━' * done}\x1b[0m" if done > 0 else ""
                bar = f"\x1b[1m{count}\x1b[0m {filled}\33[37m{'━' * (self.width - done)}\x1b[0m"
            else:
                bar = f"{count} {'━' * self.width}"
            visible = len(count) + 1 + self.width
        else:
            bar = "%7d/Unknown" % current
            visible = len(bar)
        if self.target and not finalize:
            elapsed = _format_eta(time_per_unit * (self.target - current))
        else:
            elapsed = f"{now - self._start:.0f}s"
        per_step = _format_time(time_per_unit, self.unit_name)
        info = (f" \x1b[1m{elapsed}\x1b[0m" if dynamic else f" {elapsed}") + per_step
        metrics = self._metrics_text()
        total_width = visible + 1 + len(elapsed) + len(per_step) + len(metrics)
        if dynamic:
            message = "\b" * self._prev_total_width + "\r" + bar + info + metrics
            if self._prev_total_width > total_width:
                message += " " * (self._prev_total_width - total_width)
            if finalize:
                message += "\n"
        else:
            message = bar + info + metrics + "\n"
        self._prev_total_width = total_width
        write_message(message)

    def _render_line(self, current, now) -> None:
        digits = int(math.log10(self.target)) + 1
        count = f"%{digits}d/%d" % (current, self.target)
        time_per_unit = self._estimate_step_duration(current, now)
        line = f"{count} - {now - self._start:.0f}s -{_format_time(time_per_unit, self.unit_name)}"
        write_message(line + self._metrics_text() + "\n")

    def _estimate_step_duration(self, current, now) -> float:
        """Seconds per step, leaving out the (slow, compiling) first step once there are others."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit


def _to_float(value):
    """A float from a Python number, NumPy value or backend tensor (the only host sync)."""
    if isinstance(value, float):
        return value
    if isinstance(value, (int, np.number)):
        return float(value)
    array = backend.convert_to_numpy(value)
    return float(array) if np.ndim(array) == 0 else float(np.mean(array))


def _format_eta(seconds: float) -> str:
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def _format_time(time_per_unit: float, unit_name: str) -> str:
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1000.0:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1000000.0:.0f}us/{unit_name}"


def _interactive() -> bool:
    from brickwork import config  # imported here: config imports saving, which imports utils

    return config.is_interactive_logging_enabled()


def write_message(message: str) -> None:
    """To stdout, or, with ``keras.config.disable_interactive_logging()``, to the log at INFO level.

    The log is absl's where absl-py is installed (where Keras logs), else the ``brickwork`` logger. A console
    whose encoding lacks the bar's ``━`` gets ``=`` instead, and loses any other character it cannot show.
    """
    if not _interactive():
        log_message(message.rstrip("\n"))
        return
    try:
        sys.stdout.write(message)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(message.replace("━", "=").encode(encoding, errors="ignore").decode(encoding))
    sys.stdout.flush()


def log_message(message: str, level: str = "info") -> None:
    """Log ``message`` at ``level`` where Keras logs (absl's logger when installed, else ``brickwork``'s)."""
    try:
        from absl import logging as absl_logging
    except ImportError:  # absl-py is optional
        getattr(logging.getLogger("brickwork"), level)(message)
    else:
        getattr(absl_logging, level)(message)
