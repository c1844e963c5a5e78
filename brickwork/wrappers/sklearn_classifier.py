"""``SKLearnClassifier``: a brickwork model as a scikit-learn classifier."""

from __future__ import annotations

import numpy as np

from brickwork.wrappers.sklearn_base import SKLBase

try:
    from sklearn.base import ClassifierMixin
    from sklearn.utils.multiclass import check_classification_targets, type_of_target
except ImportError:
    class ClassifierMixin:  # type: ignore[no-redef]
        pass


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A compiled brickwork model as a scikit-learn classifier (``fit``, ``predict``, ``score``,
    ``decision_function``), usable in ``Pipeline``, ``GridSearchCV`` and ``cross_val_score``.

    Labels may be any values (strings, integers …): ``fit`` stores the sorted distinct labels in ``classes_`` and
    trains the model on their one-hot encoding, so the model needs one output per class (softmax and
    ``categorical_crossentropy`` are the usual choice, binary tasks included). ``predict`` returns the class
    whose output is largest; ``decision_function`` returns the model's raw outputs, one column per class.

    Args:
        model: a compiled ``Model``, or a callable ``model(X=X, y=y, **model_kwargs)`` returning one (``y`` is
            the one-hot targets, so ``y.shape[1]`` is the number of classes). A ``Model`` is cloned
            (``clone_model``, compiled the same way) before each ``fit`` unless ``warm_start=True``.
        warm_start: keep training the same model across ``fit`` calls instead of starting afresh.
        model_kwargs: keyword arguments for ``model`` when it is a callable.
        fit_kwargs: keyword arguments for ``Model.fit``; those given to ``fit`` take precedence.

    Attributes (after ``fit``):
        model_: the fitted ``Model``. history_: the ``History`` of ``Model.fit``.
        classes_: the class labels, sorted. n_features_in_: the number of features seen in ``fit``.

    Example:
        import brickwork as keras
        from sklearn.datasets import make_classification
        from brickwork.wrappers import SKLearnClassifier

        def build(X, y, hidden=16):
            model = keras.Sequential([
                keras.Input((X.shape[1],)),
                keras.layers.Dense(hidden, activation="relu"),
                keras.layers.Dense(y.shape[1], activation="softmax"),
            ])
            model.compile(loss="categorical_crossentropy", optimizer="adam")
            return model

        X, y = make_classification(n_samples=200, n_features=8, random_state=0)
        clf = SKLearnClassifier(build, model_kwargs={"hidden": 32}, fit_kwargs={"epochs": 5, "verbose": 0})
        clf.fit(X, y).predict(X[:3])        # labels, e.g. array([0, 1, 1])
    """

    def decision_function(self, X) -> np.ndarray:
        """The model's raw outputs for ``X``: shape ``(n_samples, n_classes)``, one column per ``classes_``."""
        return self._raw_predict(X)

    def _fit_target(self, y: np.ndarray) -> np.ndarray:
        """``classes_`` from ``y``, and ``y`` one-hot over them: the model's training targets."""
        check_classification_targets(y)  # sklearn's own error for continuous targets ("Unknown label type")
        target_type = type_of_target(y)
        if target_type not in ("binary", "multiclass"):
            raise ValueError(
                f"{type(self).__name__} takes binary or multiclass targets (one label per sample); "
                f"received a {target_type!r} target."
            )
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes to train; y holds only one class: "
                f"{self.classes_[0]!r}."
            )
        return (np.asarray(y).reshape(-1, 1) == self.classes_).astype("float32")

    def _decode_output(self, output: np.ndarray) -> np.ndarray:
        if output.ndim != 2 or output.shape[1] != len(self.classes_):
            raise ValueError(
                f"{type(self).__name__}: the model must output one column per class, shape (n_samples, "
                f"{len(self.classes_)}) for classes {self.classes_.tolist()}; it returned shape {output.shape}."
            )
        return self.classes_[np.argmax(output, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True  # a few epochs on sklearn's check data need not reach its thresholds
        return tags

    def _more_tags(self) -> dict:
        return {**super()._more_tags(), "poor_score": True}
