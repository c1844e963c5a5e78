"""``brickwork.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict``."""

from brickwork.callbacks.backup_and_restore import BackupAndRestore  # noqa: F401
from brickwork.callbacks.callback import Callback  # noqa: F401
from brickwork.callbacks.callback_list import CallbackList  # noqa: F401
from brickwork.callbacks.history import History  # noqa: F401
from brickwork.callbacks.model_checkpoint import ModelCheckpoint  # noqa: F401
from brickwork.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
