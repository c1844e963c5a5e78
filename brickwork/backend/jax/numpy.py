"""jax backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with ``xp = jax.numpy``
(see ``common/binding.py``); what follows the include is what jax does differently. Each function
returns a ``jax.Array`` of Keras's dtype; 64-bit mode is on, so the shared code spells out every
dtype JAX would widen.
"""

from __future__ import annotations

import jax.numpy as jnp

from brickwork.backend.common.binding import include
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/numpy_ops.py runs on
include("numpy_ops", globals())


def _bincount(x, weights, length):
    return jnp.bincount(x, weights=weights, length=length)
