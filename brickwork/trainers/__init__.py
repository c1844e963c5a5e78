"""The backend-agnostic training loop: compile, fit, evaluate, predict; and ``value_and_grad`` for a
custom ``train_step`` written once for torch and jax."""

from brickwork.trainers.gradients import value_and_grad  # noqa: F401
