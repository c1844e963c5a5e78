"""Built-in training: compile/fit/evaluate/predict, custom losses and metrics, class and sample weights,
multiple inputs/outputs, callbacks (EarlyStopping, ModelCheckpoint), learning-rate schedules, PyDataset."""

import numpy as np

import keras
from keras import layers, ops

x_train = np.random.rand(64, 12).astype("float32")
y_train = np.random.randint(0, 3, size=(64,))
x_val, y_val = x_train[:16], y_train[:16]


def get_uncompiled_model():
    inputs = keras.Input(shape=(12,), name="digits")
    x = layers.Dense(8, activation="relu", name="dense_1")(inputs)
    outputs = layers.Dense(3, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def get_compiled_model():
    model = get_uncompiled_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
    return model


model = get_compiled_model()
history = model.fit(x_train, y_train, batch_size=16, epochs=2, validation_data=(x_val, y_val), verbose=0)
assert set(history.history) >= {"loss", "sparse_categorical_accuracy", "val_loss", "val_sparse_categorical_accuracy"}
results = model.evaluate(x_val, y_val, batch_size=8, verbose=0)
assert len(results) == 2
assert model.predict(x_val[:3], verbose=0).shape == (3, 3)


def custom_mean_squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            values = ops.multiply(values, ops.cast(sample_weight, "float32"))
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives.value

    def reset_state(self):
        self.true_positives.assign(0.0)


y_one_hot = ops.one_hot(y_train, num_classes=3)
for loss in (custom_mean_squared_error, CustomMSE()):
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.Adam(), loss=loss)
    model.fit(x_train, y_one_hot, batch_size=32, epochs=1, verbose=0)
model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(), metrics=[CategoricalTruePositives()])
history = model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
assert "categorical_true_positives" in history.history


class MetricLoggingLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(ops.sum(inputs) * 0.1)
        return inputs


# validation_split, class_weight and sample_weight.
model = get_compiled_model()
model.fit(x_train, y_train, batch_size=16, validation_split=0.25, epochs=1, verbose=0)
model = get_compiled_model()
model.fit(x_train, y_train, class_weight={0: 1.0, 1: 1.0, 2: 2.0}, batch_size=16, epochs=1, verbose=0)
sample_weight = np.ones(shape=(len(y_train),))
sample_weight[y_train == 2] = 2.0
model = get_compiled_model()
model.fit(x_train, y_train, sample_weight=sample_weight, batch_size=16, epochs=1, verbose=0)

# A PyDataset feeds fit() batch by batch.
class ExamplePyDataset(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return int(np.ceil(len(self.x) / float(self.batch_size)))

    def __getitem__(self, idx):
        batch = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self.x[batch], self.y[batch]


model = get_compiled_model()
model.fit(ExamplePyDataset(x_train, y_train, batch_size=32), epochs=1,
          validation_data=ExamplePyDataset(x_val, y_val, batch_size=16), verbose=0)
model.evaluate(ExamplePyDataset(x_val, y_val, batch_size=16), verbose=0)

# Multiple inputs and outputs, losses per output, a None loss.
image_input = keras.Input(shape=(8, 8, 3), name="img_input")
timeseries_input = keras.Input(shape=(None, 4), name="ts_input")
x1 = layers.GlobalMaxPooling2D()(layers.Conv2D(3, 3)(image_input))
x2 = layers.GlobalMaxPooling1D()(layers.Conv1D(3, 3)(timeseries_input))
x = layers.concatenate([x1, x2])
score_output = layers.Dense(1, name="score_output")(x)
class_output = layers.Dense(5, name="class_output")(x)
model = keras.Model(inputs=[image_input, timeseries_input], outputs=[score_output, class_output])
model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
              loss={"score_output": keras.losses.MeanSquaredError(),
                    "class_output": keras.losses.CategoricalCrossentropy()},
              metrics={"score_output": [keras.metrics.MeanAbsolutePercentageError(),
                                        keras.metrics.MeanAbsoluteError()],
                       "class_output": [keras.metrics.CategoricalAccuracy()]},
              loss_weights={"score_output": 2.0, "class_output": 1.0})
img_data = np.random.random_sample(size=(16, 8, 8, 3))
ts_data = np.random.random_sample(size=(16, 6, 4))
score_targets = np.random.random_sample(size=(16, 1))
class_targets = np.random.random_sample(size=(16, 5))
model.fit([img_data, ts_data], [score_targets, class_targets], batch_size=8, epochs=1, verbose=0)
model.fit({"img_input": img_data, "ts_input": ts_data},
          {"score_output": score_targets, "class_output": class_targets}, batch_size=8, epochs=1, verbose=0)
model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss=[None, keras.losses.CategoricalCrossentropy()])
model.fit([img_data, ts_data], [score_targets, class_targets], batch_size=8, epochs=1, verbose=0)

# Callbacks and schedules.
model = get_compiled_model()
callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e-2, patience=1, verbose=0),
    keras.callbacks.ModelCheckpoint(filepath="/tmp/brickwork_guide_ckpt_{epoch}.keras", save_best_only=True,
                                    monitor="val_loss", verbose=0),
]
model.fit(x_train, y_train, epochs=3, batch_size=16, callbacks=callbacks, validation_split=0.25, verbose=0)
lr_schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.96, staircase=True)
model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=lr_schedule), loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, batch_size=16, verbose=0)
print("training_with_built_in_methods: ok")
