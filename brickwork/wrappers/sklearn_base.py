"""``SKLBase``: what the three scikit-learn wrappers share — parameters, building the model, ``fit``,
``predict``, input validation, tags and pickling.

scikit-learn is optional: without it the wrapper classes still import, and constructing one raises an
``ImportError`` that says how to install it.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Callable
from typing import Any

import numpy as np

from brickwork.models.model import Model

try:
    import sklearn
    from sklearn.base import BaseEstimator
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import check_is_fitted
except ImportError:  # the classes stay importable; __init__ names the missing package
    sklearn = None

    class BaseEstimator:  # type: ignore[no-redef]
        pass

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _sklearn_validate_data
except ImportError:
    def _sklearn_validate_data(estimator, *args, **kwargs):
        return estimator._validate_data(*args, **kwargs)


ModelOrBuilder = Model | Callable[..., Model]


def _require_sklearn(class_name: str) -> None:
    if sklearn is None:
        raise ImportError(
            f"{class_name} requires scikit-learn, which is not installed. Install it with `pip install scikit-learn`."
        )


class _ArchivedModel:
    """A model stored as the bytes of a ``.keras`` archive, so that a fitted wrapper pickles."""

    def __init__(self, model: Model):
        from brickwork.saving import saving_api

        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.keras")
            saving_api.save_model(model, path)
            with open(path, "rb") as file:
                self.archive = file.read()

    def restore(self) -> Model:
        from brickwork.saving import saving_api

        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.keras")
            with open(path, "wb") as file:
                file.write(self.archive)
            return saving_api.load_model(path)


class SKLBase(BaseEstimator):
    """Base of the scikit-learn wrappers: a compiled brickwork model behind scikit-learn's estimator API.

    Args:
        model: a compiled ``Model``, or a callable ``model(X=X, y=y, **model_kwargs)`` that returns one. A
            ``Model`` is cloned (``clone_model``, compiled the same way) before each ``fit`` unless
            ``warm_start=True``.
        warm_start: keep training the same model across ``fit`` calls instead of starting afresh.
        model_kwargs: keyword arguments for ``model`` when it is a callable.
        fit_kwargs: keyword arguments for ``Model.fit`` (``epochs``, ``batch_size``, ``verbose`` …); those
            given to the wrapper's ``fit`` take precedence.

    Attributes (after ``fit``):
        model_: the fitted ``Model``.
        history_: the ``History`` returned by ``Model.fit``.
        n_features_in_: the number of features seen in ``fit``.
    """

    def __init__(
        self,
        model: ModelOrBuilder,
        warm_start: bool = False,
        model_kwargs: dict[str, Any] | None = None,
        fit_kwargs: dict[str, Any] | None = None,
    ):
        _require_sklearn(type(self).__name__)
        # scikit-learn's convention: __init__ stores the parameters as given; fit validates them.
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    # ------------------------------------------------------------------ scikit-learn protocol
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Weights start random and training is stochastic: sklearn skips its checks that refit and compare.
        tags.non_deterministic = True
        return tags

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6 reads tags from here
        return {"non_deterministic": True}

    @property
    def epoch_(self) -> int:
        """How many epochs the last ``fit`` ran (0 before fitting); ``history_.epoch`` lists them."""
        history = getattr(self, "history_", None)
        return len(history.epoch) if history is not None else 0

    def set_fit_request(self, **requests: bool | str | None) -> SKLBase:
        """Ask scikit-learn's metadata routing to pass the named arguments to ``fit`` (and so to ``Model.fit``).

        Only available with ``sklearn.set_config(enable_metadata_routing=True)``.

        Args:
            **requests: ``name=True`` (route ``name``), ``False`` (do not), ``None`` (error if given) or a
                string alias.

        Returns:
            The wrapper itself.

        Example:
            import numpy as np, sklearn, brickwork as keras
            from sklearn.model_selection import cross_validate
            from brickwork.wrappers import SKLearnRegressor

            def build(X, y):
                model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(1)])
                model.compile(loss="mse", optimizer="adam")
                return model

            X, y, w = np.random.rand(40, 3), np.random.rand(40), np.ones(40)
            with sklearn.config_context(enable_metadata_routing=True):
                est = SKLearnRegressor(build, fit_kwargs={"verbose": 0}).set_fit_request(sample_weight=True)
                cross_validate(est, X, y, params={"sample_weight": w})
        """
        if not sklearn.get_config().get("enable_metadata_routing", False):
            raise RuntimeError(
                f"{type(self).__name__}.set_fit_request needs scikit-learn's metadata routing: call "
                "sklearn.set_config(enable_metadata_routing=True) first."
            )
        from sklearn.utils.metadata_routing import MetadataRequest

        request = getattr(self, "_metadata_request", None)
        if not isinstance(request, MetadataRequest):
            request = MetadataRequest(owner=type(self).__name__)
        for name, alias in requests.items():
            request.fit.add_request(param=name, alias=alias)
        self._metadata_request = request
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        for name in ("model", "model_"):
            if isinstance(state.get(name), Model):
                state[name] = _ArchivedModel(state[name])
        history = state.get("history_")
        if history is not None and getattr(history, "model", None) is not None:
            history = copy.copy(history)
            history.model = None  # the model travels once, as model_
            state["history_"] = history
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        for name in ("model", "model_"):
            if isinstance(state.get(name), _ArchivedModel):
                state[name] = state[name].restore()
        if state.get("history_") is not None and "model_" in state:
            state["history_"].model = state["model_"]
        super().__setstate__(state)

    # ------------------------------------------------------------------ fitting and predicting
    def fit(self, X, y, **kwargs) -> SKLBase:
        """Build (or clone) the model and train it on ``X``, ``y``.

        Args:
            X: array-like of shape ``(n_samples, n_features)``.
            y: array-like of shape ``(n_samples,)``.
            **kwargs: passed to ``Model.fit`` over ``fit_kwargs``.

        Returns:
            The wrapper itself, fitted.
        """
        X, y = _sklearn_validate_data(self, X, y)
        target = self._fit_target(y)
        model = self._model_for_fit(X, target)
        self.history_ = model.fit(X, target, **{**(self.fit_kwargs or {}), **kwargs})
        self.model_ = model
        return self

    def predict(self, X) -> np.ndarray:
        """The fitted model's predictions for ``X``, in the form of the targets given to ``fit``."""
        return self._decode_output(self._raw_predict(X))

    def _raw_predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = _sklearn_validate_data(self, X, reset=False)
        return np.asarray(self.model_.predict(X, verbose=0))

    def _model_for_fit(self, X: np.ndarray, y: np.ndarray) -> Model:
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            model = self.model if self.warm_start else _clone_compiled(self.model)
        elif callable(self.model):
            model = self.model(X=X, y=y, **(self.model_kwargs or {}))
            if not isinstance(model, Model):
                raise TypeError(
                    f"{type(self).__name__}: the callable given as `model` must return a compiled Model; "
                    f"it returned {type(model).__name__}: {model!r}."
                )
        else:
            raise TypeError(
                f"{type(self).__name__}: `model` must be a compiled Model or a callable returning one; "
                f"received {type(self.model).__name__}: {self.model!r}."
            )
        loss, optimizer = getattr(model, "loss", None), getattr(model, "optimizer", None)
        if not model.compiled or not loss or optimizer is None:
            raise RuntimeError(
                f"{type(self).__name__}: the model must be compiled with a loss and an optimizer before fitting "
                f"(call model.compile(loss=..., optimizer=...)); received compiled={model.compiled}, "
                f"loss={loss!r}, optimizer={optimizer!r}."
            )
        return model

    # ------------------------------------------------------------------ targets: regressors and transformers
    def _fit_target(self, y: np.ndarray) -> np.ndarray:
        """The targets as the model trains on them: a column per output (``(n,)`` becomes ``(n, 1)``)."""
        if type_of_target(y) == "unknown":
            raise ValueError(f"Unknown label type for y: {y!r}")
        self._target_ndim = y.ndim
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def _decode_output(self, output: np.ndarray) -> np.ndarray:
        if self._target_ndim == 1 and output.ndim == 2 and output.shape[1] == 1:
            return output[:, 0]
        return output


def _clone_compiled(model: Model) -> Model:
    """A fresh copy of ``model`` (new weights), compiled as ``model`` is."""
    from brickwork.models.cloning import clone_model

    clone = clone_model(model)
    if model.compiled and not clone.compiled:
        clone.compile_from_config(model.get_compile_config())
    return clone
