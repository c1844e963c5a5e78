"""``Trainer``: compile, fit, evaluate and predict — the loop, written once for every backend.

Per batch the loop does only this: take the next batch from the ``EpochIterator`` (already
backend tensors), call the backend's step function (``make_train_function`` in
``backend/<name>/trainer.py``), and hand the logs to the callbacks. Everything else
(resolving losses and metrics, building, wrapping data) happens once.
"""

from __future__ import annotations

import collections.abc
import contextlib
import warnings

import numpy as np
import optree

from brickwork import backend
from brickwork import callbacks as callbacks_module
from brickwork import config
from brickwork import metrics as metrics_module
from brickwork import optimizers
from brickwork.distribution import distribution_lib
from brickwork.layers import layer as layer_module
from brickwork.trainers import input_checks
from brickwork.trainers.compile_utils import CompileLoss, CompileMetrics
from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.epoch_iterator import EpochIterator


class Trainer:
    """The training API shared by every model (mixed into ``Model``)."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self.stop_training = False
        self.stop_evaluating = False
        self.stop_predicting = False
        self.history = None
        self.steps_per_execution = 1
        self.jit_compile = False
        self.run_eagerly = False
        self._reset_step_functions()

    def _reset_step_functions(self) -> None:
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self._metrics_cache = None
        self._regularized_cache = None

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True):
        """Configure the model for training.

        Args:
            optimizer: an optimizer or its name (``"adam"``).
            loss: a loss, its name, or a list/dict of them for several outputs.
            loss_weights: scalars weighting each output's loss.
            metrics: metrics (or names, ``"accuracy"`` resolved from the loss) per output.
            weighted_metrics: metrics that take ``sample_weight``/``class_weight`` into account.
            run_eagerly: run the step without compilation (jax: no ``jax.jit``).
            steps_per_execution: batches run between two callback calls (``fit``, ``evaluate`` and
                ``predict`` call ``on_*_batch_begin``/``end`` once per group of this many batches).
            jit_compile: ``"auto"`` (jax: jit; torch: eager; tensorflow: XLA where a GPU is visible), ``True``
                (torch: ``torch.compile``; tensorflow: XLA) or ``False``.
        """
        if isinstance(steps_per_execution, bool) or not isinstance(steps_per_execution, (int, np.integer)) \
                or steps_per_execution < 1:
            raise ValueError(f"compile: `steps_per_execution` must be a positive integer. "
                             f"Received: steps_per_execution={steps_per_execution!r}")
        self.optimizer = optimizer = optimizers.get(optimizer)  # the config keeps this object, as Keras does
        if auto_scale_loss and self.dtype_policy.compute_dtype == "float16":
            from brickwork.optimizers.loss_scale_optimizer import LossScaleOptimizer

            if not isinstance(self.optimizer, LossScaleOptimizer):
                self.optimizer = LossScaleOptimizer(self.optimizer)
        output_names = self._output_names()
        self.loss = loss  # as given, as Keras keeps it (read by get_compile_config overrides)
        self._compile_loss = None if loss is None else CompileLoss(loss, loss_weights, output_names=output_names)
        self._compile_metrics = None
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = CompileMetrics(metrics, weighted_metrics, output_names=output_names)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = bool(run_eagerly)
        self.jit_compile = self._resolve_jit_compile(jit_compile)
        self.steps_per_execution = int(steps_per_execution)
        self.compiled = True
        self._compile_config = {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights, "metrics": metrics,
            "weighted_metrics": weighted_metrics, "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution, "jit_compile": jit_compile,
        }
        self._reset_step_functions()

    def _resolve_jit_compile(self, jit_compile) -> bool:
        if self.run_eagerly:
            return False
        if jit_compile == "auto":
            return self._auto_jit_compile()
        return bool(jit_compile)

    @staticmethod
    def _auto_jit_compile() -> bool:
        """What ``jit_compile="auto"`` means on this engine (its trainer says; eager by default)."""
        return False

    def _output_names(self):
        names = getattr(self, "output_names", None)
        return list(names) if names else None

    def _assert_compiled(self, method: str) -> None:
        if not self.compiled:
            raise ValueError(
                f"You must call `compile()` before `{method}()`: the model needs a loss and an optimizer, "
                "e.g. model.compile(optimizer='adam', loss='mse')."
            )

    # ------------------------------------------------------------------ losses and metrics
    @property
    def metrics(self) -> list:
        """Keras's order: the loss tracker, the compiled metrics (one ``CompileMetrics``), the per-output
        loss trackers, then metrics held in the model's attributes and in its layers' (not in nested models')."""
        if self._metrics_cache is not None:
            return self._metrics_cache
        result = []
        if self.compiled:
            if self._loss_tracker is not None:
                result.append(self._loss_tracker)
            if self._compile_metrics is not None:
                result.append(self._compile_metrics)
            if self._compile_loss is not None:
                result.extend(self._compile_loss.metrics)
        seen = {id(m) for m in result}
        config = getattr(self, "_compile_config", None) or {}
        # The metrics given to compile() are templates (the compiled ones are in CompileMetrics): not the model's own.
        seen.update(id(m) for m in optree.tree_leaves([config.get("metrics"), config.get("weighted_metrics")]))
        owners = [self] + [layer for layer in self._flatten_layers(include_self=False)
                           if not isinstance(layer, Trainer)]
        for owner in owners:
            for metric in owner._attribute_objects(metrics_module.Metric):
                if id(metric) not in seen:
                    seen.add(id(metric))
                    result.append(metric)
        if self._compile_built():
            self._metrics_cache = result  # complete now: reuse it every step
        return result

    def _compile_built(self) -> bool:
        return ((self._compile_loss is None or self._compile_loss.built)
                and (self._compile_metrics is None or self._compile_metrics.built))

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self) -> list:
        return [v for m in self.metrics for v in m.variables]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """``compute_loss``, leaving out ``training`` for an override written without it (older Keras)."""
        if _takes_training(type(self).compute_loss):
            return self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training)
        return self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The scalar loss: compiled losses plus ``self.losses`` (regularization, ``add_loss``)."""
        terms = []
        if self._compile_loss is not None:
            value = self._compile_loss(y, y_pred, sample_weight)
            if value is not None:
                terms.append(value)
        terms.extend(self._step_losses())
        if not terms:
            if self._compile_loss is None:
                raise ValueError(
                    "No loss to compute: pass `loss=` to compile(), or add losses with `add_loss()`."
                )
            return backend.convert_to_tensor(0.0)
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total

    def _step_losses(self) -> list:
        """``self.losses``, skipping the walk over every layer when nothing can contribute."""
        override = getattr(self, "_losses_override", None)
        if override is not None:
            return override
        if self._regularized_cache is None:
            self._regularized_cache = [v for v in self.trainable_weights if getattr(v, "regularizer", None)]
        if not self._regularized_cache and not layer_module.layers_with_losses():
            return []
        return self.losses

    def _build_compiled_metrics(self, y, y_pred) -> None:
        if self._compile_metrics is not None and not self._compile_metrics.built:
            self._compile_metrics.build(y, y_pred)
            self._metrics_cache = None

    def compute_metrics(self, x, y, y_pred, sample_weight=None) -> dict:
        """Update the compiled metrics with a batch and return every metric's current result."""
        if self._compile_metrics is not None and y is not None:
            if not self._compile_metrics.built:
                self._build_compiled_metrics(y, y_pred)
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _update_metrics_lazily(self, x, y, y_pred, sample_weight):
        """``compute_metrics`` with the results left for when someone reads them."""
        if type(self).compute_metrics is not Trainer.compute_metrics:
            return self.compute_metrics(x, y, y_pred, sample_weight)  # a user's override decides
        if self._compile_metrics is not None and y is not None:
            if not self._compile_metrics.built:
                self._build_compiled_metrics(y, y_pred)
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return LazyLogs(self.get_metrics_result)

    def get_metrics_result(self) -> dict:
        """``{name: result}`` for every metric; dict-valued results are flattened into the logs."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update((name, _tensor_of(value)) for name, value in result.items())
            else:
                logs[metric.name] = _tensor_of(result)
        return logs

    # ------------------------------------------------------------------ fit
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train the model for ``epochs`` passes over the data; returns a ``History``.

        Example:
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x_train, y_train, batch_size=128, epochs=5, validation_split=0.1)
            history.history["val_accuracy"]
        """
        self._assert_compiled("fit")
        _check_backend_trains()
        input_checks.check_loop_arguments("fit", batch_size=batch_size, epochs=epochs, initial_epoch=initial_epoch,
                                          steps_per_epoch=steps_per_epoch, validation_split=validation_split,
                                          validation_freq=validation_freq)
        input_checks.check_data(self, "fit", x, y, sample_weight)
        input_checks.check_sparse_labels(self, "fit", y)
        epochs = config.capped_epochs(epochs)  # keras.config.max_epochs
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapter_utils.train_validation_split(
                (x, y, sample_weight), validation_split=validation_split)
        if validation_data is not None:
            val_x, val_y, val_sample_weight = data_adapter_utils.unpack_x_y_sample_weight(validation_data)
        iterator = EpochIterator(x=x, y=y, sample_weight=sample_weight, batch_size=batch_size,
                                 steps_per_epoch=steps_per_epoch, shuffle=shuffle, class_weight=class_weight)
        self._symbolic_build(iterator)
        self.make_train_function()
        self.stop_training = False
        callback_list = _callback_list(callbacks, self, verbose, epochs, iterator.num_batches)
        callback_list.on_train_begin()
        initial_epoch, skip_steps = self._resume_point(initial_epoch)  # set by BackupAndRestore
        val_iterator = None
        epoch_logs = {}
        training_logs = None
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            logs = {}
            for begin, end, batches in iterator.enumerate_executions(self.steps_per_execution):
                if end < skip_steps:
                    continue  # trained before the interruption
                callback_list.on_train_batch_begin(begin)
                logs = _run_group(self.train_function, batches[max(0, skip_steps - begin):], logs)
                callback_list.on_train_batch_end(end, logs)
                if self.stop_training:
                    break
            skip_steps = 0
            epoch_logs = dict(self._finalize_logs(self._metrics_or_logs(logs)))
            if validation_data is not None and _should_validate(epoch, validation_freq):
                if val_iterator is None:
                    val_iterator = EpochIterator(x=val_x, y=val_y, sample_weight=val_sample_weight,
                                                 batch_size=validation_batch_size or batch_size,
                                                 steps_per_epoch=validation_steps, shuffle=False)
                val_logs = self._evaluate_iterator(val_iterator, callback_list, verbose=0)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training or iterator.exhausted:
                break
        if isinstance(self.optimizer, optimizers.Optimizer):  # EMA weights into the model (a wrapper asks inside)
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callback_list.on_train_end(logs=training_logs)
        self.history = _find_history(callback_list)
        return self.history

    # ------------------------------------------------------------------ evaluate
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """The loss and metrics on the data: a list (loss first) or, with ``return_dict``, a dict."""
        self._assert_compiled("evaluate")
        input_checks.check_loop_arguments("evaluate", batch_size=batch_size, steps=steps)
        input_checks.check_data(self, "evaluate", x, y, sample_weight)
        input_checks.check_sparse_labels(self, "evaluate", y)
        iterator = EpochIterator(x=x, y=y, sample_weight=sample_weight, batch_size=batch_size,
                                 steps_per_epoch=steps, shuffle=False)
        self._symbolic_build(iterator)
        callback_list = _callback_list(callbacks, self, verbose, 1, iterator.num_batches, add_history=False)
        logs = self._evaluate_iterator(iterator, callback_list, verbose)
        if return_dict:
            return logs
        return _logs_to_list(logs, self.metrics)

    def _evaluate_iterator(self, iterator, callback_list, verbose) -> dict:
        self.make_test_function()
        for metric in self.metrics:
            metric.reset_state()
        callback_list.on_test_begin()
        logs = {}
        self.stop_evaluating = False  # a callback may set it to end evaluation early, as in Keras
        with self._inference_loop(callback_list, "test_step"):
            for begin, end, batches in iterator.enumerate_executions(self.steps_per_execution):
                callback_list.on_test_batch_begin(begin)
                logs = _run_group(self.test_function, batches, logs)
                callback_list.on_test_batch_end(end, logs)
                if self.stop_evaluating:
                    break
            logs = self._finalize_logs(self._metrics_or_logs(logs))
        callback_list.on_test_end(logs)
        return logs

    # ------------------------------------------------------------------ predict
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on ``x`` as NumPy arrays (batched, concatenated)."""
        input_checks.check_loop_arguments("predict", batch_size=batch_size, steps=steps)
        input_checks.check_data(self, "predict", x)
        iterator = EpochIterator(x=x, batch_size=batch_size, steps_per_epoch=steps, shuffle=False, distribute=False)
        self._symbolic_build(iterator)
        self.make_predict_function()
        callback_list = _callback_list(callbacks, self, verbose, 1, iterator.num_batches, add_history=False)
        callback_list.on_predict_begin()
        outputs = []
        self.stop_predicting = False  # a callback may set it to end prediction early, as in Keras
        # The outputs stay backend tensors until the end, as in Keras: no host sync per batch (on jax the next
        # batch is dispatched while this one computes).
        with self._inference_loop(callback_list, "predict_step"):
            for begin, end, batches in iterator.enumerate_executions(self.steps_per_execution):
                callback_list.on_predict_batch_begin(begin)
                for batch in batches:
                    batch_outputs = self.predict_function(_pack(batch))
                    outputs.append(batch_outputs)
                if callback_list.callbacks:
                    if len(batches) > 1:  # the callback sees the group's outputs, as in Keras
                        batch_outputs = _concatenate(outputs[-len(batches):])
                    callback_list.on_predict_batch_end(end, {"outputs": batch_outputs})
                if self.stop_predicting:
                    break
            callback_list.on_predict_end()
            if not outputs:
                raise ValueError("predict: the data yielded no batch.")
            return self._join_batch_outputs(outputs)

    def _inference_loop(self, callback_list, step: str):
        """A context for the whole of an ``evaluate`` (``step="test_step"``) or ``predict`` loop, where a backend
        can switch off what inference does not need once instead of per batch."""
        return contextlib.nullcontext()

    @staticmethod
    def _join_batch_outputs(outputs):
        """``predict``'s per-batch outputs joined along the batch axis, as NumPy (a backend may join on the
        engine first, then convert once)."""
        return _concatenate(outputs)

    # ------------------------------------------------------------------ single batches
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One training step on one batch; returns the loss and metrics."""
        self._assert_compiled("train_on_batch")
        _check_backend_trains()
        iterator = EpochIterator(x=x, y=y, sample_weight=sample_weight, class_weight=class_weight,
                                 batch_size=_whole_batch(x), shuffle=False)
        self._symbolic_build(iterator)
        self.make_train_function()
        self.reset_metrics()  # the logs are this batch's, as Keras's
        logs = {}
        for _, batch in iterator.enumerate_epoch():
            logs = self.train_function(_pack(batch))
        logs = self._finalize_logs(logs)
        return logs if return_dict else _logs_to_list(logs, self.metrics)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on one batch (metrics are reset first)."""
        self._assert_compiled("test_on_batch")
        iterator = EpochIterator(x=x, y=y, sample_weight=sample_weight, batch_size=_whole_batch(x), shuffle=False)
        self._symbolic_build(iterator)
        self.make_test_function()
        self.reset_metrics()
        logs = {}
        for _, batch in iterator.enumerate_epoch():
            logs = self.test_function(_pack(batch))
        logs = self._finalize_logs(logs)
        return logs if return_dict else _logs_to_list(logs, self.metrics)

    def predict_on_batch(self, x):
        """The model's outputs on one batch, as NumPy arrays."""
        iterator = EpochIterator(x=x, batch_size=_whole_batch(x), shuffle=False)
        self._symbolic_build(iterator)
        self.make_predict_function()
        for _, batch in iterator.enumerate_epoch():
            return optree.tree_map(backend.convert_to_numpy, self.predict_function(_pack(batch)))

    # ------------------------------------------------------------------ helpers
    def _resume_point(self, initial_epoch: int) -> tuple:
        """``(epoch, steps to skip)`` to start from: where a restored backup stopped, else ``initial_epoch``."""
        epoch, step = getattr(self, "_initial_epoch", None), getattr(self, "_initial_step", None)
        self._initial_epoch = self._initial_step = None
        if epoch is None:
            return initial_epoch, 0
        return max(int(epoch), initial_epoch), int(step or 0)

    def _symbolic_build(self, iterator=None, data_batch=None) -> None:
        """Build the model, the compiled losses and metrics from the first batch, before making a step: the
        jax step needs every metric variable (the per-output loss trackers too) before it is compiled."""
        if self.built and (not self.compiled or self._compile_built()):
            return
        if data_batch is not None:
            batch = data_adapter_utils.unpack_x_y_sample_weight(data_batch)
        else:
            batch = iterator.peek_batch() if hasattr(iterator, "peek_batch") else None
        if batch is None:
            return
        x, y, sample_weight = batch
        if not self.built:
            self._build_from_data(x)
        if not self.compiled or y is None or self._compile_built():
            return
        y_pred = self._output_spec_for(x)
        self._build_compiled_metrics(y, y_pred)
        if self._compile_loss is not None and not self._compile_loss.built:
            self._build_compiled_loss(x, y, y_pred, sample_weight)
        self._metrics_cache = None

    def _build_compiled_loss(self, x, y, y_pred, sample_weight) -> None:
        if type(self).compute_loss is Trainer.compute_loss:
            self._compile_loss.prepare(y, y_pred, sample_weight)
            return
        # An override may rearrange y / y_pred before the compiled loss sees them: run it abstractly, as Keras
        # does, so the loss is built with what the step will pass. If it cannot run on placeholders, the loss
        # is built at the first step instead.
        def spec(tensor):
            if tensor is None or isinstance(tensor, backend.KerasTensor):
                return tensor
            return data_adapter_utils.tensor_spec(tensor, tuple(tensor.shape))

        x, y, sample_weight = optree.tree_map(spec, (x, y, sample_weight), none_is_leaf=True)
        try:
            with backend.StatelessScope():
                backend.compute_output_spec(
                    lambda x, y, y_pred, sample_weight: self._compute_loss(
                        x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False),
                    x, y, y_pred, sample_weight)
        except Exception:  # noqa: BLE001 (the real first step reports any genuine error)
            pass

    def _build_from_data(self, x) -> None:
        self(optree.tree_map(data_adapter_utils.batch_spec, x))

    def _output_spec_for(self, x):
        return self.compute_output_spec(optree.tree_map(data_adapter_utils.batch_spec, x))

    def _metrics_or_logs(self, logs) -> dict:
        """The metrics' results, unless a custom step returned logs with other names (Keras's rule)."""
        distribution_lib.reduce_metrics(self.metrics)  # several processes: combine their metric states
        results = self.get_metrics_result()
        if isinstance(logs, collections.abc.Mapping) and logs and set(logs) != set(results):
            return logs
        return results

    @staticmethod
    def _finalize_logs(logs) -> dict:
        """Logs as Python floats (one host sync, at the end of an epoch or evaluation).

        A value that is itself a dict (a custom ``train_step`` returning ``{m.name: m.result() for m in
        self.metrics}``, where the compiled metrics' result is a dict) is merged in, as Keras flattens it.
        """
        flat = {}
        for name, value in logs.items():
            if isinstance(value, collections.abc.Mapping):
                flat.update(Trainer._finalize_logs(value))
            else:
                flat[name] = _to_float(value)
        return flat

    def get_compile_config(self) -> dict | None:
        if not self.compiled:
            return None
        return getattr(self, "_compile_config", None)

    def compile_from_config(self, config: dict) -> None:
        """Compile as saved. A model whose class overrides ``compile()`` is left uncompiled, with a warning:
        its ``compile`` may take other arguments, so only its own ``compile_from_config`` knows how to call it."""
        if type(self).compile is not Trainer.compile:
            warnings.warn(
                "`compile()` was not called as part of model loading because the model's `compile()` method is "
                f"custom. {type(self).__name__} overrides `compile()`, so it should also override "
                "`get_compile_config()` and `compile_from_config(config)`; or call `compile()` yourself after "
                "loading.", stacklevel=2)
            return
        self.compile(**config)


