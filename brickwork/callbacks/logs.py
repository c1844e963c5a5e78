"""Turning logs (which may hold backend scalar tensors) into Python floats, once, when needed."""

from __future__ import annotations

import numpy as np

from brickwork import backend


def to_python(value):
    """A Python float for a scalar (number, NumPy value or backend tensor); other values unchanged."""
    if isinstance(value, float):
        return value
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, np.number)):
        return float(value)
    try:
        array = backend.convert_to_numpy(value)
    except (TypeError, ValueError):
        return value
    return float(array) if np.ndim(array) == 0 and array.dtype.kind in "biuf" else array


def pythonify_logs(logs: dict | None) -> dict:
    """Logs with floats for scalars, nested dicts flattened into the top level, keys sorted (as Keras)."""
    result = {}
    for name, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
        else:
            result[name] = to_python(value)
    return result


def flatten_logs(logs: dict | None) -> dict:
    """Logs with nested dicts merged into the top level, values untouched (no device sync).

    A custom ``train_step`` returning ``{m.name: m.result() for m in self.metrics}`` gives the compiled
    metrics' result as a dict; Keras flattens it before any callback sees the logs.
    """
    if getattr(logs, "is_flat", False):  # the trainer's LazyLogs: flat by construction, left unresolved
        return logs
    if not logs:
        return {}
    if not any(isinstance(value, dict) for value in logs.values()):
        return logs
    result = {}
    for name, value in logs.items():
        if isinstance(value, dict):
            result.update(flatten_logs(value))
        else:
            result[name] = value
    return result
