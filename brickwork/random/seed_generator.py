"""``SeedGenerator``: the state behind seeded random ops, and ``draw_seed``.

Random ops are stateless: a seed tensor ``[seed, counter]`` fully decides their output.
A ``SeedGenerator`` holds that pair in a non-trainable ``Variable`` and advances the
counter with ``state.assign`` on every draw, so inside a ``StatelessScope`` (the JAX
trainer's jitted step) the new state is recorded and returned functionally.
"""

from __future__ import annotations

import random as python_random

from brickwork import backend
from brickwork.backend.common import global_state


def _initial_state(seed: int):
    """The initializer of a generator's state: ``[seed, 0]``."""
    def initializer(shape, dtype=None):
        return backend.convert_to_tensor([seed, 0], dtype=dtype)

    return initializer


class SeedGenerator:
    """Generates a new seed on each call to a random op that receives it.

    Args:
        seed: an int for a repeatable sequence; ``None`` picks a random starting seed.
        name: the generator's name (its state variable is ``<name>/seed_generator_state``).

    Example:
    >>> seed_generator = SeedGenerator(seed=42)
    >>> a = brickwork.random.normal((2, 3), seed=seed_generator)
    >>> b = brickwork.random.normal((2, 3), seed=seed_generator)  # differs from a
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs):
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs} (SeedGenerator takes `seed` and `name`).")
        self.name = name or global_state.uniquify("seed_generator")
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed!r} (SeedGenerator).")
        dtype = backend.active.random.random_seed_dtype()
        with backend.name_scope(self.name, caller=self):
            # A callable, as Keras's: a generator created inside a stateless scope gets its state when it exits.
            self.state = backend.Variable(_initial_state(seed), shape=(2,), dtype=dtype, trainable=False,
                                          name="seed_generator_state")
        self._increment = backend.convert_to_tensor([0, 1], dtype=dtype)

    def next(self, ordered: bool = True):
        """Return the current seed tensor and advance the state.

        ``ordered=False`` scrambles the state instead of counting, for the global generator.
        """
        current = self.state.value * 1  # a copy: torch assigns in place
        if global_state.STATE.symbolic_scope is not None:
            return current  # abstract evaluation (shape inference) must not advance the real state
        if ordered:
            self.state.assign(current + self._increment)
        else:
            self.state.assign((current + 1) * 5387 % 933199)
        return current

    def get_config(self) -> dict:
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, seed={self._initial_seed}>"


_GLOBAL = {"generator": None}


def _reset_global() -> None:
    _GLOBAL["generator"] = None


global_state.STATE.callbacks_on_clear.append(_reset_global)


def global_seed_generator() -> SeedGenerator:
    """The generator behind ``seed=None``; an error while a jitted function is traced."""
    if backend.active.random.is_tracing():
        engine = "a JAX function" if backend.backend() == "jax" else "a compiled function"
        raise ValueError(
            f"When tracing {engine}, you should only use seeded random ops: with seed=None the numbers "
            "would be frozen into the trace. Create a SeedGenerator, keep it on your layer "
            "(self.seed_generator = keras.random.SeedGenerator(1337)) and pass it as `seed=`."
        )
    if _GLOBAL["generator"] is None:
        _GLOBAL["generator"] = SeedGenerator(name="global_seed_generator")
    return _GLOBAL["generator"]


def set_global_seed_generator(seed: int | None) -> None:
    """Restart the global generator from ``seed`` (used by ``utils.set_random_seed``)."""
    _GLOBAL["generator"] = SeedGenerator(seed, name="global_seed_generator")


def make_default_seed() -> int:
    return python_random.randint(1, int(1e9))


def draw_seed(seed):
    """The seed tensor for one random op.

    Args:
        seed: an int (always the same tensor), a ``SeedGenerator`` (its next seed), a seed tensor of
            two integers (``jax.random.PRNGKey(0)``, used as it is), or ``None`` (the global generator's
            next seed).

    Returns:
        A seed tensor of two integers, in the form the engine's random functions take.

    Example:
    >>> keras.random.draw_seed(42)   # [42, 0]
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, int) and not isinstance(seed, bool):
        return backend.convert_to_tensor([seed, 0], dtype=backend.active.random.random_seed_dtype())
    if seed is None:
        return global_seed_generator().next(ordered=False)
    if backend.is_tensor(seed) and tuple(seed.shape) == (2,):  # a seed tensor itself, e.g. jax.random.PRNGKey(0)
        return backend.convert_to_tensor(seed, dtype=backend.active.random.random_seed_dtype())
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
        f"Received: seed={seed!r} (of type {type(seed)})"
    )
