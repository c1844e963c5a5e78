"""Sparse gradients (a BCOO on jax, a ``tf.SparseTensor`` on tensorflow) through every optimizer, as Keras
3.15.1 takes them.

A sparse gradient must move the variables exactly as its dense equivalent does (the dense path is checked
against the textbook formulas in test_optimizers.py); plain SGD is also checked against ``w - lr * g`` by
hand. Where Keras's update of the variable stays sparse (SGD, Adagrad), the value handed to the optimizer's
``assign_sub`` is sparse too.
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, optimizers
from tests.conftest import BACKEND
from tests.sparse_helpers import is_sparse, requires_sparse, to_sparse

pytestmark = requires_sparse

ROWS = [0, 2, 4]


def sparse_gradient(step: int):
    """Rows 0, 2 and 4 of a (5, 3, 2) gradient hold ``10 - step``, the others nothing (on jax a BCOO storing
    whole rows, as an embedding's gradient; on tensorflow each value stored)."""
    if BACKEND == "jax":
        from jax.experimental import sparse

        values = np.full((3, 3, 2), 10.0 - step, dtype="float32")
        return sparse.BCOO((values, np.array(ROWS)[:, None]), shape=(5, 3, 2))
    dense = np.zeros((5, 3, 2), dtype="float32")
    dense[ROWS] = 10.0 - step
    return to_sparse(dense)


OPTIMIZERS = {
    "sgd": lambda: optimizers.SGD(learning_rate=0.1),
    "sgd_nesterov": lambda: optimizers.SGD(learning_rate=0.1, momentum=0.5, nesterov=True),
    "adam": lambda: optimizers.Adam(),
    "adam_amsgrad": lambda: optimizers.Adam(amsgrad=True),
    "adamw": lambda: optimizers.AdamW(),
    "adamax": lambda: optimizers.Adamax(),
    "adagrad": lambda: optimizers.Adagrad(),
    "adadelta": lambda: optimizers.Adadelta(),
    "adafactor": lambda: optimizers.Adafactor(clip_threshold=0.5),
    "ftrl": lambda: optimizers.Ftrl(),
    "lion": lambda: optimizers.Lion(),
    "nadam": lambda: optimizers.Nadam(),
    "rmsprop_centered": lambda: optimizers.RMSprop(momentum=0.05, centered=True),
    "loss_scale_sgd": lambda: optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.5)),
    "clipnorm": lambda: optimizers.SGD(learning_rate=0.1, clipnorm=1.0),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_sparse_gradient_moves_variables_as_its_dense_equivalent(name):
    variables = {kind: backend.Variable(initializer="ones", shape=(5, 3, 2)) for kind in ("sparse", "dense")}
    optimizer = {kind: OPTIMIZERS[name]() for kind in variables}
    for step in range(3):
        gradient = sparse_gradient(step)
        optimizer["sparse"].apply([gradient], [variables["sparse"]])
        optimizer["dense"].apply([backend.convert_to_tensor(gradient, sparse=False)], [variables["dense"]])
        np.testing.assert_allclose(variables["sparse"].numpy(), variables["dense"].numpy(), rtol=1e-6)
    assert np.abs(variables["sparse"].numpy() - 1.0).max() > 1e-6  # it did move


def test_sgd_by_hand():
    variable = backend.Variable(initializer="ones", shape=(5, 3, 2))
    optimizers.SGD(learning_rate=0.1).apply([sparse_gradient(0)], [variable])
    expected = np.ones((5, 3, 2))
    expected[[0, 2, 4]] -= 0.1 * 10.0
    np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("name", ["sgd", "adagrad"])
def test_update_handed_to_assign_sub_stays_sparse(name, monkeypatch):
    optimizer = {"sgd": optimizers.SGD, "adagrad": optimizers.Adagrad}[name]()
    variable = backend.Variable(initializer="ones", shape=(5, 3, 2))
    seen = []
    original = type(optimizer).assign_sub

    def spy(self, target, value):
        if target is variable:
            seen.append(is_sparse(value))
        original(self, target, value)

    monkeypatch.setattr(type(optimizer), "assign_sub", spy)
    optimizer.apply([sparse_gradient(0)], [variable])
    assert seen == [True]


def test_variable_densifies_a_sparse_value():
    variable = backend.Variable(initializer="ones", shape=(5, 3, 2))
    variable.assign_add(sparse_gradient(0))
    expected = np.ones((5, 3, 2))
    expected[[0, 2, 4]] += 10.0
    assert not is_sparse(variable.value)
    np.testing.assert_allclose(variable.numpy(), expected)