class LazyLogs(collections.abc.MutableMapping):
    """Step logs computed on first access: a step that nobody reads costs no metric results.

    The torch step returns these; the progress bar reads them a few times a second, not every step.
    """

    is_flat = True  # get_metrics_result flattens dict-valued results: callbacks need not look inside

    def __init__(self, compute):
        self._compute = compute
        self._logs = None

    def _resolved(self) -> dict:
        if self._logs is None:
            self._logs = self._compute()
        return self._logs

    def __getitem__(self, key):
        return self._resolved()[key]

    def __setitem__(self, key, value) -> None:
        self._resolved()[key] = value  # a custom train_step adding its own entries

    def __delitem__(self, key) -> None:
        del self._resolved()[key]

    def __iter__(self):
        return iter(self._resolved())

    def __len__(self):
        return len(self._resolved())

    def __bool__(self) -> bool:
        return True  # a step always logs its loss; answering this must not compute the results


def batch_size_of(x) -> int:
    """The number of samples in a batch of inputs (a tensor, or a list/tuple/dict of them; ``None`` entries,
    optional inputs left out, are passed over)."""
    if hasattr(x, "shape"):
        return x.shape[0]
    for leaf in optree.tree_leaves(x):
        if hasattr(leaf, "shape"):
            return leaf.shape[0]
    raise ValueError(f"Cannot tell the batch size of inputs that hold no tensor: {x!r:.200}")


