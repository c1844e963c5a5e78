"""brickwork against Keras 3 and a hand-written engine loop, one process per contender, CPU time.

    python benchmarks/versus_keras.py                               # both engines, 5 rounds, prints the table
    python benchmarks/versus_keras.py --write docs/performance_table.md
    python benchmarks/versus_keras.py --engines jax --workloads mlp --rounds 3

Contenders, each run in its own fresh subprocess with one thread (``torch.set_num_threads(1)``,
``OMP_NUM_THREADS=1``, XLA's single-threaded CPU flags):

- ``hand``: the program written directly against the engine. On torch an ``nn.Module`` with
  ``torch.optim.Adam``, inference under ``torch.inference_mode()`` (``no_grad`` for ``model(x)``); on jax
  an optimized loop: a jitted step with donated state, slicing on the host, the loss read every step; on
  tensorflow ``tf.Variable`` s and ``tf.nn`` ops in ``tf.function`` steps compiled by XLA, Adam written out.
- ``keras``: Keras 3 in its own virtual environment (``$BRICKWORK_KERAS_VENV``, else
  ``~/.cache/brickwork-keras-venv``); skipped with the reason when that venv's python is missing.
- ``brickwork``: the very same Keras program, run as ``import brickwork as keras``.

Round r runs every contender once, in turn, for each engine; the table gives the median over rounds of
CPU time (``time.process_time``: the machine is shared, CPU time is what noise disturbs least), its
min-max, and the ratios brickwork/Keras and brickwork/hand-written of the medians (wall time ratio beside).
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINES = ("torch", "jax", "tensorflow")
CONTENDERS = ("hand", "keras", "brickwork")
ROWS_PREDICT = 4096  # rows given to predict and evaluate
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "JAX_PLATFORMS": "cpu", "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
}

# ------------------------------------------------------------------------------------------------ workloads
# Each workload: batch size, fit steps per timed fit, data maker, the Keras program (shared by Keras and
# brickwork), and the hand-written torch and jax programs.


def _data_float(rng, rows, shape):
    return rng.random((rows, *shape), dtype=np.float32)


WORKLOADS = {
    "tiny": dict(title="tiny Dense(1) on 8 features", batch=32, fit_steps=128, loss="mse",
                 x=lambda rng, n: _data_float(rng, n, (8,)), y=lambda rng, n: _data_float(rng, n, (1,))),
    "mlp": dict(title="MLP 128-256-128-10", batch=64, fit_steps=64, loss="sparse_ce",
                x=lambda rng, n: _data_float(rng, n, (128,)), y=lambda rng, n: rng.integers(0, 10, n)),
    "cnn": dict(title="2-conv CNN 28x28x1, channels_last", batch=32, fit_steps=32, loss="sparse_ce",
                x=lambda rng, n: _data_float(rng, n, (28, 28, 1)), y=lambda rng, n: rng.integers(0, 10, n)),
    "lstm": dict(title="LSTM(32), 20 steps of 16", batch=32, fit_steps=32, loss="mse",
                 x=lambda rng, n: _data_float(rng, n, (20, 16)), y=lambda rng, n: _data_float(rng, n, (1,))),
    "transformer": dict(title="transformer block, 16x32, 4 heads", batch=32, fit_steps=32, loss="sparse_ce",
                        x=lambda rng, n: _data_float(rng, n, (16, 32)), y=lambda rng, n: rng.integers(0, 10, n)),
    "embedding": dict(title="Embedding(1000, 32) + pooling, 32 tokens", batch=32, fit_steps=64, loss="bce",
                      x=lambda rng, n: rng.integers(0, 1000, (n, 32)).astype("int32"),
                      y=lambda rng, n: rng.integers(0, 2, (n, 1)).astype("float32")),
}
# Dense stacks of 1 to 64 layers, Dense(32, relu) each: the per-layer slope of a step, i.e. what each layer costs.
STACK_DEPTHS = (1, 16, 64)
for _depth in STACK_DEPTHS:
    WORKLOADS[f"stack{_depth}"] = dict(title=f"{_depth} x Dense(32, relu)", batch=32, fit_steps=16, loss="mse",
                                       depth=_depth, x=lambda rng, n: _data_float(rng, n, (32,)),
                                       y=lambda rng, n: _data_float(rng, n, (32,)))
DEFAULT_WORKLOADS = [name for name in WORKLOADS if not name.startswith("stack")]
# compile(steps_per_execution=...) of Keras 3 and brickwork (--steps-per-execution); the hand-written loops step
# one batch at a time whatever it is. Workers read it from their environment.
STEPS_PER_EXECUTION = int(os.environ.get("VERSUS_KERAS_STEPS_PER_EXECUTION", "1"))


def keras_model(keras, name):
    """The Keras program of a workload; the same text builds it on Keras 3 and on brickwork."""
    layers = keras.layers
    if name.startswith("stack"):
        depth = WORKLOADS[name]["depth"]
        return keras.Sequential([keras.Input((32,))] + [layers.Dense(32, activation="relu") for _ in range(depth)])
    if name == "tiny":
        return keras.Sequential([keras.Input((8,)), layers.Dense(1)])
    if name == "mlp":
        return keras.Sequential([keras.Input((128,)), layers.Dense(256, activation="relu"),
                                 layers.Dense(128, activation="relu"), layers.Dense(10)])
    if name == "cnn":
        return keras.Sequential([keras.Input((28, 28, 1)),
                                 layers.Conv2D(8, 3, activation="relu", data_format="channels_last"),
                                 layers.MaxPooling2D(2, data_format="channels_last"),
                                 layers.Conv2D(16, 3, activation="relu", data_format="channels_last"),
                                 layers.MaxPooling2D(2, data_format="channels_last"),
                                 layers.Flatten(), layers.Dense(10)])
    if name == "lstm":
        return keras.Sequential([keras.Input((20, 16)), layers.LSTM(32), layers.Dense(1)])
    if name == "transformer":
        inputs = keras.Input((16, 32))
        attended = layers.MultiHeadAttention(num_heads=4, key_dim=8)(inputs, inputs)
        h = layers.LayerNormalization()(layers.Add()([inputs, attended]))
        ff = layers.Dense(32)(layers.Dense(64, activation="relu")(h))
        h = layers.LayerNormalization()(layers.Add()([h, ff]))
        outputs = layers.Dense(10)(layers.GlobalAveragePooling1D()(h))
        return keras.Model(inputs, outputs)
    if name == "embedding":
        return keras.Sequential([keras.Input((32,), dtype="int32"), layers.Embedding(1000, 32),
                                 layers.GlobalAveragePooling1D(), layers.Dense(1)])
    raise ValueError(f"unknown workload {name!r}")


def keras_loss(keras, kind):
    if kind == "mse":
        return "mse"
    if kind == "sparse_ce":
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return keras.losses.BinaryCrossentropy(from_logits=True)


class KerasRunner:
    """Keras 3 or brickwork, driven by the same calls."""

    def __init__(self, keras, name, spec):
        self.keras, self.name, self.spec = keras, name, spec

    def first_step(self, x, y):
        keras = self.keras
        self.model = keras_model(keras, self.name)
        self.model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras_loss(keras, self.spec["loss"]),
                           steps_per_execution=STEPS_PER_EXECUTION)
        batch = self.spec["batch"]
        self.model.fit(x[:batch], y[:batch], batch_size=batch, epochs=1, shuffle=False, verbose=0)

    def fit(self, x, y):
        self.model.fit(x, y, batch_size=self.spec["batch"], epochs=1, shuffle=False, verbose=0)

    def predict(self, x, batch):
        return self.model.predict(x, batch_size=batch, verbose=0)

    def evaluate(self, x, y, batch):
        return self.model.evaluate(x, y, batch_size=batch, verbose=0)

    def prepare_call(self, x1):
        self.x1 = self.keras.ops.convert_to_tensor(x1)

    def call(self):
        return self.keras.ops.convert_to_numpy(self.model(self.x1))


# ---------------------------------------------------------------- hand-written torch


def torch_module(torch, name):
    nn = torch.nn
    if name.startswith("stack"):
        return nn.Sequential(*[m for _ in range(WORKLOADS[name]["depth"]) for m in (nn.Linear(32, 32), nn.ReLU())])
    if name == "tiny":
        return nn.Linear(8, 1)
    if name == "mlp":
        return nn.Sequential(nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "cnn":  # the natural torch program: NCHW, the data transposed once up front
        return nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 5 * 5, 10))
    if name == "lstm":
        class LSTMNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm, self.dense = nn.LSTM(16, 32, batch_first=True), nn.Linear(32, 1)

            def forward(self, x):
                return self.dense(self.lstm(x)[0][:, -1])
        return LSTMNet()
    if name == "transformer":
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.attention = nn.MultiheadAttention(32, 4, batch_first=True)
                self.norm1, self.norm2 = nn.LayerNorm(32, eps=1e-3), nn.LayerNorm(32, eps=1e-3)
                self.ff = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 32))
                self.head = nn.Linear(32, 10)

            def forward(self, x):
                h = self.norm1(x + self.attention(x, x, x, need_weights=False)[0])
                h = self.norm2(h + self.ff(h))
                return self.head(h.mean(dim=1))
        return Block()
    if name == "embedding":
        class Pooled(nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding, self.dense = nn.Embedding(1000, 32), nn.Linear(32, 1)

            def forward(self, x):
                return self.dense(self.embedding(x).mean(dim=1))
        return Pooled()
    raise ValueError(name)


class TorchRunner:
    def __init__(self, torch, name, spec):
        self.torch, self.name, self.spec = torch, name, spec
        self.loss_fn = {"mse": torch.nn.MSELoss(), "sparse_ce": torch.nn.CrossEntropyLoss(),
                        "bce": torch.nn.BCEWithLogitsLoss()}[spec["loss"]]

    def tensors(self, x, y=None):
        torch = self.torch
        if self.name == "cnn":
            x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
        xt = torch.from_numpy(x if x.dtype != np.int32 else x.astype(np.int64))
        if y is None:
            return xt
        return xt, torch.from_numpy(y.astype(np.int64) if self.spec["loss"] == "sparse_ce" else y)

    def first_step(self, x, y):
        torch = self.torch
        self.net = torch_module(torch, self.name)
        self.optimizer = torch.optim.Adam(self.net.parameters(), lr=1e-3, foreach=True)
        batch = self.spec["batch"]
        self._fit(*self.tensors(x[:batch], y[:batch]))

    def _fit(self, xt, yt):
        batch = self.spec["batch"]
        for start in range(0, len(xt), batch):
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.net(xt[start:start + batch]), yt[start:start + batch])
            loss.backward()
            self.optimizer.step()
            loss.item()

    def fit(self, x, y):
        self._fit(*self.tensors(x, y))

    def predict(self, x, batch):
        xt = self.tensors(x)
        with self.torch.inference_mode():
            return self.torch.cat([self.net(xt[s:s + batch]) for s in range(0, len(xt), batch)]).numpy()

    def evaluate(self, x, y, batch):
        xt, yt = self.tensors(x, y)
        total = 0.0
        with self.torch.inference_mode():
            for s in range(0, len(xt), batch):
                xb = xt[s:s + batch]
                total = total + self.loss_fn(self.net(xb), yt[s:s + batch]) * len(xb)
        return (total / len(xt)).item()

    def prepare_call(self, x1):
        self.x1 = self.tensors(x1)

    def call(self):
        with self.torch.no_grad():
            return self.net(self.x1).numpy()


# ---------------------------------------------------------------- hand-written jax


def jax_program(jax, name):
    """``(params, forward)`` of a workload written in plain jax."""
    jnp = jax.numpy
    keys = iter(jax.random.split(jax.random.PRNGKey(0), 32))

    def dense(fan_in, fan_out):
        return {"w": jax.random.normal(next(keys), (fan_in, fan_out)) * (1 / fan_in) ** 0.5,
                "b": jnp.zeros((fan_out,))}

    def apply_dense(p, h):
        return h @ p["w"] + p["b"]

    def layer_norm(p, h):
        mean = h.mean(-1, keepdims=True)
        var = ((h - mean) ** 2).mean(-1, keepdims=True)
        return (h - mean) * jax.lax.rsqrt(var + 1e-3) * p["gamma"] + p["beta"]

    def max_pool(h):
        return jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    def conv(p, h):
        out = jax.lax.conv_general_dilated(h, p["w"], (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"))
        return jax.nn.relu(out + p["b"])

    if name.startswith("stack"):
        def stack(params, x):
            for p in params:
                x = jax.nn.relu(apply_dense(p, x))
            return x
        return [dense(32, 32) for _ in range(WORKLOADS[name]["depth"])], stack
    if name == "tiny":
        return [dense(8, 1)], lambda params, x: apply_dense(params[0], x)
    if name == "mlp":
        def mlp(params, x):
            h = jax.nn.relu(apply_dense(params[0], x))
            return apply_dense(params[2], jax.nn.relu(apply_dense(params[1], h)))
        return [dense(128, 256), dense(256, 128), dense(128, 10)], mlp
    if name == "cnn":
        params = [{"w": jax.random.normal(next(keys), (3, 3, 1, 8)) * 0.3, "b": jnp.zeros((8,))},
                  {"w": jax.random.normal(next(keys), (3, 3, 8, 16)) * 0.1, "b": jnp.zeros((16,))},
                  dense(400, 10)]

        def cnn(params, x):
            h = max_pool(conv(params[1], max_pool(conv(params[0], x))))
            return apply_dense(params[2], h.reshape(h.shape[0], -1))
        return params, cnn
    if name == "lstm":
        params = [{"kernel": dense(16, 128)["w"], "recurrent": dense(32, 128)["w"], "b": jnp.zeros((128,))},
                  dense(32, 1)]

        def lstm(params, x):
            # Each step projects its own input: on the CPU, XLA runs this scan ~3x faster than one reading a
            # precomputed (time, batch, gates) projection.
            cell = params[0]

            def step(carry, x_t):
                h, c = carry
                i, f, g, o = jnp.split(x_t @ cell["kernel"] + cell["b"] + h @ cell["recurrent"], 4, axis=-1)
                c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
                h = jax.nn.sigmoid(o) * jnp.tanh(c)
                return (h, c), None

            zeros = jnp.zeros((x.shape[0], 32), x.dtype)
            (h, _), _ = jax.lax.scan(step, (zeros, zeros), jnp.swapaxes(x, 0, 1))
            return apply_dense(params[1], h)
        return params, lstm
    if name == "transformer":
        def norm():
            return {"gamma": jnp.ones((32,)), "beta": jnp.zeros((32,))}
        params = {"q": dense(32, 32), "k": dense(32, 32), "v": dense(32, 32), "o": dense(32, 32),
                  "n1": norm(), "n2": norm(), "f1": dense(32, 64), "f2": dense(64, 32), "head": dense(32, 10)}

        def block(p, x):
            def heads(h):
                return h.reshape(h.shape[0], h.shape[1], 4, 8)
            q, k, v = (heads(apply_dense(p[n], x)) for n in "qkv")
            scores = jax.nn.softmax(jnp.einsum("bqhd,bkhd->bhqk", q, k) / jnp.sqrt(8.0), axis=-1)
            attended = jnp.einsum("bhqk,bkhd->bqhd", scores, v).reshape(x.shape)
            h = layer_norm(p["n1"], x + apply_dense(p["o"], attended))
            h = layer_norm(p["n2"], h + apply_dense(p["f2"], jax.nn.relu(apply_dense(p["f1"], h))))
            return apply_dense(p["head"], h.mean(axis=1))
        return params, block
    if name == "embedding":
        params = {"table": jax.random.normal(next(keys), (1000, 32)) * 0.05, "dense": dense(32, 1)}
        return params, lambda p, x: apply_dense(p["dense"], jnp.take(p["table"], x, axis=0).mean(axis=1))
    raise ValueError(name)


class JaxRunner:
    """An optimized jax loop: jitted steps, the training state donated, batches sliced on the host."""

    def __init__(self, jax, name, spec):
        self.jax, self.name, self.spec = jax, name, spec
        jnp = jax.numpy
        kind = spec["loss"]

        def loss_of(logits, y):
            if kind == "mse":
                return jnp.mean((logits - y) ** 2)
            if kind == "sparse_ce":
                logp = jax.nn.log_softmax(logits)
                return -jnp.mean(jnp.take_along_axis(logp, y[:, None].astype("int32"), axis=1))
            return jnp.mean(jnp.maximum(logits, 0) - logits * y + jnp.log1p(jnp.exp(-jnp.abs(logits))))

        self.loss_of = loss_of

    def first_step(self, x, y):
        jax, tree = self.jax, self.jax.tree_util
        jnp = jax.numpy
        params, forward = jax_program(jax, self.name)
        loss_of = self.loss_of

        def train_step(state, xb, yb):
            params, m, v, t = state
            loss, grads = jax.value_and_grad(lambda p: loss_of(forward(p, xb), yb))(params)
            t = t + 1
            m = tree.tree_map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
            v = tree.tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
            lr = 1e-3 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            params = tree.tree_map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + 1e-7), params, m, v)
            return (params, m, v, t), loss

        def test_step(params, total, xb, yb):
            return total + loss_of(forward(params, xb), yb) * xb.shape[0]

        self.train_step = jax.jit(train_step, donate_argnums=(0,))
        self.test_step = jax.jit(test_step, donate_argnums=(1,))
        self.forward = jax.jit(forward)
        zeros = tree.tree_map(jnp.zeros_like, params)
        self.state = (params, zeros, tree.tree_map(jnp.zeros_like, params), jnp.zeros((), "float32"))
        batch = self.spec["batch"]
        self.fit(x[:batch], y[:batch])

    def fit(self, x, y):
        batch = self.spec["batch"]
        for start in range(0, len(x), batch):
            self.state, loss = self.train_step(self.state, x[start:start + batch], y[start:start + batch])
            float(loss)

    def predict(self, x, batch):
        params = self.state[0]
        outputs = [self.forward(params, x[s:s + batch]) for s in range(0, len(x), batch)]
        return np.concatenate([np.asarray(o) for o in outputs])

    def evaluate(self, x, y, batch):
        params, total = self.state[0], self.jax.numpy.zeros((), "float32")
        for s in range(0, len(x), batch):
            total = self.test_step(params, total, x[s:s + batch], y[s:s + batch])
        return float(total) / len(x)

    def prepare_call(self, x1):
        self.x1 = self.jax.numpy.asarray(x1)

    def call(self):
        return np.asarray(self.forward(self.state[0], self.x1))


# ---------------------------------------------------------------- hand-written tensorflow


def tf_program(tf, name):
    """``(variables, forward)`` of a workload written in plain TensorFlow (``tf.Variable`` s, ``tf.nn`` ops)."""
    rng = np.random.default_rng(0)

    def variable(shape, scale):
        return tf.Variable(rng.normal(size=shape).astype("float32") * scale)

    def dense(fan_in, fan_out):
        return {"w": variable((fan_in, fan_out), (1 / fan_in) ** 0.5), "b": tf.Variable(tf.zeros((fan_out,)))}

    def apply_dense(p, h):
        return tf.matmul(h, p["w"]) + p["b"]

    def conv(p, h):
        return tf.nn.relu(tf.nn.conv2d(h, p["w"], 1, "VALID") + p["b"])

    def max_pool(h):
        return tf.nn.max_pool2d(h, 2, 2, "VALID")

    def layer_norm(p, h):
        mean, var = tf.nn.moments(h, axes=[-1], keepdims=True)
        return (h - mean) * tf.math.rsqrt(var + 1e-3) * p["gamma"] + p["beta"]

    if name.startswith("stack"):
        def stack(params, x):
            for p in params:
                x = tf.nn.relu(apply_dense(p, x))
            return x
        return [dense(32, 32) for _ in range(WORKLOADS[name]["depth"])], stack
    if name == "tiny":
        return [dense(8, 1)], lambda params, x: apply_dense(params[0], x)
    if name == "mlp":
        def mlp(params, x):
            h = tf.nn.relu(apply_dense(params[0], x))
            return apply_dense(params[2], tf.nn.relu(apply_dense(params[1], h)))
        return [dense(128, 256), dense(256, 128), dense(128, 10)], mlp
    if name == "cnn":
        params = [{"w": variable((3, 3, 1, 8), 0.3), "b": tf.Variable(tf.zeros((8,)))},
                  {"w": variable((3, 3, 8, 16), 0.1), "b": tf.Variable(tf.zeros((16,)))}, dense(400, 10)]

        def cnn(params, x):
            h = max_pool(conv(params[1], max_pool(conv(params[0], x))))
            return apply_dense(params[2], tf.reshape(h, (-1, 400)))
        return params, cnn
    if name == "lstm":
        params = [{"kernel": dense(16, 128)["w"], "recurrent": dense(32, 128)["w"], "b": tf.Variable(tf.zeros((128,)))},
                  dense(32, 1)]

        def lstm(params, x):
            cell = params[0]
            h = c = tf.zeros((tf.shape(x)[0], 32))
            for t in range(x.shape[1]):  # unrolled: 20 static steps
                gates = tf.matmul(x[:, t], cell["kernel"]) + cell["b"] + tf.matmul(h, cell["recurrent"])
                i, f, g, o = tf.split(gates, 4, axis=-1)
                c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
                h = tf.sigmoid(o) * tf.tanh(c)
            return apply_dense(params[1], h)
        return params, lstm
    if name == "transformer":
        def norm():
            return {"gamma": tf.Variable(tf.ones((32,))), "beta": tf.Variable(tf.zeros((32,)))}
        params = {"q": dense(32, 32), "k": dense(32, 32), "v": dense(32, 32), "o": dense(32, 32),
                  "n1": norm(), "n2": norm(), "f1": dense(32, 64), "f2": dense(64, 32), "head": dense(32, 10)}

        def block(p, x):
            def heads(h):
                return tf.reshape(h, (-1, 16, 4, 8))
            q, k, v = (heads(apply_dense(p[n], x)) for n in "qkv")
            scores = tf.nn.softmax(tf.einsum("bqhd,bkhd->bhqk", q, k) / 8.0 ** 0.5, axis=-1)
            attended = tf.reshape(tf.einsum("bhqk,bkhd->bqhd", scores, v), (-1, 16, 32))
            h = layer_norm(p["n1"], x + apply_dense(p["o"], attended))
            h = layer_norm(p["n2"], h + apply_dense(p["f2"], tf.nn.relu(apply_dense(p["f1"], h))))
            return apply_dense(p["head"], tf.reduce_mean(h, axis=1))
        return params, block
    if name == "embedding":
        params = {"table": variable((1000, 32), 0.05), "dense": dense(32, 1)}
        return params, lambda p, x: apply_dense(p["dense"], tf.reduce_mean(tf.gather(p["table"], x), axis=1))
    raise ValueError(name)


class TfRunner:
    """A hand-written TensorFlow loop: ``tf.function`` steps compiled by XLA, Adam written out, the loss read."""

    def __init__(self, tf, name, spec):
        self.tf, self.name, self.spec = tf, name, spec
        kind = spec["loss"]

        def loss_of(logits, y):
            if kind == "mse":
                return tf.reduce_mean(tf.square(logits - y))
            if kind == "sparse_ce":
                return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(tf.cast(y, tf.int32), logits))
            return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(y, logits))

        self.loss_of = loss_of

    def first_step(self, x, y):
        tf = self.tf
        params, forward = tf_program(tf, self.name)
        variables = tf.nest.flatten(params)
        slots = [(tf.Variable(tf.zeros_like(v)), tf.Variable(tf.zeros_like(v))) for v in variables]
        step = tf.Variable(0.0)
        loss_of = self.loss_of

        @tf.function(jit_compile=True)
        def train_step(xb, yb):
            with tf.GradientTape() as tape:
                loss = loss_of(forward(params, xb), yb)
            grads = [tf.convert_to_tensor(g) for g in tape.gradient(loss, variables)]  # a gather's are IndexedSlices
            step.assign_add(1.0)
            lr = 1e-3 * tf.sqrt(1 - 0.999 ** step) / (1 - 0.9 ** step)
            for v, g, (m, s) in zip(variables, grads, slots):
                m.assign(0.9 * m + 0.1 * g)
                s.assign(0.999 * s + 0.001 * g * g)
                v.assign_sub(lr * m / (tf.sqrt(s) + 1e-7))
            return loss

        @tf.function(jit_compile=True)
        def test_step(xb, yb):
            return loss_of(forward(params, xb), yb) * tf.cast(tf.shape(xb)[0], tf.float32)

        self.train_step, self.test_step = train_step, test_step
        self.forward = tf.function(lambda xb: forward(params, xb), jit_compile=True)
        batch = self.spec["batch"]
        self.fit(x[:batch], y[:batch])

    def fit(self, x, y):
        batch = self.spec["batch"]
        for start in range(0, len(x), batch):
            float(self.train_step(x[start:start + batch], y[start:start + batch]))

    def predict(self, x, batch):
        return np.concatenate([self.forward(x[s:s + batch]).numpy() for s in range(0, len(x), batch)])

    def evaluate(self, x, y, batch):
        total = sum(self.test_step(x[s:s + batch], y[s:s + batch]) for s in range(0, len(x), batch))
        return float(total) / len(x)

    def prepare_call(self, x1):
        self.x1 = self.tf.convert_to_tensor(x1)

    def call(self):
        return self.forward(self.x1).numpy()


# ------------------------------------------------------------------------------------------------ worker


def _timed(fn, target_s, max_calls):
    """CPU and wall seconds per call of ``fn``, after one warm-up call (compilation, caches)."""
    start = time.perf_counter()
    fn()
    warm = time.perf_counter() - start
    calls = max(1, min(max_calls, math.ceil(target_s / max(warm, 1e-6))))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(calls):
        fn()
    return [(time.process_time() - cpu0) / calls, (time.perf_counter() - wall0) / calls]


def worker(contender, engine, workloads) -> dict:
    """Run one contender on one engine in this fresh process; returns {row: [cpu_s, wall_s]}."""
    import warnings

    warnings.filterwarnings("ignore")
    results = {}
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if contender == "hand":
        engine_module = __import__(engine)
        if engine == "jax":
            import jax.numpy  # noqa: F401 - part of what a jax program imports
    elif contender == "keras":
        import keras as framework
    else:
        import brickwork as framework
    results["import"] = [time.process_time() - cpu0, time.perf_counter() - wall0]
    if engine == "torch":
        import torch

        torch.set_num_threads(1)
    if contender == "hand":
        runner_class = {"torch": TorchRunner, "jax": JaxRunner, "tensorflow": TfRunner}[engine]
    rng = np.random.default_rng(0)
    for name in workloads:
        spec = WORKLOADS[name]
        if contender == "hand":
            runner = runner_class(engine_module, name, spec)
        else:
            runner = KerasRunner(framework, name, spec)
        n_fit = spec["batch"] * spec["fit_steps"]
        x_fit, y_fit = spec["x"](rng, n_fit), spec["y"](rng, n_fit)
        x_eval, y_eval = spec["x"](rng, ROWS_PREDICT), spec["y"](rng, ROWS_PREDICT)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        runner.first_step(x_fit, y_fit)
        results[f"{name}/first step"] = [time.process_time() - cpu0, time.perf_counter() - wall0]
        per_fit = _timed(lambda: runner.fit(x_fit, y_fit), 0.3, 5)
        results[f"{name}/fit step"] = [t / spec["fit_steps"] for t in per_fit]
        for batch in (32, 1024):
            results[f"{name}/predict b{batch}"] = _timed(lambda: runner.predict(x_eval, batch), 0.2, 20)
            results[f"{name}/evaluate b{batch}"] = _timed(lambda: runner.evaluate(x_eval, y_eval, batch), 0.2, 20)
        runner.prepare_call(x_eval[:1])
        results[f"{name}/model(x) b1"] = _timed(runner.call, 0.2, 2000)
    return results


# ------------------------------------------------------------------------------------------------ driver


def keras_python() -> str:
    venv = os.environ.get("BRICKWORK_KERAS_VENV", os.path.expanduser("~/.cache/brickwork-keras-venv"))
    return os.path.join(venv, "bin", "python")


def run_worker(contender, engine, workloads) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KERAS_BACKEND", "BRICKWORK_BACKEND")}
    env.update(SINGLE_THREAD_ENV)
    python = sys.executable
    if contender == "keras":
        python, env["KERAS_BACKEND"] = keras_python(), engine
    else:
        env["PYTHONPATH"], env["BRICKWORK_BACKEND"] = ROOT, engine
    command = [python, os.path.abspath(__file__), "--worker", contender, engine, "--workloads", *workloads]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir(),
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{contender} on {engine} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _format_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def _cell(samples):
    cpu = [s[0] for s in samples]
    return (f"{_format_seconds(statistics.median(cpu))} "
            f"({_format_seconds(min(cpu)).split()[0]}–{_format_seconds(max(cpu))})")


def _ratio(numerator, denominator, index=0):
    if not numerator or not denominator:
        return "—"
    return f"{statistics.median(s[index] for s in numerator) / statistics.median(s[index] for s in denominator):.2f}"


def table(samples, engines, contenders, rounds, skipped, command, date) -> str:
    """The markdown table: per engine and row, each contender's median CPU time (min–max over rounds)."""
    lines = [f"Measured with `{command}`: {rounds} interleaved rounds, one thread per contender, "
             f"{platform.processor() or platform.machine()} with {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, {date}.",
             "",
             "Each cell: median CPU time (`time.process_time`) over the rounds, min–max in brackets; "
             "fit step is per batch, predict and evaluate per call over "
             f"{ROWS_PREDICT:,} rows, `model(x)` per call on one row, first step = build + compile + one "
             "training step in a fresh process after import. Ratios are of the medians, CPU time; "
             "\"wall\" is the same ratio in wall time.",
             ""]
    for reason in skipped:
        lines += [f"Skipped: {reason}", ""]
    for engine in engines:
        lines += [f"#### {engine}", "",
                  "| row | hand-written | Keras 3 | brickwork | brickwork / Keras | brickwork / hand "
                  "| wall: brickwork / Keras |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        rows = list(next(iter(samples[engine].values()))) if samples[engine] else []
        for row in rows:
            per = {c: samples[engine].get(c, {}).get(row, []) for c in CONTENDERS}
            cells = [_cell(per[c]) if per[c] else "—" for c in CONTENDERS]
            lines.append(f"| {row} | {' | '.join(cells)} | {_ratio(per['brickwork'], per['keras'])} | "
                         f"{_ratio(per['brickwork'], per['hand'])} | {_ratio(per['brickwork'], per['keras'], 1)} |")
        lines.append("")
    return "\n".join(lines)


SUMMARY_COLUMNS = ("fit step", "predict b32", "predict b1024", "evaluate b32", "evaluate b1024", "model(x) b1",
                   "first step")


def slope_lines(per_contender) -> list[str]:
    """The per-layer slope, from the shallowest to the deepest Dense stack measured: what one more layer costs."""
    depths = [d for d in STACK_DEPTHS if f"stack{d}/fit step" in per_contender.get("brickwork", {})]
    if len(depths) < 2:
        return []
    low, high = depths[0], depths[-1]
    lines = ["", f"Per-layer slope (Dense(32) stacks of {low} to {high} layers), median CPU time per added layer:", ""]
    for column in ("fit step", "predict b32", "model(x) b1"):
        slopes = {}
        for contender, rows in per_contender.items():
            a, b = rows.get(f"stack{low}/{column}"), rows.get(f"stack{high}/{column}")
            if a and b:
                slopes[contender] = (statistics.median(s[0] for s in b) - statistics.median(s[0] for s in a)) / (high - low)
        cells = ", ".join(f"{c} {_format_seconds(v)}" for c, v in slopes.items())
        ratio = f" (brickwork / Keras {slopes['brickwork'] / slopes['keras']:.2f})" \
            if slopes.get("keras", 0) > 0 and "brickwork" in slopes else ""
        lines.append(f"- {column}: {cells}{ratio}")
    return lines + [""]


def summary(samples, engines, rounds, command, date) -> str:
    """The README's table: per engine and workload, brickwork/Keras 3 (brickwork/hand-written) of the median CPU
    times."""
    lines = [f"`{command}`, {rounds} rounds, {date}:", ""]
    for engine in engines:
        per_contender = samples[engine]
        if "brickwork" not in per_contender:
            continue
        rows = per_contender["brickwork"]
        workloads = list(dict.fromkeys(row.split("/")[0] for row in rows if "/" in row))
        lines += [f"| {engine} | " + " | ".join(SUMMARY_COLUMNS) + " |", "| --- " * (len(SUMMARY_COLUMNS) + 1) + "|"]
        for workload in workloads:
            cells = []
            for column in SUMMARY_COLUMNS:
                row = f"{workload}/{column}"
                ours = rows.get(row)
                keras = per_contender.get("keras", {}).get(row)
                hand = per_contender.get("hand", {}).get(row)
                cells.append(f"{_ratio(ours, keras)} ({_ratio(ours, hand)})")
            lines.append(f"| {workload} | " + " | ".join(cells) + " |")
        lines += slope_lines(per_contender)
        imports = [per_contender.get(c, {}).get("import") for c in ("keras", "hand")]
        lines += ["", f"`import` on {engine}: brickwork / Keras 3 {_ratio(rows.get('import'), imports[0])}, "
                      f"brickwork / the engine alone {_ratio(rows.get('import'), imports[1])}.", ""]
    return "\n".join(lines)


def write_between_markers(path, name, text) -> None:
    """Replace what lies between ``<!-- begin versus_keras NAME -->`` and ``<!-- end versus_keras NAME -->``."""
    begin, end = f"<!-- begin versus_keras {name} -->", f"<!-- end versus_keras {name} -->"
    with open(path) as handle:
        lines = handle.read().split("\n")
    if begin not in lines or end not in lines:  # markers are whole lines, so prose may quote them
        raise ValueError(f"--write: {path} has no `{begin}` ... `{end}` lines to write the {name} between.")
    first, last = lines.index(begin), lines.index(end)
    with open(path, "w") as handle:
        handle.write("\n".join(lines[:first + 1] + text.strip().split("\n") + lines[last:]))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", nargs=2, metavar=("CONTENDER", "ENGINE"), help=argparse.SUPPRESS)
    parser.add_argument("--engines", nargs="*", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--contenders", nargs="*", default=list(CONTENDERS), choices=CONTENDERS)
    parser.add_argument("--workloads", nargs="*", default=DEFAULT_WORKLOADS, choices=list(WORKLOADS),
                        help="default: all but the Dense stacks; `--workloads stack1 stack16 stack64` gives the "
                             "per-layer slope")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps-per-execution", type=int, default=1,
                        help="compile(steps_per_execution=N) for Keras 3 and brickwork (the hand-written loops step "
                             "one batch at a time)")
    parser.add_argument("--write", nargs="*", metavar="PATH", default=[],
                        help="markdown files to update between their `<!-- begin versus_keras table -->` / "
                             "`summary` markers and the matching end markers")
    parser.add_argument("--json", metavar="PATH", help="write every sample there")
    parser.add_argument("--from-json", metavar="PATH", help="make the tables from samples saved by --json")
    args = parser.parse_args(argv)
    os.environ["VERSUS_KERAS_STEPS_PER_EXECUTION"] = str(args.steps_per_execution)  # the workers inherit it
    if args.worker:
        print(json.dumps(worker(*args.worker, args.workloads)))
        return
    if args.from_json:
        with open(args.from_json) as handle:
            saved = json.load(handle)
        samples, skipped, command, rounds = saved["samples"], saved["skipped"], saved["command"], saved["rounds"]
        date = saved["date"]
        engines = list(samples)
        contenders = [c for c in CONTENDERS if any(c in samples[e] for e in engines)]
    else:
        samples, skipped, contenders = measure(args)
        command = "python benchmarks/versus_keras.py " + " ".join(argv if argv is not None else sys.argv[1:])
        engines, rounds, date = args.engines, args.rounds, time.strftime("%Y-%m-%d")
    text = table(samples, engines, contenders, rounds, skipped, command.strip(), date)
    brief = summary(samples, engines, rounds, command.strip(), date)
    print(text)
    print(brief)
    for path in args.write:
        with open(path) as handle:
            lines = handle.read().split("\n")
        if "<!-- begin versus_keras table -->" in lines:
            write_between_markers(path, "table", text)
        if "<!-- begin versus_keras summary -->" in lines or "<!-- begin versus_keras table -->" not in lines:
            write_between_markers(path, "summary", brief)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"command": command.strip(), "rounds": rounds, "date": date, "skipped": skipped,
                       "samples": samples},
                      handle, indent=1)


