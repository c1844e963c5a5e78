"""``SKLearnRegressor``: a brickwork model as a scikit-learn regressor."""

from __future__ import annotations

from brickwork.wrappers.sklearn_base import SKLBase

try:
    from sklearn.base import RegressorMixin
except ImportError:
    class RegressorMixin:  # type: ignore[no-redef]
        pass


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A compiled brickwork model as a scikit-learn regressor (``fit``, ``predict``, ``score`` as R²), usable in
    ``Pipeline``, ``GridSearchCV`` and ``cross_val_score``.

    The model trains on ``y`` as a column, ``(n_samples, 1)``, and ``predict`` returns ``(n_samples,)`` again.

    Args:
        model: a compiled ``Model``, or a callable ``model(X=X, y=y, **model_kwargs)`` returning one. A ``Model``
            is cloned (``clone_model``, compiled the same way) before each ``fit`` unless ``warm_start=True``.
        warm_start: keep training the same model across ``fit`` calls instead of starting afresh.
        model_kwargs: keyword arguments for ``model`` when it is a callable.
        fit_kwargs: keyword arguments for ``Model.fit``; those given to ``fit`` take precedence.

    Attributes (after ``fit``):
        model_: the fitted ``Model``. history_: the ``History`` of ``Model.fit``.
        n_features_in_: the number of features seen in ``fit``.

    Example:
        import brickwork as keras
        from sklearn.datasets import make_regression
        from brickwork.wrappers import SKLearnRegressor

        def build(X, y, learning_rate=0.01):
            model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1])])
            model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate))
            return model

        X, y = make_regression(n_samples=200, n_features=4, random_state=0)
        reg = SKLearnRegressor(build, fit_kwargs={"epochs": 20, "verbose": 0}).fit(X, y)
        reg.predict(X[:3]).shape            # (3,)
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True  # a few epochs on sklearn's check data need not reach its thresholds
        return tags

    def _more_tags(self) -> dict:
        return {**super()._more_tags(), "poor_score": True}
