"""``brickwork.wrappers``: brickwork models as scikit-learn estimators.

``SKLearnClassifier``, ``SKLearnRegressor`` and ``SKLearnTransformer`` are loaded on first use, so that
``import brickwork`` does not pay for importing scikit-learn.

Example:
    from brickwork.wrappers import SKLearnClassifier
"""

from __future__ import annotations

import importlib

_MODULES = {
    "SKLearnClassifier": "sklearn_classifier",
    "SKLearnRegressor": "sklearn_regressor",
    "SKLearnTransformer": "sklearn_transformer",
}

__all__ = list(_MODULES)


def __getattr__(name: str):
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
