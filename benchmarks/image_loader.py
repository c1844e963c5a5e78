"""Images per second read from a folder: ``image_dataset_from_directory`` against a hand-written pipeline.

    python benchmarks/image_loader.py [--images 384] [--size 160] [--rounds 5]

The script writes a folder of JPEG files (two class folders, sizes 200-400 px, seeded) and reads one
full shuffled pass of it, batch 32, resized to ``--size`` squared (bilinear), float32 NHWC batches, with:

- ``brickwork``: ``brickwork.utils.image_dataset_from_directory`` (decoding on its thread pool);
- ``hand (DataLoader)``: the pipeline a PyTorch user writes by hand: a ``Dataset`` opening each file
  with Pillow (``convert("RGB")``, ``resize`` bilinear, ``np.asarray``) in a ``torch.utils.data.DataLoader``
  with 2 worker processes (torch's defaults otherwise, so workers start each pass);
- ``hand (one process)``: the same Pillow code in a plain loop, the floor without parallelism.

Keras 3's own ``image_dataset_from_directory`` needs TensorFlow, so it is not a candidate here.
Rounds are interleaved; each figure is the median over rounds. CPU seconds count this process and its
finished children (the DataLoader's workers), so parallel decoding shows as CPU above wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BATCH = 32


def write_folder(root: str, count: int, seed: int = 0) -> None:
    """``count`` JPEG files of random sizes under ``root/cats`` and ``root/dogs``."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    for index in range(count):
        folder = os.path.join(root, ("cats", "dogs")[index % 2])
        os.makedirs(folder, exist_ok=True)
        height, width = rng.integers(200, 401, size=2)
        pixels = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(os.path.join(folder, f"{index:05d}.jpg"), quality=90)


def brickwork_pass(root: str, size: int):
    from brickwork import utils

    dataset = utils.image_dataset_from_directory(root, image_size=(size, size), batch_size=BATCH, shuffle=True,
                                                 seed=0, verbose=False)

    def run() -> tuple[int, tuple]:
        seen, shape = 0, None
        for images, labels in dataset:
            seen += len(labels)
            shape = images.shape
        return seen, shape

    return run


class _PillowFolder:
    """The hand-written ``torch.utils.data.Dataset``: (float32 HWC image, int label) per file."""

    def __init__(self, root: str, size: int):
        self.size = size
        self.items = [(os.path.join(root, name, file), label)
                      for label, name in enumerate(sorted(os.listdir(root)))
                      for file in sorted(os.listdir(os.path.join(root, name)))]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int):
        from PIL import Image

        path, label = self.items[index]
        with Image.open(path) as image:
            image = image.convert("RGB").resize((self.size, self.size), Image.BILINEAR)
            return np.asarray(image, dtype=np.float32), label


def dataloader_pass(root: str, size: int):
    import torch

    loader = torch.utils.data.DataLoader(_PillowFolder(root, size), batch_size=BATCH, shuffle=True, num_workers=2,
                                         generator=torch.Generator().manual_seed(0))

    def run() -> tuple[int, tuple]:
        seen, shape = 0, None
        for images, labels in loader:
            seen += len(labels)
            shape = tuple(images.shape)
        return seen, shape

    return run


def one_process_pass(root: str, size: int):
    folder = _PillowFolder(root, size)
    rng = np.random.default_rng(0)

    def run() -> tuple[int, tuple]:
        order = rng.permutation(len(folder))
        seen, shape = 0, None
        for start in range(0, len(order), BATCH):
            samples = [folder[int(i)] for i in order[start:start + BATCH]]
            images = np.stack([image for image, _ in samples])
            seen += len(samples)
            shape = images.shape
        return seen, shape

    return run


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(candidates: dict, rounds: int) -> dict:
    """Per candidate: median images/s and median CPU seconds per pass, over interleaved rounds."""
    for run in candidates.values():  # warm-up: imports, file cache, thread pools
        run()
    samples = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, run in candidates.items():
            wall, cpu = time.perf_counter(), _cpu_seconds()
            seen, shape = run()
            samples[name].append((seen / (time.perf_counter() - wall), _cpu_seconds() - cpu, shape))
    return {name: (statistics.median(s[0] for s in values), statistics.median(s[1] for s in values), values[0][2])
            for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=384)
    parser.add_argument("--size", type=int, default=160)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        write_folder(root, args.images)
        candidates = {"brickwork": brickwork_pass(root, args.size),
                      "hand (DataLoader, 2 workers)": dataloader_pass(root, args.size),
                      "hand (one process)": one_process_pass(root, args.size)}
        results = measure(candidates, args.rounds)
    print(f"{args.images} JPEG files (200-400 px) -> batches of {BATCH} x {args.size}x{args.size}x3 float32, "
          f"{os.cpu_count()} CPUs, median of {args.rounds} interleaved passes")
    print(f"{'pipeline':32s} {'images/s':>9s} {'CPU s/pass':>11s}  batch shape")
    for name, (rate, cpu, shape) in results.items():
        print(f"{name:32s} {rate:9.0f} {cpu:11.2f}  {shape}")
    reference = results["hand (DataLoader, 2 workers)"][0]
    print(f"brickwork / hand-written DataLoader throughput: {results['brickwork'][0] / reference:.2f}x")


if __name__ == "__main__":
    main()
