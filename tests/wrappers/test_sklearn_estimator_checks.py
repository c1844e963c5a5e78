"""scikit-learn's own estimator checks (``parametrize_with_checks``) on the three wrappers.

torch runs every check. jax runs the checks that exercise the engine (data conversion, fit, predict, pickling):
it compiles each fresh model's operations, seconds a model, and the sweep builds one per fit. numpy cannot train:
it runs the checks that stop before training (validation, parameters, tags) and skips the rest.
"""

import functools

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from brickwork import backend
from brickwork.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer
from tests.wrappers.sklearn_models import build_mlp

class _Builder:
    """``build_mlp`` under a repr without its memory address: test ids are built from the estimators' reprs, and
    pytest-xdist's workers must collect the same ids."""

    def __init__(self, build):
        functools.update_wrapper(self, build)  # the signature stays build_mlp's

    def __call__(self, *args, **kwargs):
        return self.__wrapped__(*args, **kwargs)

    def __repr__(self):
        return self.__wrapped__.__name__


build_mlp = _Builder(build_mlp)

# Seeded initial weights and no shuffling make fit reproducible, as several checks assume (fit twice, compare).
FIT = {"epochs": 2, "verbose": 0, "shuffle": False}
SMALL = {"hidden": 4, "jit_compile": False, "seed": 0}

# decision_function returns the model's outputs, one column per class, for two classes as well: Keras's API (its
# own test takes the argmax of a binary decision_function). scikit-learn expects one column for binary tasks.
_BINARY_DECISION = "decision_function has one column per class, also for binary targets (as Keras's)"
EXPECTED_FAILED_CHECKS = {
    "SKLearnClassifier": {"check_classifiers_train": _BINARY_DECISION, "check_classifiers_classes": _BINARY_DECISION},
    "SKLearnRegressor": {},
    "SKLearnTransformer": {},
}

ENGINE_CHECKS = {
    "check_estimators_dtypes", "check_estimators_pickle", "check_fit_idempotent", "check_supervised_y_2d",
    "check_transformer_general",
}


def _cannot_train(error: BaseException | None) -> bool:
    while error is not None:  # sklearn's checks sometimes re-raise the estimator's error as their own
        if "inference only" in str(error):
            return True
        error = error.__cause__ or error.__context__
    return False


@parametrize_with_checks(
    [
        SKLearnClassifier(build_mlp, model_kwargs=SMALL, fit_kwargs=FIT),
        SKLearnRegressor(build_mlp, model_kwargs={**SMALL, "loss": "mse", "activation": None}, fit_kwargs=FIT),
        SKLearnTransformer(build_mlp, model_kwargs={**SMALL, "loss": "mse", "activation": None}, fit_kwargs=FIT),
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS[type(estimator).__name__],
)
def test_sklearn_check(estimator, check):
    if backend.backend() in ("jax", "tensorflow") and check.func.__name__ not in ENGINE_CHECKS:
        # The rest test the wrapper's own logic; some train 2 epochs from seeded weights, which each engine draws
        # differently (as Keras's), so a check such as one_label_sample_weights hangs on the draw, not the wrapper.
        pytest.skip(f"{backend.backend()} runs the checks that exercise the engine; torch runs them all")
    try:
        check(estimator)
    except Exception as error:
        if not backend.SUPPORTS_TRAINING and _cannot_train(error):
            pytest.skip(f"the {backend.backend()} backend is for inference only")
        raise
