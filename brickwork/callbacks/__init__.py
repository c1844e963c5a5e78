"""``brickwork.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict``.

``Callback`` and what every ``fit`` makes (``CallbackList``, ``History``, ``ProgbarLogger``) load at once;
the other callbacks on first use (``brickwork.callbacks.EarlyStopping``, ``dir()``, ``from ... import``).
"""

from brickwork.callbacks.callback import Callback  # noqa: F401
from brickwork.callbacks.callback_list import CallbackList  # noqa: F401
from brickwork.callbacks.history import History  # noqa: F401
from brickwork.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
from brickwork.utils.module_utils import lazy_namespace as _lazy_namespace

_C = "brickwork.callbacks."
_NAMES = {
    "BackupAndRestore": _C + "backup_and_restore",
    "CSVLogger": _C + "csv_logger",
    "EarlyStopping": _C + "early_stopping",
    "LambdaCallback": _C + "lambda_callback",
    "LearningRateScheduler": _C + "learning_rate_scheduler",
    "ModelCheckpoint": _C + "model_checkpoint",
    "MonitorCallback": _C + "monitor_callback",
    "OrbaxCheckpoint": _C + "orbax_checkpoint",
    "ReduceLROnPlateau": _C + "reduce_lr_on_plateau",
    "RemoteMonitor": _C + "remote_monitor",
    "SwapEMAWeights": _C + "swap_ema_weights",
    "TensorBoard": _C + "tensorboard",
    "TerminateOnNaN": _C + "terminate_on_nan",
}
__getattr__, __dir__ = _lazy_namespace(globals(), _NAMES)
__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", *_NAMES]  # what a star import loads
