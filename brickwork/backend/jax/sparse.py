"""JAX's sparse tensors: ``jax.experimental.sparse.BCOO``, as Keras's jax backend takes them.

A BCOO holds ``data`` (the stored values) and ``indices`` (one row of coordinates per value) beside
its dense ``shape``. brickwork's jax backend accepts one wherever Keras's does: ``convert_to_tensor``
keeps it sparse unless asked for ``sparse=False``, ``is_tensor`` counts it, ``convert_to_numpy``
returns its dense values.

Example:
    from jax.experimental import sparse
    x = sparse.BCOO.fromdense(jnp.array([[0.0, 2.0], [3.0, 0.0]]))
    is_sparse(x)          # True
    to_dense(x).tolist()  # [[0.0, 2.0], [3.0, 0.0]]
"""

from __future__ import annotations

from jax.experimental import sparse as jax_sparse

JAXSparse = jax_sparse.JAXSparse
BCOO = jax_sparse.BCOO


def is_sparse(x) -> bool:
    """Whether ``x`` is one of JAX's sparse arrays (BCOO, BCSR)."""
    return isinstance(x, JAXSparse)


def to_dense(x):
    """``x`` as a dense ``jax.Array`` when it is sparse; anything else unchanged."""
    return x.todense() if isinstance(x, JAXSparse) else x
