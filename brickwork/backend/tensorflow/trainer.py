"""The TensorFlow trainer: the train, test and predict steps, eager for now (a ``tf.function`` step is issue 22's)."""

from __future__ import annotations

import tensorflow as tf

from brickwork.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from brickwork.trainers.trainer import Trainer, batch_size_of


class BackendTrainer(Trainer):
    def train_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        variables = self.trainable_variables
        grads = tape.gradient(loss, [v.value for v in variables])
        self.optimizer.apply(grads, variables)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def make_train_function(self, force=False):
        self.train_function = self.train_step
        return self.train_function

    def make_test_function(self, force=False):
        self.test_function = self.test_step
        return self.test_function

    def make_predict_function(self, force=False):
        self.predict_function = self.predict_step
        return self.predict_function
