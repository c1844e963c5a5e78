"""``find_learning_rate``: the learning-rate range test (Smith, 2017; as fastai's ``lr_find`` and
Lightning's ``lr_find``), with the model and its optimizer left exactly as they were.

The rate grows exponentially from ``min_lr`` to ``max_lr`` over ``steps`` training steps, one batch
each; the loss, smoothed by a bias-corrected exponential moving average, first falls, then
flattens, then blows up. The suggestion is a tenth of the rate at the lowest smoothed loss
(fastai's ``lr_min`` rule). The moving average lags the raw loss (by tens of steps at
``smoothing=0.98``), so its minimum sits past the raw loss's best rate, often where training already
diverges; the factor of ten brings the suggestion back into the range where the loss still falls.
Lightning's other rule, the steepest descent of the smoothed curve, is left out: on mini-batch losses
it is dominated by the noise of the first steps.
"""

from __future__ import annotations

import dataclasses
import math
import os
import random as python_random

import numpy as np

from brickwork import backend


@dataclasses.dataclass
class LearningRateFinderResult:
    """What ``find_learning_rate`` measured.

    Attributes:
        rates: the learning rate of each step taken (``np.geomspace(min_lr, max_lr, steps)``, cut short
            by an early stop).
        losses: the training loss of each step's batch.
        smoothed_losses: ``losses`` smoothed by the bias-corrected moving average.
        suggested_rate: ``min_loss_rate / 10`` (fastai's ``lr_min`` rule; ``None`` when no loss was finite).
        min_loss_rate: the rate at the lowest smoothed loss.
        stopped_early: whether the smoothed loss passed ``stop_factor`` times its best (or the loss
            stopped being finite) before the last step.
        figure: the matplotlib ``Figure`` when ``plot=True`` was asked for, else ``None``.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        result = find_learning_rate(model, np.random.rand(32, 4), np.random.rand(32, 1), steps=20)
        result.suggested_rate   # a float between the rates tried
    """

    rates: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    suggested_rate: float | None
    min_loss_rate: float | None
    stopped_early: bool
    figure: object = None

    def plot(self, to_file: str | os.PathLike | None = None, figsize=(6.0, 4.0), dpi: int = 100):
        """The smoothed loss against the learning rate (log scale), the suggestion marked.

        Needs matplotlib (``pip install matplotlib``).

        Args:
            to_file: save the picture there (``.png``, or any format matplotlib knows).
            figsize: the figure size in inches.
            dpi: the resolution of the saved picture.

        Returns:
            The matplotlib ``Figure``.

        Example:
            result = keras.utils.find_learning_rate(model, x, y)
            result.plot("lr_finder.png")
        """
        try:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
        except ImportError as error:
            raise ImportError("LearningRateFinderResult.plot needs matplotlib: `pip install matplotlib` "
                              "(or brickwork[plot]).") from error
        figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(figure)  # a canvas of its own: no pyplot, no display needed
        axes = figure.add_subplot(1, 1, 1)
        axes.plot(self.rates, self.smoothed_losses, label="smoothed loss")
        axes.plot(self.rates, self.losses, alpha=0.3, label="loss")
        if self.suggested_rate is not None:
            axes.axvline(self.suggested_rate, color="tab:red", linestyle="--",
                         label=f"suggested {self.suggested_rate:.2e}")
        axes.set_xscale("log")
        axes.set_xlabel("learning rate")
        axes.set_ylabel("loss")
        axes.legend()
        if to_file is not None:
            figure.savefig(os.fspath(to_file), dpi=dpi)
        self.figure = figure
        return figure


def find_learning_rate(model, x=None, y=None, min_lr: float = 1e-7, max_lr: float = 10.0, steps: int = 100,
                       batch_size: int | None = 32, smoothing: float = 0.98, stop_factor: float | None = 4.0,
                       plot: bool = False, sample_weight=None, shuffle: bool = True) -> LearningRateFinderResult:
    """Run a learning-rate range test on a compiled model and suggest a learning rate.

    Trains ``steps`` steps, one batch each, with the optimizer's learning rate set to
    ``np.geomspace(min_lr, max_lr, steps)[step]``, records each batch's loss and stops early once
    the smoothed loss passes ``stop_factor`` times its best (or the loss is not finite). Afterwards
    the model's variables (weights, seed states), the optimizer's variables (its learning rate,
    ``iterations`` and slots), the metrics' state and the global NumPy and Python random states are
    put back exactly as they were: the model is ready to ``fit`` as if nothing had run. The
    optimizer needs a float learning rate (not a schedule), as the test sets it.

    The suggestion is a tenth of the rate at the lowest smoothed loss (fastai's ``lr_min`` rule): a
    starting point to check, not a guarantee; look at the curve (``result.plot()``).

    Args:
        model: a compiled model (``model.compile(optimizer, loss)``).
        x, y, sample_weight: the training data, as ``fit`` takes it (arrays, or a dataset in ``x``);
            the data is cycled when it has fewer than ``steps`` batches.
        min_lr, max_lr: the first and last learning rate (``0 < min_lr < max_lr``).
        steps: the number of steps (at least 3).
        batch_size: the batch size for array data (ignored for a dataset).
        smoothing: the factor of the moving average of the loss, in ``[0, 1)`` (0: no smoothing).
        stop_factor: stop once the smoothed loss exceeds ``stop_factor`` times its best; ``None`` never stops.
        plot: also draw the curve (``result.figure``; needs matplotlib).
        shuffle: shuffle array data, as ``fit`` does.

    Returns:
        A ``LearningRateFinderResult`` (``rates``, ``losses``, ``smoothed_losses``, ``suggested_rate``,
            ``min_loss_rate``, ``stopped_early``, ``plot()``).

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
        result = keras.utils.find_learning_rate(model, x, y, steps=20)
        model.optimizer.learning_rate = result.suggested_rate
        model.fit(x, y, epochs=10)
    """
    from brickwork.trainers.epoch_iterator import EpochIterator

    _check_arguments(model, min_lr, max_lr, steps, smoothing, stop_factor)
    learning_rate = model.optimizer.learning_rate
    iterator = EpochIterator(x, y, sample_weight=sample_weight, batch_size=batch_size, shuffle=shuffle)
    model._symbolic_build(iterator)  # the weights and metrics exist before they are saved
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    saved = _save_state(model)
    try:
        losses = _range_test(model, iterator, learning_rate, np.geomspace(min_lr, max_lr, steps), smoothing,
                             stop_factor)
    finally:
        _restore_state(saved)
    result = _summarize(np.geomspace(min_lr, max_lr, steps), losses, smoothing, stop_factor, steps)
    if plot:
        result.plot()
    return result