def _run_group(function, batches, logs):
    """Run a step ``function`` on each batch of a group (``steps_per_execution``); the last step's logs.

    An engine may run a whole group in one call: its step function then has ``run_group`` (the tensorflow
    engine's runs the group in one ``tf.function``, as Keras does), which returns ``None`` for a group it does
    not take (batches of unequal shapes, strings).
    """
    if len(batches) > 1 and hasattr(function, "run_group"):
        group_logs = function.run_group([_pack(batch) for batch in batches])
        if group_logs is not None:
            return group_logs
    for batch in batches:
        logs = function(_pack(batch))
    return logs


def _pack(batch):
    """A batch as Keras hands it to ``train_step``: ``(x, y)``, ``(x, y, sample_weight)`` or ``x``."""
    return data_adapter_utils.pack_x_y_sample_weight(*batch)


def _whole_batch(x) -> int | None:
    """The batch size that makes ``x`` a single batch (``*_on_batch``)."""
    return data_adapter_utils.num_samples(x)


def _concatenate(outputs):
    """Per-batch outputs (structures of backend tensors or NumPy arrays) joined along the batch axis, as NumPy."""
    return optree.tree_map(lambda *parts: np.concatenate([backend.convert_to_numpy(p) for p in parts], axis=0),
                           *outputs)


