"""A training loop from scratch on torch: first with a `torch.optim` optimizer and a torch loss over
`model.parameters()` (a brickwork model is a `torch.nn.Module`), then with Keras optimizer, loss and metrics.
"""

import numpy as np
import torch

import keras
from keras import layers

batch_size = 16
x_train = np.random.rand(64, 12).astype("float32")
y_train = np.random.randint(0, 3, size=(64,))
x_val, y_val = x_train[:16], y_train[:16]
train_dataset = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(
    torch.from_numpy(x_train), torch.from_numpy(y_train)), batch_size=batch_size, shuffle=True)
val_dataset = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(
    torch.from_numpy(x_val), torch.from_numpy(y_val)), batch_size=batch_size)


def get_model():
    inputs = keras.Input(shape=(12,), name="digits")
    x = layers.Dense(8, activation="relu")(inputs)
    return keras.Model(inputs=inputs, outputs=layers.Dense(3, name="predictions")(x))


# The torch-native loop: torch optimizer over the model's registered parameters, torch loss (y_pred first).
model = get_model()
torch_optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
torch_loss_fn = torch.nn.CrossEntropyLoss()
assert len(list(model.parameters())) == len(model.trainable_weights) == 4
before = [w.copy() for w in model.get_weights()]
for inputs, targets in train_dataset:
    loss = torch_loss_fn(model(inputs), targets)
    model.zero_grad()
    loss.backward()
    torch_optimizer.step()
assert all(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))  # every weight moved

model = get_model()
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
train_acc_metric = keras.metrics.CategoricalAccuracy()
val_acc_metric = keras.metrics.CategoricalAccuracy()

losses = []
for epoch in range(2):
    for step, (inputs, targets) in enumerate(train_dataset):
        logits = model(inputs)
        loss = loss_fn(torch.nn.functional.one_hot(targets, 3), logits)
        model.zero_grad()
        trainable_weights = [v for v in model.trainable_weights]
        loss.backward()
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            optimizer.apply(gradients, trainable_weights)
        train_acc_metric.update_state(torch.nn.functional.one_hot(targets, 3), logits)
        losses.append(float(loss.detach()))
    train_acc = train_acc_metric.result()
    train_acc_metric.reset_state()
    for x_batch_val, y_batch_val in val_dataset:
        val_acc_metric.update_state(torch.nn.functional.one_hot(y_batch_val, 3), model(x_batch_val, training=False))
    val_acc = val_acc_metric.result()
    val_acc_metric.reset_state()
    print(f"epoch {epoch}: train acc {float(train_acc):.3f}, val acc {float(val_acc):.3f}")
assert optimizer.iterations.numpy() == 8


# Losses added by layers during the forward pass join the loop's loss.
class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * torch.sum(inputs))
        return inputs


inputs = keras.Input(shape=(12,), name="digits")
x = ActivityRegularizationLayer()(layers.Dense(8, activation="relu")(inputs))
model = keras.Model(inputs=inputs, outputs=layers.Dense(3)(x))
optimizer = keras.optimizers.Adam(learning_rate=1e-3)  # an optimizer serves the variables it was built with
for inputs, targets in train_dataset:
    logits = model(inputs)
    loss = loss_fn(torch.nn.functional.one_hot(targets, 3), logits)
    assert len(model.losses) == 1
    loss = loss + torch.sum(torch.stack(list(model.losses)))
    model.zero_grad()
    loss.backward()
    trainable_weights = model.trainable_weights
    with torch.no_grad():
        optimizer.apply([v.value.grad for v in trainable_weights], trainable_weights)
print("writing_a_custom_training_loop_in_torch: ok")