def _check_arguments(model, min_lr, max_lr, steps, smoothing, stop_factor) -> None:
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise RuntimeError("find_learning_rate: the model must be compiled first, with an optimizer and a loss, "
                           "e.g. model.compile(optimizer='adam', loss='mse').")
    if not backend.SUPPORTS_TRAINING:
        raise NotImplementedError(f"find_learning_rate: the {backend.backend()} backend is for inference only.")
    if not backend.is_variable(model.optimizer.learning_rate):
        raise ValueError(
            f"find_learning_rate: the optimizer {type(model.optimizer).__name__} has a learning-rate schedule or "
            "callable; the range test sets the rate at each step, so compile with a float learning_rate for it.")
    if not (0 < min_lr < max_lr) or not math.isfinite(max_lr):
        raise ValueError(f"find_learning_rate: expected 0 < min_lr < max_lr; received min_lr={min_lr!r}, "
                         f"max_lr={max_lr!r}.")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 3:
        raise ValueError(f"find_learning_rate: `steps` must be an integer >= 3; received steps={steps!r}.")
    if not 0 <= smoothing < 1:
        raise ValueError(f"find_learning_rate: `smoothing` must be in [0, 1); received smoothing={smoothing!r}.")
    if stop_factor is not None and not stop_factor > 1:
        raise ValueError(f"find_learning_rate: `stop_factor` must be > 1 or None; received {stop_factor!r}.")


def _save_state(model) -> dict:
    variables, seen = [], set()
    for variable in [*model.variables, *model.optimizer.variables, *model.metrics_variables]:
        if id(variable) not in seen:
            seen.add(id(variable))
            variables.append(variable)
    return {
        "variables": [(variable, np.array(backend.convert_to_numpy(variable.value), copy=True))
                      for variable in variables],
        "numpy_random": np.random.get_state(),
        "python_random": python_random.getstate(),
    }


def _restore_state(saved: dict) -> None:
    for variable, value in saved["variables"]:
        variable.assign(value)
    np.random.set_state(saved["numpy_random"])
    python_random.setstate(saved["python_random"])


def _range_test(model, iterator, learning_rate, rates, smoothing, stop_factor) -> list:
    """Train one batch per rate; the losses, until the smoothed loss passes ``stop_factor`` x its best."""
    losses, average, best = [], 0.0, math.inf
    while len(losses) < len(rates):
        taken = len(losses)
        iterator.reset()
        for _, (x, y, sample_weight) in iterator.enumerate_epoch():
            learning_rate.assign(rates[len(losses)])
            logs = model.train_on_batch(x, y, sample_weight=sample_weight, return_dict=True)
            loss = float(logs["loss"])
            losses.append(loss)
            average = smoothing * average + (1 - smoothing) * loss
            smoothed = average / (1 - smoothing ** len(losses))
            if not math.isfinite(loss) or (stop_factor is not None and smoothed > stop_factor * best):
                return losses
            best = min(best, smoothed)
            if len(losses) == len(rates):
                return losses
        if len(losses) == taken:  # the data gave no batch (a generator used up)
            return losses
    return losses


def _smooth(losses, smoothing) -> np.ndarray:
    smoothed, average = [], 0.0
    for step, loss in enumerate(losses, start=1):
        average = smoothing * average + (1 - smoothing) * loss
        smoothed.append(average / (1 - smoothing ** step))
    return np.asarray(smoothed, dtype="float64")


def _summarize(all_rates, losses, smoothing, stop_factor, steps) -> LearningRateFinderResult:
    losses = np.asarray(losses, dtype="float64")
    rates = all_rates[:len(losses)]
    smoothed = _smooth(losses, smoothing)
    finite = np.isfinite(smoothed)
    min_loss_rate = float(rates[finite][np.argmin(smoothed[finite])]) if finite.any() else None
    return LearningRateFinderResult(rates=rates, losses=losses, smoothed_losses=smoothed,
                                    suggested_rate=None if min_loss_rate is None else min_loss_rate / 10,
                                    min_loss_rate=min_loss_rate, stopped_early=len(losses) < steps)
