"""``plot_history``: one picture of a training run — each metric per epoch, training and validation."""

from __future__ import annotations

import os


def _matplotlib():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as error:
        raise ImportError("plot_history needs matplotlib: `pip install matplotlib`.") from error
    return Figure, FigureCanvasAgg, MaxNLocator


def _metric_names(history: dict, metrics) -> list:
    if metrics is not None:
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        missing = [name for name in names if name not in history]
        if missing:
            raise ValueError(f"plot_history: no metric {missing} in the history; it has {sorted(history)}.")
        return names
    # Training metrics, loss first; each validation curve joins its training metric's panel.
    names = [name for name in history if not name.startswith("val_") and name != "learning_rate"]
    names.sort(key=lambda name: name != "loss")
    names += [name[4:] for name in history if name.startswith("val_") and name[4:] not in history]
    return names


def plot_history(history, to_file: str | os.PathLike | None = None, metrics=None, figsize=None, dpi: int = 100):
    """Plot a ``History`` (or its ``history`` dict): one panel per metric, side by side, with the
    training curve and, when there is one, the validation curve against the epoch.

    Args:
        history: the ``History`` returned by ``fit``, or a dict ``{metric: [value per epoch]}``.
        to_file: save the picture there (a ``.png`` file, or any format matplotlib knows).
        metrics: the metric names to plot (default: every metric, loss first).
        figsize: the figure size in inches (default: 4.5 wide per panel, 3.5 high).
        dpi: the resolution of the saved picture.

    Returns:
        The matplotlib ``Figure``.

    Example:
        history = model.fit(x, y, epochs=10, validation_split=0.2)
        history.plot("training.png")
    """
    Figure, FigureCanvasAgg, MaxNLocator = _matplotlib()
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(f"plot_history: expected a History or a non-empty dict of per-epoch values; "
                         f"received {type(history).__name__} {logs!r}.")
    names = _metric_names(logs, metrics)
    epochs_seen = getattr(history, "epoch", None)
    figure = Figure(figsize=figsize or (4.5 * len(names), 3.5), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)  # a canvas of its own: no pyplot, no global state, no display needed
    for index, name in enumerate(names):
        axes = figure.add_subplot(1, len(names), index + 1)
        for key, label, style in ((name, "training", "-o"), (f"val_{name}", "validation", "--s")):
            values = logs.get(key)
            if not values:
                continue
            epochs = [e + 1 for e in epochs_seen] if epochs_seen and len(epochs_seen) == len(values) else (
                list(range(1, len(values) + 1)))
            axes.plot(epochs, [float(v) for v in values], style, label=label, markersize=3)
        axes.set_title(name)
        axes.set_xlabel("epoch")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(alpha=0.3)
        axes.legend()
    if to_file is not None:
        figure.savefig(os.fspath(to_file), dpi=dpi)
    return figure
