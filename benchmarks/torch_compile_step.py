"""``jit_compile=True`` against eager on torch: time per training step, compile time, graph breaks.

    python benchmarks/torch_compile_step.py [--cases mlp,dense1] [--rounds 5] [--epochs 2]

The cases are ``fit_step.py``'s (an MLP 784-512-256-10 at batch 128 and Dense(1) on 8 features at batch 32,
Adam). Each candidate is a model compiled once and warmed up by one epoch (which, for ``jit_compile=True``,
includes ``torch.compile``'s work: reported as the compile time). Then rounds alternate between the two
candidates, each timing ``epochs`` epochs of ``fit``; CPU time (``time.process_time``) is printed beside wall
time, as medians with min-max, one thread. Graph breaks are counted by Dynamo's own counters over the whole
run: the compiled step must have none.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("BRICKWORK_BACKEND", "torch")
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch._dynamo.utils import counters  # noqa: E402

from benchmarks.fit_step import CASES, make_data  # noqa: E402
from brickwork import layers, losses, models, optimizers  # noqa: E402


def build(case, jit_compile: bool):
    model = models.Sequential([layers.Input((case["features"],))]
                              + [layers.Dense(h, activation="relu") for h in case["hidden"]]
                              + [layers.Dense(case["outputs"])])
    loss = "mse" if case["outputs"] == 1 else losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=optimizers.Adam(1e-3), loss=loss, jit_compile=jit_compile)
    return model


def timed_fit(model, case, x, y, epochs) -> tuple[float, float]:
    """(wall, cpu) seconds per step of ``epochs`` epochs of ``fit``."""
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(x, y, batch_size=case["batch"], epochs=epochs, shuffle=False, verbose=0)
    steps = epochs * case["steps"]
    return (time.perf_counter() - wall) / steps, (time.process_time() - cpu) / steps


def spread(values) -> str:
    return f"{statistics.median(values) * 1e3:.3f} ms ({min(values) * 1e3:.3f}-{max(values) * 1e3:.3f})"


def run_case(name: str, rounds: int, epochs: int) -> None:
    case = CASES[name]
    x, y = make_data(case)
    models_by_mode, compile_seconds = {}, {}
    for jit in (False, True):
        model = build(case, jit)
        start = time.perf_counter()
        model.fit(x, y, batch_size=case["batch"], epochs=1, shuffle=False, verbose=0)  # warm-up (+ compile)
        compile_seconds[jit] = time.perf_counter() - start
        models_by_mode[jit] = model
    samples = {jit: ([], []) for jit in (False, True)}
    for _ in range(rounds):
        for jit, model in models_by_mode.items():
            wall, cpu = timed_fit(model, case, x, y, epochs)
            samples[jit][0].append(wall)
            samples[jit][1].append(cpu)
    eager_cpu, jit_cpu = (statistics.median(samples[j][1]) for j in (False, True))
    eager_wall, jit_wall = (statistics.median(samples[j][0]) for j in (False, True))
    print(f"{name}: eager   cpu {spread(samples[False][1])}  wall {spread(samples[False][0])}")
    print(f"{name}: compile cpu {spread(samples[True][1])}  wall {spread(samples[True][0])}")
    print(f"{name}: jit_compile / eager = {jit_cpu / eager_cpu:.2f}x cpu, {jit_wall / eager_wall:.2f}x wall; "
          f"first epoch (compile included) {compile_seconds[True]:.1f} s against {compile_seconds[False]:.1f} s eager")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="mlp,dense1")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    counters.clear()
    for name in args.cases.split(","):
        run_case(name, args.rounds, args.epochs)
    breaks = sum(counters["graph_break"].values())
    print(f"graph breaks: {breaks} {dict(counters['graph_break']) if breaks else ''}; "
          f"graphs compiled: {counters['stats']['unique_graphs']}")


if __name__ == "__main__":
    main()
