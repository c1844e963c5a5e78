"""The torch training step: eager autograd (``torch.compile`` with ``jit_compile=True``).

Per batch: forward, loss, ``torch.autograd.grad`` over the trainable parameters (listed once
per ``fit``), one optimizer call that updates every variable through ``_foreach`` kernels, and
the metric updates. No conversion of weights, no host sync.
"""

from __future__ import annotations

import torch

from brickwork.backend.torch import distribution_lib as torch_distribution_lib
from brickwork.distribution import distribution_lib
from brickwork.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from brickwork.trainers.trainer import LazyLogs, Trainer, batch_size_of


class BackendTrainer(Trainer):
    _data_parallel = None  # set by make_train_function in a multi-process run

    def train_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        parallel = self._data_parallel  # DistributedDataParallel in a multi-process run, else None
        y_pred = self(x, training=True) if parallel is None else parallel(x, training=True)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        trainable = self._trainable_for_step()
        if trainable:
            scaled = self.optimizer.scale_loss(loss) if hasattr(self.optimizer, "scale_loss") else loss
            if parallel is None:
                grads = torch.autograd.grad(scaled, [v.value for v in trainable], allow_unused=True)
            else:
                grads = parallel.gradients(scaled, trainable)
            with torch.no_grad():
                self.optimizer.apply(list(grads), trainable)
        return self._update_metrics_lazily(x, y, y_pred, sample_weight)

    def _update_metrics_lazily(self, x, y, y_pred, sample_weight):
        """``compute_metrics`` with the results left for when someone reads them."""
        if type(self).compute_metrics is not Trainer.compute_metrics:
            return self.compute_metrics(x, y, y_pred, sample_weight)  # a user's override decides
        if self._compile_metrics is not None and y is not None:
            if not self._compile_metrics.built:
                self._build_compiled_metrics(y, y_pred)
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return LazyLogs(self.get_metrics_result)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        return self._update_metrics_lazily(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def zero_grad(self) -> None:
        """Clear ``.grad`` of every trainable parameter (for custom ``train_step`` with ``backward()``)."""
        for variable in self.trainable_weights:
            variable.value.grad = None

    def _trainable_for_step(self) -> list:
        cached = getattr(self, "_step_trainable", None)
        if cached is None:
            cached = self._step_trainable = list(self.trainable_weights)
        return cached

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        self._step_trainable = list(self.trainable_weights)
        self._data_parallel = None
        if distribution_lib.distribution() is not None and distribution_lib.num_processes() > 1:
            self._data_parallel = torch_distribution_lib.DataParallelStep(self, self._step_trainable)
        step = self.train_step
        if self.jit_compile:
            step = torch.compile(step)

        def one_step(data):
            return step(data)

        self.train_function = one_step
        return one_step

    def make_test_function(self, force=False):
        if self.test_function is not None and not force:
            return self.test_function
        step = self.test_step

        def one_step(data):
            with torch.no_grad():
                return step(data)

        self.test_function = one_step
        return one_step

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        step = self.predict_step

        def one_step(data):
            with torch.no_grad():
                return step(data)

        self.predict_function = one_step
        return one_step


TorchTrainer = BackendTrainer  # the name Keras gives this engine's trainer
