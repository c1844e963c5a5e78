"""``SKLearnTransformer``: a brickwork model as a scikit-learn transformer (a pipeline step)."""

from __future__ import annotations

import numpy as np

from brickwork.wrappers.sklearn_base import SKLBase

try:
    from sklearn.base import TransformerMixin
except ImportError:
    class TransformerMixin:  # type: ignore[no-redef]
        pass


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A compiled brickwork model as a scikit-learn transformer: ``fit(X, y)`` trains it, ``transform(X)`` returns
    its outputs (an embedding, say) for the next step of a ``Pipeline``.

    "Transformer" is scikit-learn's word for a step that maps features to features, not the attention model.
    Wrap an already trained model in ``sklearn.frozen.FrozenEstimator`` to use it without training it again.

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
        from sklearn.datasets import make_classification
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from brickwork.wrappers import SKLearnTransformer

        def build(X, y):
            model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(4, activation="tanh")])
            model.compile(loss="mse", optimizer="adam")
            return model

        X, y = make_classification(n_samples=200, n_features=8, random_state=0)
        pipe = make_pipeline(SKLearnTransformer(build, fit_kwargs={"epochs": 2, "verbose": 0}), LogisticRegression())
        pipe.fit(X, y).score(X, y)
    """

    def transform(self, X) -> np.ndarray:
        """The fitted model's outputs for ``X``, shape ``(n_samples, n_outputs)``."""
        return self._raw_predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []  # the output is the model's dtype, whatever X's was
        return tags

    def _more_tags(self) -> dict:
        return {**super()._more_tags(), "preserves_dtype": []}
