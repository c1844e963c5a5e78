"""Custom callbacks: every hook, logs, self.model access, early stopping at a minimum, a learning-rate scheduler."""

import numpy as np

import keras

x_train = np.random.rand(32, 6).astype("float32")
y_train = np.random.rand(32, 1).astype("float32")


def get_model():
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.1), loss="mean_squared_error",
                  metrics=["mean_absolute_error"])
    return model


class CustomCallback(keras.callbacks.Callback):
    """Records every hook called, with the keys of its logs."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def _record(self, name, logs):
        self.calls.append((name, sorted(logs or {})))

    def on_train_begin(self, logs=None): self._record("on_train_begin", logs)
    def on_train_end(self, logs=None): self._record("on_train_end", logs)
    def on_epoch_begin(self, epoch, logs=None): self._record("on_epoch_begin", logs)
    def on_epoch_end(self, epoch, logs=None): self._record("on_epoch_end", logs)
    def on_test_begin(self, logs=None): self._record("on_test_begin", logs)
    def on_test_end(self, logs=None): self._record("on_test_end", logs)
    def on_predict_begin(self, logs=None): self._record("on_predict_begin", logs)
    def on_predict_end(self, logs=None): self._record("on_predict_end", logs)
    def on_train_batch_begin(self, batch, logs=None): self._record("on_train_batch_begin", logs)
    def on_train_batch_end(self, batch, logs=None): self._record("on_train_batch_end", logs)
    def on_test_batch_begin(self, batch, logs=None): self._record("on_test_batch_begin", logs)
    def on_test_batch_end(self, batch, logs=None): self._record("on_test_batch_end", logs)
    def on_predict_batch_begin(self, batch, logs=None): self._record("on_predict_batch_begin", logs)
    def on_predict_batch_end(self, batch, logs=None): self._record("on_predict_batch_end", logs)


model = get_model()
callback = CustomCallback()
model.fit(x_train, y_train, batch_size=16, epochs=1, verbose=0, validation_split=0.5, callbacks=[callback])
names = [name for name, _ in callback.calls]
assert names[0] == "on_train_begin" and names[-1] == "on_train_end", names
assert "on_test_batch_end" in names
epoch_end_keys = dict(callback.calls)["on_epoch_end"]
assert {"loss", "mean_absolute_error", "val_loss", "val_mean_absolute_error"} <= set(epoch_end_keys), epoch_end_keys
callback = CustomCallback()
model.evaluate(x_train, y_train, batch_size=16, verbose=0, callbacks=[callback])
assert [n for n, _ in callback.calls][0] == "on_test_begin"
callback = CustomCallback()
model.predict(x_train, batch_size=16, verbose=0, callbacks=[callback])
assert [n for n, _ in callback.calls] == ["on_predict_begin"] + ["on_predict_batch_begin", "on_predict_batch_end"] * 2 + ["on_predict_end"]


class LossAndErrorPrintingCallback(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        assert isinstance(logs["loss"], float), type(logs["loss"])

    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch}: loss {logs['loss']:7.2f}, mae {logs['mean_absolute_error']:7.2f}")


get_model().fit(x_train, y_train, batch_size=16, epochs=2, verbose=0, callbacks=[LossAndErrorPrintingCallback()])


class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    """Stops when the loss stops falling and restores the best weights, through self.model."""

    def __init__(self, patience=0):
        super().__init__()
        self.patience = patience
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best = 0, 0, np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("loss")
        if np.less(current, self.best):
            self.best, self.wait = current, 0
            self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                self.model.set_weights(self.best_weights)


class StopAtOnce(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.stop_training = True


history = get_model().fit(x_train, y_train, batch_size=16, epochs=5, verbose=0,
                          callbacks=[EarlyStoppingAtMinLoss(), StopAtOnce()])
assert len(history.history["loss"]) == 1


class CustomLearningRateScheduler(keras.callbacks.Callback):
    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        lr = self.model.optimizer.learning_rate
        scheduled_lr = self.schedule(epoch, float(np.array(keras.ops.convert_to_numpy(lr))))
        self.model.optimizer.learning_rate = scheduled_lr


model = get_model()
model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=0,
          callbacks=[CustomLearningRateScheduler(lambda epoch, lr: lr * 0.5)])
np.testing.assert_allclose(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)), 0.025, rtol=1e-6)
print("writing_your_own_callbacks: ok")