def _importable(python: str, module: str) -> bool:
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False).returncode == 0


def measure(args):
    """Run the rounds: round r runs each contender once, in turn, on each engine. Returns (samples, skipped,
    contenders) with samples[engine][contender][row] = [[cpu_s, wall_s] per round]."""
    contenders = list(args.contenders)
    skipped = []
    if "keras" in contenders and not os.path.exists(keras_python()):
        contenders.remove("keras")
        skipped.append(f"Keras 3: no python at {keras_python()} (set BRICKWORK_KERAS_VENV to a venv with "
                       "keras==3.15.1, torch and jax)")
    # Installing a wheel byte-compiles it, as it did torch, jax and Keras here; a source checkout run with
    # PYTHONDONTWRITEBYTECODE set never would, and every `import brickwork` would compile ~200 files first.
    compileall.compile_dir(os.path.join(ROOT, "brickwork"), quiet=1)
    engines = list(args.engines)
    if "tensorflow" in engines and not _importable(sys.executable, "tensorflow"):
        engines.remove("tensorflow")
        skipped.append("tensorflow: not installed here (`pip install -c constraints.txt -e \".[tensorflow]\"`)")
    per_engine = {engine: list(contenders) for engine in engines}
    if "tensorflow" in engines and "keras" in contenders and not _importable(keras_python(), "tensorflow"):
        per_engine["tensorflow"].remove("keras")
        skipped.append(f"Keras 3 on tensorflow: no tensorflow in {keras_python()} (pip install tensorflow-cpu there)")
    args.engines = engines
    samples = {engine: {c: {} for c in per_engine[engine]} for engine in engines}
    for round_index in range(args.rounds):
        for engine in engines:
            for contender in per_engine[engine]:
                start = time.perf_counter()
                result = run_worker(contender, engine, args.workloads)
                for row, value in result.items():
                    samples[engine][contender].setdefault(row, []).append(value)
                print(f"round {round_index + 1}/{args.rounds} {engine:5s} {contender:9s} "
                      f"{time.perf_counter() - start:5.1f} s", file=sys.stderr, flush=True)
    return samples, skipped, contenders


if __name__ == "__main__":
    main()
