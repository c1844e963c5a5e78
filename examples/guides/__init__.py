"""Short programs, one per Keras guide, each exercising what the guide teaches; run with ``brickwork run``."""

import pathlib

GUIDES_DIR = pathlib.Path(__file__).parent

# Programs written for one engine's API; the rest run on every training backend.
ENGINE_SPECIFIC = {
    "custom_train_step_in_torch": "torch",
    "writing_a_custom_training_loop_in_torch": "torch",
    "custom_train_step_in_jax": "jax",
    "writing_a_custom_training_loop_in_jax": "jax",
}


def programs() -> list[str]:
    """The names of the guide programs, sorted."""
    return sorted(p.stem for p in GUIDES_DIR.glob("*.py") if not p.stem.startswith("_"))
