"""Transfer learning and fine-tuning: a pretrained base frozen under a new head, then its top block unfrozen.

The guide starts from ImageNet weights (``weights="imagenet"`` downloads Keras's published file once); to
stay offline this program saves a base's weights and starts from that file instead, which loads the same way.
"""

import os
import tempfile

import numpy as np

import keras
from keras import layers

rng = np.random.default_rng(0)
images = rng.uniform(0, 255, (32, 32, 32, 3)).astype("float32")
labels = (images.mean(axis=(1, 2, 3)) > 127.5).astype("float32")  # a task the features can learn

# "Pretrained" weights: a base saved once (weights="imagenet" would download Keras's file into ~/.brickwork/models)
folder = tempfile.mkdtemp()
weights_file = os.path.join(folder, "base.weights.h5")
keras.applications.MobileNet(weights=None, alpha=0.25, include_top=False, input_shape=(32, 32, 3)).save_weights(
    weights_file)

# 1. Instantiate the base with the pretrained weights, without the ImageNet classifier, and freeze it.
base_model = keras.applications.MobileNet(weights=weights_file, alpha=0.25, include_top=False,
                                          input_shape=(32, 32, 3))
base_model.trainable = False
assert base_model.trainable_weights == []

# 2. A new model on top. The base runs in inference mode (training=False) so that its BatchNormalization
#    layers keep their statistics, even after unfreezing.
inputs = keras.Input(shape=(32, 32, 3))
x = keras.applications.mobilenet.preprocess_input(inputs)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
assert len(model.trainable_weights) == 2  # only the new Dense layer

# 3. Train the head on the new data.
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[keras.metrics.BinaryAccuracy()])
frozen_before = [w.copy() for w in base_model.get_weights()]
model.fit(images, labels, epochs=2, batch_size=16, verbose=0)
assert all(np.array_equal(a, b) for a, b in zip(frozen_before, base_model.get_weights()))

# 4. Fine-tune: unfreeze the base's last depthwise-separable block, recompile (so the change takes effect) with a
#    low learning rate, and train again end to end.
base_model.trainable = True
top_block = [layer for layer in base_model.layers if layer.name.endswith("_13") or "_13_" in layer.name]
for layer in base_model.layers:
    layer.trainable = layer in top_block
assert {layer.name for layer in top_block} >= {"conv_dw_13", "conv_pw_13"}
model.compile(optimizer=keras.optimizers.Adam(1e-5), loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[keras.metrics.BinaryAccuracy()])
assert sorted(w.path for w in model.trainable_weights) == [
    "conv_dw_13/kernel", "conv_dw_13_bn/beta", "conv_dw_13_bn/gamma", "conv_pw_13/kernel", "conv_pw_13_bn/beta",
    "conv_pw_13_bn/gamma", "dense/bias", "dense/kernel"]
history = model.fit(images, labels, epochs=1, batch_size=16, verbose=0)
assert "binary_accuracy" in history.history and np.isfinite(history.history["loss"][0])
print("transfer_learning: ok (frozen base, new head, then the top block fine-tuned)")
