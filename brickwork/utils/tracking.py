"""Containers that report what is put into them: Keras's ``Tracker`` and its tracked list, dict and set.

A ``Tracker`` is configured with named stores, each a predicate and a list: ``track(value)`` adds a value
to every store whose predicate accepts it, and wraps lists, dicts and sets in tracked twins that keep the
stores in step as items are added and removed. brickwork's layers find their variables and sublayers by
walking their attributes instead, so these are for code that builds its own tracking on Keras's.

Example:
    >>> from brickwork import backend
    >>> from brickwork.utils import tracking
    >>> variables = []
    >>> tracker = tracking.Tracker({"variables": (lambda x: isinstance(x, backend.Variable), variables)})
    >>> items = tracker.track([backend.Variable(1.0)])  # a TrackedList; `variables` now holds the variable
    >>> items.clear()  # and `variables` is empty again
"""

from __future__ import annotations

import collections

import optree


class Tracker:
    """Sorts values into named stores by predicate; see the module docstring.

    Args:
        config: ``{store_name: (predicate, store_list)}``.
        exclusions: ``{store_name: [other_store_names]}``: a value already in one of the other stores is
            not added to this one.
    """

    def __init__(self, config: dict, exclusions: dict | None = None):
        self.config = config
        self.stores = {name: store for name, (_, store) in config.items()}
        self.exclusions = exclusions or {}
        self.locked = False
        self._lock_message = ""

    def lock(self, msg: str = "") -> None:
        """Refuse further additions, with ``msg`` as the error."""
        self.locked, self._lock_message = True, msg

    def unlock(self) -> None:
        self.locked = False

    def track(self, value):
        """``value`` added to the stores that take it; lists, dicts and sets come back as tracked twins."""
        for name, (accepts, store) in self.config.items():
            if accepts(value):
                if not any(_contains(self.stores[other], value) for other in self.exclusions.get(name, ())):
                    self.add_to_store(name, value)
                return value
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*(self.track(item) for item in value))
        if isinstance(value, tuple):
            return tuple(self.track(item) for item in value)
        if isinstance(value, (list, dict, set)) and not isinstance(value, _TRACKED):
            kind = (TrackedOrderedDict if isinstance(value, collections.OrderedDict) else
                    TrackedDict if isinstance(value, dict) else TrackedSet if isinstance(value, set) else TrackedList)
            return kind(value, tracker=self)
        return value

    def untrack(self, value):
        """``value`` removed from every store that holds it."""
        for store in self.stores.values():
            for i, item in enumerate(store):
                if item is value:
                    del store[i]
                    break
        return value

    def add_to_store(self, store_name: str, value) -> None:
        if self.locked:
            raise ValueError(self._lock_message or "This tracker is locked: it takes no new values.")
        store = self.stores[store_name]
        if not _contains(store, value):
            store.append(value)


def _contains(store, value) -> bool:
    return any(item is value for item in store)


class TrackedList(list):
    """A list whose additions and removals go through its tracker."""

    def __init__(self, values=None, tracker: Tracker | None = None):
        self.tracker = tracker
        values = list(values or [])
        super().__init__(tracker.track(v) for v in values) if tracker else super().__init__(values)

    def _track(self, value):
        return self.tracker.track(value) if self.tracker else value

    def _untrack(self, value):
        if self.tracker:
            self.tracker.untrack(value)

    def append(self, value):
        super().append(self._track(value))

    def insert(self, index, value):
        super().insert(index, self._track(value))

    def extend(self, values):
        super().extend(self._track(v) for v in values)

    def remove(self, value):
        super().remove(value)
        self._untrack(value)

    def pop(self, index=-1):
        value = super().pop(index)
        self._untrack(value)
        return value

    def clear(self):
        for value in self:
            self._untrack(value)
        super().clear()

    def __setitem__(self, index, value):
        for old in (self[index] if isinstance(index, slice) else [self[index]]):
            self._untrack(old)
        super().__setitem__(index, [self._track(v) for v in value] if isinstance(index, slice) else self._track(value))

    def __delitem__(self, index):
        for old in (self[index] if isinstance(index, slice) else [self[index]]):
            self._untrack(old)
        super().__delitem__(index)


class TrackedDict(dict):
    """A dict whose values' additions and removals go through its tracker."""

    def __init__(self, values=None, tracker: Tracker | None = None):
        self.tracker = tracker
        super().__init__()
        for key, value in dict(values or {}).items():
            self[key] = value

    def __setitem__(self, key, value):
        if key in self and self.tracker:
            self.tracker.untrack(self[key])
        super().__setitem__(key, self.tracker.track(value) if self.tracker else value)

    def update(self, other=(), **kwargs):
        for key, value in dict(other, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key, *default):
        if key not in self:
            return super().pop(key, *default)
        value = super().pop(key)
        if self.tracker:
            self.tracker.untrack(value)
        return value

    def popitem(self):
        key, value = super().popitem()
        if self.tracker:
            self.tracker.untrack(value)
        return key, value

    def clear(self):
        for value in self.values():
            if self.tracker:
                self.tracker.untrack(value)
        super().clear()

    def __delitem__(self, key):
        self.pop(key)


class TrackedOrderedDict(TrackedDict, collections.OrderedDict):
    """A ``TrackedDict`` that is also an ``OrderedDict``."""


class TrackedSet(set):
    """A set whose additions and removals go through its tracker."""

    def __init__(self, values=None, tracker: Tracker | None = None):
        self.tracker = tracker
        super().__init__(tracker.track(v) for v in (values or ())) if tracker else super().__init__(values or ())

    def add(self, value):
        super().add(self.tracker.track(value) if self.tracker else value)

    def update(self, values):
        for value in values:
            self.add(value)

    def remove(self, value):
        super().remove(value)
        if self.tracker:
            self.tracker.untrack(value)

    def discard(self, value):
        if value in self:
            self.remove(value)

    def pop(self):
        value = super().pop()
        if self.tracker:
            self.tracker.untrack(value)
        return value

    def clear(self):
        for value in self:
            if self.tracker:
                self.tracker.untrack(value)
        super().clear()


_TRACKED = (TrackedList, TrackedDict, TrackedSet)


def _register_tree_nodes() -> None:
    """The tracked containers are nested structures for ``keras.tree``, like the containers they stand for."""
    from brickwork.tree.tree_api import _NAMESPACE as namespace

    optree.register_pytree_node(TrackedList, lambda x: (list(x), None, None),
                                lambda _, children: TrackedList(children), namespace=namespace)
    optree.register_pytree_node(TrackedSet, lambda x: (sorted(x, key=repr), None, None),
                                lambda _, children: TrackedSet(children), namespace=namespace)
    for kind in (TrackedDict, TrackedOrderedDict):
        optree.register_pytree_node(
            kind, lambda x: (_sorted_values(x), _sorted_keys(x), _sorted_keys(x)),
            lambda keys, children, kind=kind: kind(zip(keys, children)), namespace=namespace)


def _sorted_keys(mapping) -> list:
    keys = list(mapping)
    return keys if isinstance(mapping, collections.OrderedDict) else sorted(keys)


def _sorted_values(mapping) -> list:
    return [mapping[k] for k in _sorted_keys(mapping)]


_register_tree_nodes()
