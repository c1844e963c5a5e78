"""The TensorFlow training step: a ``tf.function`` traced once, with XLA under ``jit_compile=True``.

Per batch: forward and loss under a ``tf.GradientTape``, the gradients of the trainable variables (the
brickwork variables' ``tf.Variable``s, captured by the graph), one optimizer call, the metric updates; the
step returns the logs as tensors. Variables are created eagerly even when first met while tracing (a metric
or optimizer slot built lazily: see ``Variable._creation_context``), so the graph only reads and assigns them.

Batches of in-memory data come as NumPy slices (``SLICES_ON_HOST``) or, from a ``tf.data.Dataset``, as
``tf.Tensor``s; either way the function is traced with ``reduce_retracing=True``: a batch of a new shape (the
short last batch of an epoch) makes one more trace, with the batch dimension left unknown, and no more.

With ``compile(steps_per_execution=N)`` a group of N batches of one shape runs in one call, as in Keras: the
batches are stacked and a second ``tf.function`` steps through them in a ``tf.while_loop`` (a group it cannot
stack, such as the short last batch, runs one batch at a time).

``compile(run_eagerly=True)`` runs the same steps without ``tf.function``; ``jit_compile="auto"`` compiles with
XLA when a GPU is visible (as Keras does: XLA on a CPU-only machine seldom pays for its compile time).
"""

from __future__ import annotations

import functools

import numpy as np
import optree
import tensorflow as tf

from brickwork.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from brickwork.trainers.trainer import Trainer


class BackendTrainer(Trainer):
    def train_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
            scaled = self.optimizer.scale_loss(loss) if hasattr(self.optimizer, "scale_loss") else loss
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        trainable = self.trainable_variables
        if trainable:
            grads = tape.gradient(scaled, [v.value for v in trainable])
            self.optimizer.apply(grads, trainable)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    @staticmethod
    def _auto_jit_compile() -> bool:
        """``jit_compile="auto"``: XLA where a GPU is visible, the plain graph on a CPU-only machine."""
        return bool(tf.config.list_logical_devices("GPU"))

    def _compile_step(self, step):
        """``step`` as a ``tf.function`` (with XLA if ``jit_compile``), or as it is with ``run_eagerly``.

        Either way the step gets tensors: NumPy batches are converted first, as Keras hands them. A batch of
        strings runs eagerly: the string layers (``StringLookup``, ``TextVectorization``) look tokens up on the
        host, as on jax.
        """
        if self.run_eagerly:
            return lambda data: step(_to_tensors(data))
        # AutoGraph only for a step the user wrote (it may branch on tensors with Python's `if`, as Keras's TF
        # guides do): brickwork's own code branches through ops.cond/while_loop (jax.jit traces it too), and
        # converting every function the step calls cost seconds of first step (4.4 s of 4.7 for one Dense).
        own = getattr(step, "__func__", None) in (BackendTrainer.train_step, BackendTrainer.test_step,
                                                  BackendTrainer.predict_step)
        options = {"reduce_retracing": True, "jit_compile": bool(self.jit_compile), "autograph": not own}
        compiled = tf.function(step, **options)
        several = tf.function(functools.partial(_steps_in_a_loop, step), **options)

        def one_step(data):
            data = _to_tensors(data)
            return step(data) if _holds_strings(data) else compiled(data)

        def run_group(batches):
            """A group of batches of one shape in one call: stacked, and stepped through in a graph loop."""
            batches = [_to_tensors(data) for data in batches]
            stacked = _stacked(batches)
            return None if stacked is None else several(stacked)

        one_step.run_group = run_group
        return one_step

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        if self.optimizer is not None and not self.optimizer.built and self.trainable_variables:
            self.optimizer.build(self.trainable_variables)  # its slots exist before the graph reads them
        self.train_function = self._compile_step(self.train_step)
        return self.train_function

    def make_test_function(self, force=False):
        if self.test_function is not None and not force:
            return self.test_function
        self.test_function = self._compile_step(self.test_step)
        return self.test_function

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        self.predict_function = self._compile_step(self.predict_step)
        return self.predict_function


def _to_tensors(data):
    """A batch's NumPy arrays (host slices) as ``tf.Tensor``s; strings stay NumPy, for the string layers."""
    def convert(leaf):
        if isinstance(leaf, np.ndarray) and leaf.dtype.kind not in "USO":
            return tf.convert_to_tensor(leaf)
        return leaf

    return optree.tree_map(convert, data)


def _stacked(batches):
    """Batches of one structure and shape stacked along a new first axis; ``None`` when they are not alike
    (a short last batch, strings), which then run one by one."""
    leaves, trees = zip(*(optree.tree_flatten(data) for data in batches))
    if any(tree != trees[0] for tree in trees) or _holds_strings(leaves[0]):
        return None
    columns = list(zip(*leaves))
    if not all(isinstance(leaf, tf.Tensor) and leaf.shape == column[0].shape for column in columns for leaf in column):
        return None
    return optree.tree_unflatten(trees[0], [tf.stack(column) for column in columns])


def _steps_in_a_loop(step, stacked):
    """``step`` on each batch of ``stacked`` in turn, in a ``tf.while_loop``; the last step's logs.

    The first step runs before the loop, which then carries its logs (their structure and shapes are known).
    """
    count = tf.shape(optree.tree_leaves(stacked)[0])[0]  # unknown when traced with reduce_retracing

    def batch(i):
        return optree.tree_map(lambda leaf: leaf[i], stacked)

    def step_on(i):
        return optree.tree_map(tf.convert_to_tensor, step(batch(i)))

    logs = step_on(0)
    _, logs = tf.while_loop(lambda i, _: i < count, lambda i, _: (i + 1, step_on(i)), (tf.constant(1), logs))
    return logs


def _holds_strings(data) -> bool:
    return any((isinstance(leaf, np.ndarray) and leaf.dtype.kind in "USO")
               or (isinstance(leaf, tf.Tensor) and leaf.dtype == tf.string) for leaf in optree.tree_leaves(data))


def _batch_size(x):
    """The number of samples in a batch of inputs: a Python int when the shape says it, else a scalar tensor
    (a traced step whose batch dimension is unknown)."""
    for leaf in optree.tree_leaves(x):
        if hasattr(leaf, "shape"):
            size = leaf.shape[0]
            return size if size is not None else tf.shape(leaf)[0]
    raise ValueError(f"Cannot tell the batch size of inputs that hold no tensor: {x!r:.200}")


TensorFlowTrainer = BackendTrainer  # the name Keras gives this engine's trainer
