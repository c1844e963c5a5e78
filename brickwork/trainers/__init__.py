"""The backend-agnostic training loop: compile, fit, evaluate, predict."""
