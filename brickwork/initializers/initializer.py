"""``Initializer``: the base class of everything that fills a new variable."""

from __future__ import annotations


class Initializer:
    """A callable ``(shape, dtype=None) -> tensor`` with a config.

    Subclasses implement ``__call__`` and, when they take arguments, ``get_config`` returning
    exactly those arguments, so that ``cls.from_config(obj.get_config())`` rebuilds ``obj``.

    Example:
    >>> class Halves(Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return ops.full(shape, 0.5, dtype=dtype)
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(shape, dtype=None).")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
