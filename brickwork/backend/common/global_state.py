"""Per-thread state: unique names, the active stateless scope, the name scope stack, the device scope.

Each thread has its own (as in Keras): the threads that load a PyDataset's batches call layers and ops
without seeing the training loop's scopes. ``clear_session`` resets the calling thread's, so that
automatic names start again at ``dense``, ``dense_1``.
"""

from __future__ import annotations

import collections
import gc
import re
import threading


class _State(threading.local):
    callbacks_on_clear = []  # a class attribute: one list for every thread (what clear_session also resets)

    def __init__(self):  # runs once in each thread that touches STATE
        self.stateless_scope = None
        self.symbolic_scope = None  # the device of abstract evaluation, when inside it
        self.name_scope_stack = []
        self.training = None  # the training flag of the enclosing layer call
        self.call_context = {}  # other call-context arguments of enclosing calls (layers/call_context.py)
        self.call_depth = 0  # how many layer calls are on the stack
        self.top_call_layer = None  # the layer of the outermost call on the stack (whose losses a call adds to)
        self.autocast_dtype = None  # mixed precision: the dtype float variables are read in
        self.uids = collections.defaultdict(int)
        self.device_stack = []  # the backends' device scopes (backend/*/core.py); clear_session leaves it


STATE = _State()
_BASE_ATTRIBUTES = frozenset(vars(STATE))


def get_global_attribute(name: str, default=None, set_to_default: bool = False):
    """The calling thread's value ``name`` (``default`` when unset, then stored with ``set_to_default``)."""
    if not hasattr(STATE, name):
        if not set_to_default:
            return default
        setattr(STATE, name, default)
    return getattr(STATE, name)


def set_global_attribute(name: str, value) -> None:
    """Set the calling thread's value ``name``."""
    setattr(STATE, name, value)


def uniquify(prefix: str) -> str:
    """``dense``, then ``dense_1``, ``dense_2``, … for the same prefix."""
    count = STATE.uids[prefix]
    STATE.uids[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def get_uid(prefix: str = "") -> int:
    """The next integer of ``prefix``'s counter, the one that automatic names draw from (1, 2, ...).

    Args:
        prefix: the counter's name, usually a layer's default name such as ``"dense"``.

    Returns:
        An int: 1 on the first call for ``prefix`` in a session, one more on each call.

    Example:
        keras.backend.get_uid("dense")  # 1 in a fresh session, 2 on the next call
    """
    STATE.uids[prefix] += 1
    return STATE.uids[prefix]


def to_snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)  # Conv2D -> conv2d, as Keras names it
    return name.lower()


def clear_session(free_memory: bool = True) -> None:
    """Reset automatic names and global state; optionally collect garbage.

    Layer names start again from ``dense``, ``dense_1``, …; models built before stay usable.

    Args:
        free_memory: if ``True`` (default), run Python's garbage collector afterwards.

    Returns:
        ``None``.

    Example:
    >>> keras.utils.clear_session()
    >>> keras.layers.Dense(2).name   # 'dense'
    """
    STATE.uids.clear()
    STATE.name_scope_stack.clear()
    STATE.stateless_scope = None
    STATE.training = None
    STATE.call_context.clear()
    STATE.call_depth = 0
    STATE.top_call_layer = None
    STATE.autocast_dtype = None
    for name in set(vars(STATE)) - _BASE_ATTRIBUTES:  # set_global_attribute's own (remat scopes, …)
        delattr(STATE, name)
    for callback in STATE.callbacks_on_clear:
        callback()
    if free_memory:
        gc.collect()
