"""Engine ops not yet written for TensorFlow: each raises a clear ``NotImplementedError``.

A temporary list while the TensorFlow engine is being built (issue 22): every name here is an op the
other engines have; ``fill`` binds a function that names the op and the engine, so that everything
else imports and runs. Remove a name from its module's list when the op is written.
"""

from __future__ import annotations


def _pending(family: str, name: str):
    def op(*args, **kwargs):
        raise NotImplementedError(f"ops: `{name}` ({family}) is not yet available on the tensorflow backend; "
                                  "use BRICKWORK_BACKEND=torch or jax for it.")

    op.__name__ = op.__qualname__ = name
    return op


def fill(namespace: dict, names: str) -> None:
    """Bind a pending op for each of ``names`` (space-separated) that ``namespace`` does not define."""
    family = namespace["__name__"].rsplit(".", 1)[-1]
    for name in names.split():
        namespace.setdefault(name, _pending(family, name))
