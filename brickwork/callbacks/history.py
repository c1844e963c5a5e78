"""``History``: records every epoch's logs; ``fit`` returns it."""

from __future__ import annotations

from brickwork.callbacks.callback import Callback
from brickwork.callbacks.logs import to_python


class History(Callback):
    """``history.history`` maps each metric to its per-epoch values (Python floats);
    ``history.epoch`` lists the epoch indices seen.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        history = model.fit(x, y, epochs=3, validation_split=0.2)
        history.history["val_loss"]  # three floats
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None) -> None:
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(to_python(value))
        if self.model is not None:
            self.model.history = self

    def plot(self, to_file=None, metrics=None, figsize=None, dpi: int = 100):
        """Plot each metric per epoch, training and validation side by side (matplotlib); see
        ``brickwork.utils.history_plot.plot_history``.

        Example:
            model.fit(x, y, epochs=10, validation_split=0.2).plot("training.png")
        """
        from brickwork.utils.history_plot import plot_history

        return plot_history(self, to_file=to_file, metrics=metrics, figsize=figsize, dpi=dpi)
