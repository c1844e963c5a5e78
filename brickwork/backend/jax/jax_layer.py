"""What ``JaxLayer`` and ``FlaxLayer`` (``layers/native/``) need from jax: its pytrees, keys, and Flax's apply.

The layers hold the wrapped function's parameters as Variables arranged in the function's own pytree
(lists, dicts, registered node classes); jax's ``tree_util`` is what walks such trees, ``None`` being an
empty subtree as jax has it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np


def tree_map(fn, tree, *rest):
    """``fn`` over the leaves of ``tree`` (and the matching leaves of ``rest``), as jax walks pytrees."""
    return jax.tree_util.tree_map(fn, tree, *rest)


def tree_leaves(tree) -> list:
    return jax.tree_util.tree_leaves(tree)


def is_array(value) -> bool:
    """Whether ``value`` is an array (jax or NumPy) that becomes a variable; other leaves stay as they are."""
    return isinstance(value, (jax.Array, np.ndarray, np.generic))


def initialize(init):
    """``init()`` (drawing the key and calling ``init_fn``) computed eagerly, even when the layer is first built
    inside ``jax.jit``: initial values depend on shapes only, as any layer's weights do."""
    with jax.ensure_compile_time_eval():
        result = init()
    if any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree_util.tree_leaves(result)):
        raise ValueError(
            "JaxLayer: `init_fn` returned traced values (it depends on traced inputs). Build the layer outside "
            "the trace: call it once on example data first."
        )
    return result


def as_key(seed):
    """A brickwork seed (uint32 ``[seed, counter]``) as the raw ``jax.random`` key it already is."""
    return None if seed is None else jnp.asarray(seed, dtype=jnp.uint32)


_NOT_TAKEN = object()  # the method has no `training` argument


def flax_apply(module, variables: dict, rng, inputs, method, training=_NOT_TAKEN):
    """``module.apply``: every collection but ``params`` (``batch_stats``, …) may be updated and is returned.

    Returns:
        ``(outputs, updated_collections)``. ``training`` is passed on when given (the method takes it).
    """
    from flax.linen import DenyList

    kwargs = {} if training is _NOT_TAKEN else {"training": training}
    return module.apply(variables, inputs, rngs=rng, method=method, mutable=DenyList(["params"]), **kwargs)


def flax_init(module, rng, inputs, method, training=_NOT_TAKEN) -> dict:
    """``module.init``: Flax's variables dict (``{"params": …, "batch_stats": …}``)."""
    kwargs = {} if training is _NOT_TAKEN else {"training": training}
    return module.init(rng, inputs, method=method, **kwargs)


def check_flax_module(module) -> None:
    """A TypeError unless ``module`` is a ``flax.linen.Module``; an ImportError naming the package without Flax."""
    try:
        from flax import linen
    except ImportError:
        raise ImportError("FlaxLayer needs the `flax` package (`pip install flax`).") from None
    if not isinstance(module, linen.Module):
        raise TypeError(f"FlaxLayer: `module` must be a flax.linen.Module, received {type(module).__name__}.")
