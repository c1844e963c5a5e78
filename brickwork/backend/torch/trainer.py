"""The torch training step: eager autograd, or compiled parts with ``jit_compile=True``.

Per batch: forward, loss, ``torch.autograd.grad`` over the trainable parameters (listed once
per ``fit``), one optimizer call that updates every variable through ``_foreach`` kernels, and
the metric updates. No conversion of weights, no host sync.

With ``jit_compile=True`` the forward pass and the loss are one ``torch.compile`` graph, whose
backward AOTAutograd compiles too (see ``CompiledTrainStep``); a ``train_step`` a user wrote is
compiled whole, as Keras does.
"""

from __future__ import annotations

import contextlib

import numpy as np
import optree
import torch

from brickwork.backend.torch import distribution_lib as torch_distribution_lib
from brickwork.backend.torch.core import convert_to_numpy
from brickwork.distribution import distribution_lib
from brickwork.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from brickwork.trainers.trainer import Trainer, batch_size_of


class BackendTrainer(Trainer):
    _data_parallel = None  # set by make_train_function in a multi-process run

    def train_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        parallel = self._data_parallel  # DistributedDataParallel in a multi-process run, else None
        y_pred = self(x, training=True) if parallel is None else parallel(x, training=True)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        self._descend(loss, batch_size_of(x), parallel)
        return self._update_metrics_lazily(x, y, y_pred, sample_weight)

    def _descend(self, loss, batch_size, parallel=None) -> None:
        """The loss tracked, its gradients over the trainable variables, and the optimizer's update."""
        self._loss_tracker.update_state(loss, sample_weight=batch_size)
        trainable = self._trainable_for_step()
        if trainable:
            scaled = self.optimizer.scale_loss(loss) if hasattr(self.optimizer, "scale_loss") else loss
            if parallel is None:
                grads = torch.autograd.grad(scaled, [v.value for v in trainable], allow_unused=True)
            else:
                grads = parallel.gradients(scaled, trainable)
            with torch.no_grad():
                self.optimizer.apply(list(grads), trainable)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        return self._update_metrics_lazily(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _inference_loop(self, callback_list, step: str):
        """The whole of an ``evaluate``/``predict`` loop in ``torch.inference_mode()`` (no autograd bookkeeping, no
        context entered per batch) when only brickwork's own code runs in it: the step is not overridden and no
        callback is called. Otherwise each step runs under ``no_grad``, as in Keras, so that user code may still
        re-enable gradients."""
        if callback_list.callbacks or getattr(type(self), step) is not getattr(BackendTrainer, step):
            return contextlib.nullcontext()
        return torch.inference_mode()

    @staticmethod
    def _join_batch_outputs(outputs):
        """One ``torch.cat`` per output and one conversion, instead of a NumPy copy of every batch."""
        def join(*parts):
            if not all(isinstance(part, torch.Tensor) for part in parts):
                return np.concatenate([convert_to_numpy(part) for part in parts], axis=0)
            joined = torch.cat([part.detach() for part in parts])
            if joined.device.type == "cpu" and joined.dtype in _NUMPY_DTYPES:
                return joined.numpy()  # a new tensor: nothing else holds its memory, no copy needed
            return convert_to_numpy(joined)

        return optree.tree_map(join, *outputs)

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
            overridden = type(self).train_step is not BackendTrainer.train_step
            step = torch.compile(step) if overridden or self._data_parallel else CompiledTrainStep(self)

        def one_step(data):
            return step(data)

        self.train_function = one_step
        return one_step

    def make_test_function(self, force=False):
        if self.test_function is not None and not force:
            return self.test_function
        step = self.test_step

        def one_step(data):
            if not torch.is_grad_enabled():  # inside evaluate's inference mode, or a caller's no_grad
                return step(data)
            with torch.no_grad():
                return step(data)

        self.test_function = one_step
        return one_step

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        step = self.predict_step

        def one_step(data):
            if not torch.is_grad_enabled():  # inside predict's inference mode, or a caller's no_grad
                return step(data)
            with torch.no_grad():
                return step(data)

        self.predict_function = one_step
        return one_step


# The dtypes whose CPU tensors NumPy reads directly (bfloat16 and the wide unsigned ones need converting).
_NUMPY_DTYPES = frozenset((torch.float16, torch.float32, torch.float64, torch.complex64, torch.complex128,
                           torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.bool))

TorchTrainer = BackendTrainer  # the name Keras gives this engine's trainer


class CompiledTrainStep:
    """``jit_compile=True``: the forward pass and the loss as one compiled graph, without graph breaks.

    AOTAutograd compiles the graph's backward too, so ``torch.autograd.grad`` runs compiled code. The
    optimizer's update stays eager: it is already a few fused ``_foreach`` kernels, and it reads its step
    counter and learning rate as Python numbers, which a graph would have to recompile for at every step.
    The first batch runs eagerly, so that the optimizer's and the metrics' variables are made outside any
    graph.

    Example:
        model.compile(optimizer="adam", loss="mse", jit_compile=True)  # torch: this step
    """

    def __init__(self, model):
        self.model = model
        self.forward = None  # compiled after the first (eager) batch

    def _forward_and_loss(self, x, y, sample_weight):
        y_pred = self.model(x, training=True)
        loss = self.model._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        return y_pred, loss

    def __call__(self, data):
        model = self.model
        if self.forward is None:
            self.forward = torch.compile(self._forward_and_loss)
            return model.train_step(data)
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred, loss = self.forward(x, y, sample_weight)
        model._descend(loss, batch_size_of(x))
        return model._update_metrics_lazily(x, y, y_pred.detach(), sample_weight)
