"""Time per training step of a small CNN: ``model.fit`` against a hand-written torch loop.

    BRICKWORK_BACKEND=torch python benchmarks/cnn_step.py

Two 3x3 convolutions (16 and 32 filters, ReLU, 2x2 max pooling after each), Flatten, Dense(10) on
28x28x1 images, batch 128, sparse crossentropy from logits, Adam. brickwork runs channels_last as
Keras does; the torch reference runs its native NCHW layout. Both loops see the same data in the
same order and read the loss every step. Prints the ratio brickwork / hand (target <= 1.15x).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from brickwork import backend, layers, losses, models, optimizers  # noqa: E402

CASE = dict(steps_per_epoch=20, batch=128)


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    n = CASE["batch"] * CASE["steps_per_epoch"]
    return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, size=n).astype("int64")


def time_brickwork(x, y, epochs):
    model = models.Sequential([
        layers.Input((28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10),
    ])
    model.compile(optimizer=optimizers.Adam(1e-3), loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=CASE["batch"], epochs=1, shuffle=False, verbose=0)  # warm-up
    start = time.perf_counter()
    model.fit(x, y, batch_size=CASE["batch"], epochs=epochs, shuffle=False, verbose=0)
    return (time.perf_counter() - start) / (epochs * CASE["steps_per_epoch"])


def time_torch(x, y, epochs):
    import torch

    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 5 * 5, 10),
    )
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, foreach=True)
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()
    yt = torch.from_numpy(y)
    batch = CASE["batch"]

    def epoch():
        for i in range(CASE["steps_per_epoch"]):
            xb, yb = xt[i * batch:(i + 1) * batch], yt[i * batch:(i + 1) * batch]
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(net(xb), yb)
            loss.backward()
            opt.step()
            loss.item()

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
    if backend.backend() != "torch":
        raise SystemExit("cnn_step compares against a hand-written torch loop: run it with BRICKWORK_BACKEND=torch.")
    x, y = make_data()
    ours, theirs = [], []
    for _ in range(args.rounds):
        theirs.append(time_torch(x, y, args.epochs))
        ours.append(time_brickwork(x, y, args.epochs))
    ours_t, theirs_t = float(np.median(ours)), float(np.median(theirs))
    print(f"torch  cnn     hand-written {theirs_t * 1e6:9.1f} us/step   brickwork {ours_t * 1e6:9.1f} us/step   "
          f"ratio {ours_t / theirs_t:5.2f}x")
    return ours_t / theirs_t


if __name__ == "__main__":
    main()
