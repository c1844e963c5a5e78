"""The numpy "trainer": evaluation and prediction only; training raises a clear error."""

from __future__ import annotations

from brickwork.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from brickwork.trainers.trainer import Trainer, batch_size_of


class BackendTrainer(Trainer):
    def train_step(self, data):
        # NotImplementedError, as Keras raises (a RuntimeError too, for code that catches that).
        raise NotImplementedError(
            "The numpy backend is for inference only: it cannot train. "
            "Use BRICKWORK_BACKEND=torch or jax to train."
        )

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        return self._update_metrics_lazily(x, y, y_pred, sample_weight)

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


NumpyTrainer = BackendTrainer  # the name Keras gives this engine's trainer
