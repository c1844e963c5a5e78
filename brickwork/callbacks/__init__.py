"""``brickwork.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict``."""

from brickwork.callbacks.callback import Callback  # noqa: F401
from brickwork.callbacks.callback_list import CallbackList  # noqa: F401
from brickwork.callbacks.history import History  # noqa: F401
from brickwork.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
