"""``brickwork.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict``."""

from brickwork.callbacks.backup_and_restore import BackupAndRestore  # noqa: F401
from brickwork.callbacks.callback import Callback  # noqa: F401
from brickwork.callbacks.callback_list import CallbackList  # noqa: F401
from brickwork.callbacks.csv_logger import CSVLogger  # noqa: F401
from brickwork.callbacks.early_stopping import EarlyStopping  # noqa: F401
from brickwork.callbacks.history import History  # noqa: F401
from brickwork.callbacks.lambda_callback import LambdaCallback  # noqa: F401
from brickwork.callbacks.learning_rate_scheduler import LearningRateScheduler  # noqa: F401
from brickwork.callbacks.model_checkpoint import ModelCheckpoint  # noqa: F401
from brickwork.callbacks.monitor_callback import MonitorCallback  # noqa: F401
from brickwork.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
from brickwork.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau  # noqa: F401
from brickwork.callbacks.remote_monitor import RemoteMonitor  # noqa: F401
from brickwork.callbacks.swap_ema_weights import SwapEMAWeights  # noqa: F401
from brickwork.callbacks.tensorboard import TensorBoard  # noqa: F401
from brickwork.callbacks.terminate_on_nan import TerminateOnNaN  # noqa: F401
