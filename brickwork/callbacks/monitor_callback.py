"""``MonitorCallback``: the shared logic of callbacks that watch one logged quantity
(``EarlyStopping``, ``ModelCheckpoint``): which direction is better, and what counts as an improvement.
"""

from __future__ import annotations

import warnings

import numpy as np

from brickwork import ops
from brickwork.backend.common.global_state import to_snake_case
from brickwork.callbacks.callback import Callback

# Metrics where higher is better, matched against the metric's class or function name (Keras marks
# each metric class with ``_direction``; a metric that sets ``_direction`` itself wins over this list).
_HIGHER_IS_BETTER = (
    "accuracy", "auc", "precision", "recall", "f1_score", "f_beta_score", "fbeta_score", "io_u", "iou",
    "r2_score", "cosine_similarity", "true_positives", "true_negatives", "sensitivity", "specificity",
)


def _metric_direction(metric) -> str | None:
    """``"up"``, ``"down"`` or None (unknown) for one metric object."""
    direction = getattr(metric, "_direction", None)
    if direction in ("up", "down"):
        return direction
    fn = getattr(metric, "fn", None) or getattr(metric, "_fn", None)
    name = getattr(fn, "__name__", None) if fn is not None else None
    name = to_snake_case(name or type(metric).__name__)
    if name in ("mean", "sum", "mean_metric_wrapper"):
        return None
    return "up" if any(part in name for part in _HIGHER_IS_BETTER) else "down"


def _model_metrics(model) -> list:
    """The model's metric objects, with containers (``CompileMetrics``) flattened."""
    found = []
    for metric in getattr(model, "metrics", None) or []:
        inner = getattr(metric, "metrics", None)
        found.extend(inner if isinstance(inner, list) else [metric])
    return found


class MonitorCallback(Callback):
    """Base class for callbacks that monitor a logged quantity.

    Args:
        monitor: the log entry to watch (``"val_loss"``, ``"accuracy"``...).
        mode: ``"min"``, ``"max"`` or ``"auto"`` (from the metric: losses go down, accuracy goes up).
        baseline: the initial best value; None starts from the first value seen.
        min_delta: a change smaller than this is no improvement.
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: float | None = None,
                 min_delta: float = 0.0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self) -> None:
        """Decide the direction once the model's metrics exist (after the first epoch's steps)."""
        if self.mode == "min":
            self.monitor_op = ops.less
        elif self.mode == "max":
            self.monitor_op = ops.greater
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = ops.less
            for metric in _model_metrics(self.model):
                if getattr(metric, "name", None) == name:
                    direction = _metric_direction(metric)
                    if direction is not None:
                        self.monitor_op = ops.greater if direction == "up" else ops.less
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but cannot tell whether "
                    "that metric should be maximized or minimized. Pass `mode='max'` to monitor the highest "
                    "value, or `mode='min'` to monitor the lowest."
                )
        if self.monitor_op is ops.less:
            self.min_delta = -abs(self.min_delta)
        if self.best is None:
            self.best = np.inf if self.monitor_op is ops.less else -np.inf

    def _is_improvement(self, monitor_value, reference_value) -> bool:
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
