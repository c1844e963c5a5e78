"""A training loop from scratch on jax: stateless_call, optimizer.stateless_apply, stateless metrics, jax.jit."""

import jax
import numpy as np

import keras
from keras import layers

batch_size = 16
x_train = np.random.rand(64, 12).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, 3, size=(64,)), 3)


def get_model():
    inputs = keras.Input(shape=(12,), name="digits")
    x = layers.Dense(8, activation="relu")(inputs)
    x = layers.Dropout(0.1)(x)
    return keras.Model(inputs=inputs, outputs=layers.Dense(3, name="predictions")(x))


model = get_model()
loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
optimizer.build(model.trainable_variables)
train_acc_metric = keras.metrics.CategoricalAccuracy()


def compute_loss_and_updates(trainable_variables, non_trainable_variables, metric_variables, x, y):
    y_pred, non_trainable_variables = model.stateless_call(trainable_variables, non_trainable_variables, x,
                                                           training=True)
    loss = loss_fn(y, y_pred)
    metric_variables = train_acc_metric.stateless_update_state(metric_variables, y, y_pred)
    return loss, (non_trainable_variables, metric_variables)


grad_fn = jax.value_and_grad(compute_loss_and_updates, has_aux=True)


@jax.jit
def train_step(state, data):
    trainable_variables, non_trainable_variables, optimizer_variables, metric_variables = state
    x, y = data
    (loss, (non_trainable_variables, metric_variables)), grads = grad_fn(
        trainable_variables, non_trainable_variables, metric_variables, x, y)
    trainable_variables, optimizer_variables = optimizer.stateless_apply(optimizer_variables, grads,
                                                                         trainable_variables)
    return loss, (trainable_variables, non_trainable_variables, optimizer_variables, metric_variables)


@jax.jit
def eval_step(state, data):
    trainable_variables, non_trainable_variables, metric_variables = state
    x, y = data
    y_pred, non_trainable_variables = model.stateless_call(trainable_variables, non_trainable_variables, x)
    metric_variables = train_acc_metric.stateless_update_state(metric_variables, y, y_pred)
    return loss_fn(y, y_pred), (trainable_variables, non_trainable_variables, metric_variables)


state = (
    [v.value for v in model.trainable_variables],
    [v.value for v in model.non_trainable_variables],
    [v.value for v in optimizer.variables],
    [v.value for v in train_acc_metric.variables],
)  # values, not Variables: jax >= 0.8 no longer abstractifies objects through __jax_array__ (Keras 3.15 alike)
for step in range(len(x_train) // batch_size):
    batch = slice(step * batch_size, (step + 1) * batch_size)
    loss, state = train_step(state, (x_train[batch], y_train[batch]))
trainable_variables, non_trainable_variables, optimizer_variables, metric_variables = state
print("train accuracy:", float(train_acc_metric.stateless_result(metric_variables)))

# Write the values back into the model's variables, then use it statefully.
for variable, value in zip(model.trainable_variables, trainable_variables):
    variable.assign(value)
for variable, value in zip(model.non_trainable_variables, non_trainable_variables):
    variable.assign(value)
for variable, value in zip(optimizer.variables, optimizer_variables):
    variable.assign(value)
assert int(optimizer.iterations.numpy()) == 4
np.testing.assert_allclose(np.asarray(model(x_train[:4])), np.asarray(
    model.stateless_call(trainable_variables, non_trainable_variables, x_train[:4])[0]), atol=1e-6)

eval_state = (trainable_variables, non_trainable_variables, [v.value for v in train_acc_metric.variables])
loss, eval_state = eval_step(eval_state, (x_train[:16], y_train[:16]))


# Losses added during the forward pass: stateless_call(..., return_losses=True).
class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * jax.numpy.sum(inputs))
        return inputs


inputs = keras.Input(shape=(12,))
x = ActivityRegularizationLayer()(layers.Dense(8, activation="relu")(inputs))
model = keras.Model(inputs=inputs, outputs=layers.Dense(3)(x))


def loss_with_layer_losses(trainable_variables, non_trainable_variables, x, y):
    y_pred, non_trainable_variables, losses = model.stateless_call(
        trainable_variables, non_trainable_variables, x, return_losses=True)
    assert len(losses) == 1
    return loss_fn(y, y_pred) + sum(losses), non_trainable_variables


(loss, _), grads = jax.jit(jax.value_and_grad(loss_with_layer_losses, has_aux=True))(
    [v.value for v in model.trainable_variables], [v.value for v in model.non_trainable_variables],
    x_train[:16], y_train[:16])
assert len(grads) == 4
print("writing_a_custom_training_loop_in_jax: ok")
