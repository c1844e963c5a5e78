"""One process of a distributed-training test: trains a tiny model and writes what it saw.

Run as a script: ``python training_worker.py OUT_DIR MODE`` with MODE ``plain`` (one process, one
device), ``torchrun`` (torchrun's environment variables set by the test: no distribution code here)
or ``mesh`` (jax, ``DataParallel`` over the devices XLA_FLAGS creates) or ``layout`` (jax,
``ModelParallel`` splitting the first kernel over two devices). Every process writes
``OUT_DIR/result_<rank>.json`` and ``OUT_DIR/weights_<rank>.npz``.
"""

import json
import os
import sys

import numpy as np

import brickwork as keras
from brickwork.distribution import distribution_lib
from brickwork.saving import saving_lib

out_dir, mode = sys.argv[1], sys.argv[2]
writes = []
_save_model = saving_lib.save_model


def _recording_save_model(model, filepath, *args, **kwargs):
    writes.append(os.path.basename(filepath))
    return _save_model(model, filepath, *args, **kwargs)


saving_lib.save_model = _recording_save_model  # records which processes wrote a checkpoint

if mode == "mesh":
    keras.distribution.set_distribution(keras.distribution.DataParallel())
elif mode == "layout":  # the first Dense's kernel and bias split by columns over the "model" axis
    mesh = keras.distribution.DeviceMesh((1, 2), ["batch", "model"])
    layout_map = keras.distribution.LayoutMap(mesh)
    layout_map["^dense/kernel$"] = (None, "model")
    layout_map["^dense/bias$"] = ("model",)
    keras.distribution.set_distribution(keras.distribution.ModelParallel(layout_map=layout_map))

rng = np.random.default_rng(0)
x = rng.normal(size=(48, 5)).astype("float32")
y = (x @ rng.normal(size=(5, 3)) > 0).astype("float32")
x_val = rng.normal(size=(16, 5)).astype("float32")
y_val = (x_val @ rng.normal(size=(5, 3)) > 0).astype("float32")
model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(3, activation="sigmoid")])
model.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in model.get_weights()])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
              loss="binary_crossentropy", metrics=["binary_accuracy", "mae"])
checkpoint = keras.callbacks.ModelCheckpoint(os.path.join(out_dir, "checkpoint.keras"), save_freq="epoch")
history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=2, callbacks=[checkpoint],
                    validation_data=(x_val, y_val))
evaluation = model.evaluate(x_val, y_val, batch_size=8, verbose=0, return_dict=True)
predictions = model.predict(x_val, batch_size=8, verbose=0)

rank = distribution_lib.process_id()
kernel = model.layers[0].kernel.value
shards = sorted({tuple(shard.data.shape) for shard in getattr(kernel, "addressable_shards", [])})
np.savez(os.path.join(out_dir, f"weights_{rank}.npz"), *model.get_weights())
with open(os.path.join(out_dir, f"result_{rank}.json"), "w") as file:
    json.dump({"history": history.history, "evaluation": evaluation, "writes": writes,
               "processes": distribution_lib.num_processes(), "kernel_shards": shards, "predictions": predictions.tolist(),
               "distribution": repr(keras.distribution.distribution())}, file)
