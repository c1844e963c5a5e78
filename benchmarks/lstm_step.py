"""Time per training step of an LSTM model: ``model.fit`` against a hand-written loop on the same engine.

    BRICKWORK_BACKEND=torch python benchmarks/lstm_step.py
    BRICKWORK_BACKEND=jax python benchmarks/lstm_step.py

LSTM(64) over 50 steps of 32 features, then Dense(1); batch 64, mse, Adam. The torch reference is
``torch.nn.LSTM`` + ``torch.nn.Linear`` with ``torch.optim.Adam``; the jax reference is a ``lax.scan``
LSTM in a jitted step with Adam written out. Both loops see the same data in the same order and read
the loss every step, as a progress bar does. Prints the ratio brickwork / hand (target <= 1.3x).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from brickwork import backend, layers, models, optimizers  # noqa: E402

CASE = dict(steps_per_epoch=20, batch=64, timesteps=50, features=32, units=64)


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    n = CASE["batch"] * CASE["steps_per_epoch"]
    x = rng.standard_normal((n, CASE["timesteps"], CASE["features"]), dtype=np.float32)
    y = rng.standard_normal((n, 1), dtype=np.float32)
    return x, y


def time_brickwork(x, y, epochs):
    model = models.Sequential([layers.Input((CASE["timesteps"], CASE["features"])), layers.LSTM(CASE["units"]),
                               layers.Dense(1)])
    model.compile(optimizer=optimizers.Adam(1e-3), loss="mse")
    model.fit(x, y, batch_size=CASE["batch"], epochs=1, shuffle=False, verbose=0)  # warm-up / compile
    start = time.perf_counter()
    model.fit(x, y, batch_size=CASE["batch"], epochs=epochs, shuffle=False, verbose=0)
    return (time.perf_counter() - start) / (epochs * CASE["steps_per_epoch"])


def time_torch(x, y, epochs):
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(CASE["features"], CASE["units"], batch_first=True)
            self.dense = torch.nn.Linear(CASE["units"], 1)

        def forward(self, inputs):
            _, (h, _) = self.lstm(inputs)
            return self.dense(h[0])

    device = backend.get_device()
    net = Net().to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, foreach=True)
    loss_fn = torch.nn.MSELoss()
    xt, yt = torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)
    batch = CASE["batch"]

    def epoch():
        for i in range(CASE["steps_per_epoch"]):
            xb, yb = xt[i * batch:(i + 1) * batch], yt[i * batch:(i + 1) * batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            loss.item()

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - start) / (epochs * CASE["steps_per_epoch"])


def time_jax_plain(x, y, epochs):
    """A jitted step: LSTM by ``lax.scan`` (input projections hoisted), Dense, mse, Adam written out."""
    import jax
    import jax.numpy as jnp

    features, units = CASE["features"], CASE["units"]
    keys = jax.random.split(jax.random.PRNGKey(0), 3)
    params = {
        "kernel": jax.random.normal(keys[0], (features, 4 * units), jnp.float32) * 0.1,
        "recurrent": jax.random.normal(keys[1], (units, 4 * units), jnp.float32) * 0.1,
        "bias": jnp.zeros((4 * units,), jnp.float32),
        "dense": jax.random.normal(keys[2], (units, 1), jnp.float32) * 0.1,
        "dense_bias": jnp.zeros((1,), jnp.float32),
    }
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)

    def forward(p, xb):
        projected = jnp.swapaxes(xb @ p["kernel"] + p["bias"], 0, 1)

        def step(carry, z):
            h, c = carry
            i, f, g, o = jnp.split(z + h @ p["recurrent"], 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None

        zeros = jnp.zeros((xb.shape[0], units), jnp.float32)
        (h, _), _ = jax.lax.scan(step, (zeros, zeros), projected)
        return h @ p["dense"] + p["dense_bias"]

    def loss_fn(p, xb, yb):
        return jnp.mean((forward(p, xb) - yb) ** 2)

    @jax.jit
    def train_step(p, m, v, t, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(p, xb, yb)
        t = t + 1
        m = jax.tree_util.tree_map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
        lr = 1e-3 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        p = jax.tree_util.tree_map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + 1e-7), p, m, v)
        return p, m, v, t, loss

    xj, yj = jnp.asarray(x), jnp.asarray(y)
    batch = CASE["batch"]
    state = [params, m, v, jnp.asarray(0.0, jnp.float32)]

    def epoch():
        for i in range(CASE["steps_per_epoch"]):
            xb, yb = xj[i * batch:(i + 1) * batch], yj[i * batch:(i + 1) * batch]
            *new_state, loss = train_step(*state, xb, yb)
            state[:] = new_state
            float(loss)

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - start) / (epochs * CASE["steps_per_epoch"])


def main(argv=None) -> float:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    name = backend.backend()
    hand = {"torch": time_torch, "jax": time_jax_plain}[name]
    x, y = make_data()
    ours, theirs = [], []
    for _ in range(args.rounds):  # alternate so that machine noise hits both alike
        theirs.append(hand(x, y, args.epochs))
        ours.append(time_brickwork(x, y, args.epochs))
    ours_t, theirs_t = float(np.median(ours)), float(np.median(theirs))
    print(f"{name:6s} lstm    hand-written {theirs_t * 1e6:9.1f} us/step   "
          f"brickwork {ours_t * 1e6:9.1f} us/step   ratio {ours_t / theirs_t:5.2f}x")
    return ours_t / theirs_t


if __name__ == "__main__":
    main()
