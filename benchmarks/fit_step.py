"""Time per training step of ``model.fit`` against a hand-written loop on the same engine.

    BRICKWORK_BACKEND=torch python benchmarks/fit_step.py
    BRICKWORK_BACKEND=jax python benchmarks/fit_step.py

Two cases from the training issue: an MLP 784-512-256-10 (batch 128, Adam) and Dense(1) on
8 features (batch 32, Adam: pure framework overhead). Both loops see the same data in the same
order and read the loss every step, as a progress bar does. Prints the ratio brickwork / hand.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from brickwork import backend, layers, losses, models, optimizers  # noqa: E402

CASES = {
    "mlp": dict(features=784, hidden=(512, 256), outputs=10, batch=128, steps=60),
    "dense1": dict(features=8, hidden=(), outputs=1, batch=32, steps=400),
}


def make_data(case, seed=0):
    rng = np.random.default_rng(seed)
    n = case["batch"] * case["steps"]
    x = rng.random((n, case["features"]), dtype=np.float32)
    if case["outputs"] == 1:
        y = rng.random((n, 1), dtype=np.float32)
    else:
        y = rng.integers(0, case["outputs"], size=n).astype("int64")
    return x, y


def brickwork_model(case):
    model = models.Sequential([layers.Input((case["features"],))]
                              + [layers.Dense(h, activation="relu") for h in case["hidden"]]
                              + [layers.Dense(case["outputs"])])
    loss = "mse" if case["outputs"] == 1 else losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=optimizers.Adam(1e-3), loss=loss)
    return model


def time_brickwork(case, x, y, epochs):
    model = brickwork_model(case)
    model.fit(x, y, batch_size=case["batch"], epochs=1, shuffle=False, verbose=0)  # warm-up / compile
    start = time.perf_counter()
    model.fit(x, y, batch_size=case["batch"], epochs=epochs, shuffle=False, verbose=0)
    return (time.perf_counter() - start) / (epochs * case["steps"])


def time_torch(case, x, y, epochs):
    import torch

    sizes = (case["features"],) + case["hidden"]
    modules = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        modules += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    modules.append(torch.nn.Linear(sizes[-1], case["outputs"]))
    net = torch.nn.Sequential(*modules)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, foreach=True)
    loss_fn = torch.nn.MSELoss() if case["outputs"] == 1 else torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    batch = case["batch"]

    def epoch():
        for i in range(case["steps"]):
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
    return (time.perf_counter() - start) / (epochs * case["steps"])


def time_jax_plain(case, x, y, epochs):
    """A hand-written jax.jit step with Adam written out (no optax dependency)."""
    import jax
    import jax.numpy as jnp

    sizes = (case["features"],) + case["hidden"] + (case["outputs"],)
    key = jax.random.PRNGKey(0)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, sub = jax.random.split(key)
        params.append((jax.random.normal(sub, (fan_in, fan_out), jnp.float32) * 0.05,
                       jnp.zeros((fan_out,), jnp.float32)))
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    regression = case["outputs"] == 1

    def forward(params, xb):
        h = xb
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = jax.nn.relu(h)
        return h

    def loss_fn(params, xb, yb):
        out = forward(params, xb)
        if regression:
            return jnp.mean((out - yb) ** 2)
        logp = jax.nn.log_softmax(out)
        return -jnp.mean(jnp.take_along_axis(logp, yb[:, None], axis=1))

    @jax.jit
    def step(params, m, v, t, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        t = t + 1
        m = jax.tree_util.tree_map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
        lr = 1e-3 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        params = jax.tree_util.tree_map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + 1e-7), params, m, v)
        return params, m, v, t, loss

    xj, yj = jnp.asarray(x), jnp.asarray(y if regression else y.astype("int32"))
    batch = case["batch"]
    state = [params, m, v, jnp.asarray(0.0, jnp.float32)]

    def epoch():
        for i in range(case["steps"]):
            xb, yb = xj[i * batch:(i + 1) * batch], yj[i * batch:(i + 1) * batch]
            *new_state, loss = step(*state, xb, yb)
            state[:] = new_state
            float(loss)

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - start) / (epochs * case["steps"])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    name = backend.backend()
    hand = {"torch": time_torch, "jax": time_jax_plain}[name]
    ratios = {}
    for case_name in args.cases:
        case = CASES[case_name]
        x, y = make_data(case)
        ours, theirs = [], []
        for _ in range(args.rounds):  # alternate so that machine noise hits both alike
            theirs.append(hand(case, x, y, args.epochs))
            ours.append(time_brickwork(case, x, y, args.epochs))
        ours_t, theirs_t = float(np.median(ours)), float(np.median(theirs))
        ratios[case_name] = ours_t / theirs_t
        print(f"{name:6s} {case_name:7s} hand-written {theirs_t * 1e6:9.1f} us/step   "
              f"brickwork {ours_t * 1e6:9.1f} us/step   ratio {ours_t / theirs_t:5.2f}x")
    return ratios


if __name__ == "__main__":
    main()