def _tensor_of(result):
    """A metric result as a tensor: a variable returned by ``result()`` is read (inside a jitted step, the
    scope's current value)."""
    return result.value if backend.is_variable(result) else result


def _to_float(value):
    array = backend.convert_to_numpy(value)
    return float(array) if np.ndim(array) == 0 else array


def _logs_to_list(logs, metrics):
    """The logs as a list, in Keras's order: by ``metrics`` (the compiled ones by their own names), then
    the remaining keys sorted; a single value alone."""
    names = []
    for metric in metrics:
        if isinstance(metric, CompileMetrics):
            names.extend(sub.name for sub in metric.metrics)
        else:
            names.append(metric.name)
    values = [logs[name] for name in names if name in logs]
    values += [logs[key] for key in sorted(logs) if key not in names]
    return values[0] if len(values) == 1 else values


def _takes_training(compute_loss) -> bool:
    """Whether a ``compute_loss`` accepts ``training`` (checked once per function)."""
    answer = _TAKES_TRAINING.get(compute_loss)
    if answer is None:
        import inspect

        parameters = inspect.signature(compute_loss).parameters
        answer = "training" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        _TAKES_TRAINING[compute_loss] = answer
    return answer


_TAKES_TRAINING: dict = {}


def _find_history(callback_list):
    for callback in callback_list.callbacks:
        if isinstance(callback, callbacks_module.History):
            return callback
    return None


def _should_validate(epoch, validation_freq) -> bool:
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return (epoch + 1) in validation_freq


def _callback_list(callbacks, model, verbose, epochs, steps, add_history=True):
    if verbose == "auto":
        verbose = 1
    if not distribution_lib.is_chief():
        verbose = 0  # only process 0 prints
    if isinstance(callbacks, callbacks_module.CallbackList):
        return callbacks
    return callbacks_module.CallbackList(callbacks, add_history=add_history, add_progbar=verbose != 0,
                                         model=model, verbose=verbose, epochs=epochs, steps=steps)


def _check_backend_trains() -> None:
    if not backend.SUPPORTS_TRAINING:
        raise NotImplementedError(  # Keras's class; also a RuntimeError
            f"The {backend.backend()} backend is for inference only: it cannot train. "
            "Use BRICKWORK_BACKEND=torch or jax to train, then load the model here for inference."
        )

