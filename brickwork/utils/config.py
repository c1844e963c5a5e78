"""``Config``: a dict whose keys are also attributes, which can be frozen (``keras.utils.Config``)."""

from __future__ import annotations

import copy
import difflib
import json

_OWN_ATTRIBUTES = frozenset({"_config", "_frozen"})


class Config:
    """A configuration: keyword values read and written as attributes or items.

    ``freeze()`` makes it read-only (a ``ValueError`` on any change) until ``unfreeze()``.

    Args:
        **kwargs: the initial entries, each readable as ``config.name`` or ``config["name"]``.

    Example:
        >>> config = keras.utils.Config(learning_rate=0.1, momentum=0.9)
        >>> config.learning_rate
        0.1
        >>> config.epochs = 10
        >>> config.freeze()
        >>> config["epochs"] = 20
        Traceback (most recent call last):
        ...
        ValueError: Cannot change a frozen Config (call `unfreeze()` first).
    """

    def __init__(self, **kwargs):
        object.__setattr__(self, "_config", dict(kwargs))
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self) -> bool:
        """Whether the config is read-only."""
        return self._frozen

    def freeze(self) -> None:
        """Make the config read-only."""
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self) -> None:
        """Make the config writable again."""
        object.__setattr__(self, "_frozen", False)

    def _check_writable(self) -> None:
        if self._frozen:
            raise ValueError("Cannot change a frozen Config (call `unfreeze()` first).")

    def as_dict(self) -> dict:
        """A shallow copy of the values, as a dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def get(self, key, default=None):
        return self._config.get(key, default)

    def pop(self, *args):
        self._check_writable()
        return self._config.pop(*args)

    def update(self, *args, **kwargs) -> None:
        self._check_writable()
        self._config.update(*args, **kwargs)

    def __getattr__(self, name: str):
        # Only called when normal lookup fails: the name is a config key (or a typo).
        if name in _OWN_ATTRIBUTES:
            raise AttributeError(name)
        config = self._config
        if name in config:
            return config[name]
        close = difflib.get_close_matches(name, [str(key) for key in config], n=1, cutoff=0.7)
        raise AttributeError(f"Unknown attribute: {name!r}." + (f" Did you mean {close[0]!r}?" if close else ""))

    def __setattr__(self, name: str, value) -> None:
        if hasattr(type(self), name):
            raise AttributeError(f"{name!r} is a method of Config and cannot be set.")
        self._check_writable()
        self._config[name] = value

    def __getitem__(self, key):
        return self._config[key]

    def __setitem__(self, key, value) -> None:
        self._check_writable()
        self._config[key] = value

    def __delitem__(self, key) -> None:
        self._check_writable()
        del self._config[key]

    def __contains__(self, key) -> bool:
        return key in self._config

    def __iter__(self):
        return iter(sorted(self._config))

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
