"""Quantized inference, brickwork beside Keras 3.15.1: ``python -m conformance.quantization [--write]``.

A tiny KerasHub-style decoder (token ``Embedding``, two transformer blocks of causal ``MultiHeadAttention`` —
whose projections are ``EinsumDense`` — and a ``Dense`` MLP, a ``ReversibleEmbedding`` as the output head),
built from plain layers with the same float weights in brickwork (torch) and in Keras 3.15.1 (torch, in its own
virtual environment), is quantized to int8 and to int4 on each side; both decode 16 tokens greedily from the
same prompt. Then: the bytes of the weights in float32, int8 and int4, and the speed of an int8 ``Dense``
against a float32 one on the torch CPU engine (one thread, ``time.process_time``, rounds interleaved).
``--write`` writes the table to ``conformance/quantization.md``.

The same file runs on Keras's side (``--keras IN OUT``), so both sides build the model from one definition.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

VOCAB, DIM, HEADS, STEPS = 64, 32, 4, 16
PROMPT = [5, 17, 42, 8]
MODES = ("float32", "int8", "int4")
HERE = pathlib.Path(__file__).resolve().parent


def build_decoder(keras):
    """The decoder, from ``keras`` (Keras or brickwork): token ids ``(batch, length)`` -> logits."""
    layers = keras.layers
    ids = keras.Input((None,), dtype="int32")
    x = layers.Embedding(VOCAB, DIM)(ids)
    for _ in range(2):
        attention = layers.MultiHeadAttention(HEADS, DIM // HEADS)(x, x, use_causal_mask=True)
        x = layers.LayerNormalization()(layers.Add()([x, attention]))
        hidden = layers.Dense(2 * DIM, activation="gelu")(x)
        x = layers.LayerNormalization()(layers.Add()([x, layers.Dense(DIM)(hidden)]))
    head = layers.ReversibleEmbedding(VOCAB, DIM, tie_weights=False)
    head.build((None, None))
    return keras.Model(ids, head(x, reverse=True))


def greedy(model, convert) -> list[int]:
    tokens = list(PROMPT)
    for _ in range(STEPS):
        logits = convert(model(np.array([tokens], "int32")))
        tokens.append(int(np.argmax(logits[0, -1])))
    return tokens[len(PROMPT):]


def run_side(keras, convert, floats: list) -> dict:
    """Greedy tokens, first-step logits and weight bytes of each mode."""
    results = {}
    for mode in MODES:
        model = build_decoder(keras)
        model.set_weights(floats)
        if mode != "float32":
            model.quantize(mode)
        results[f"{mode}_tokens"] = np.array(greedy(model, convert))
        results[f"{mode}_logits"] = convert(model(np.array([PROMPT], "int32")))
        results[f"{mode}_bytes"] = np.array(sum(convert(w).nbytes for w in model.weights))
    return results


def _keras_python() -> str:
    venv = pathlib.Path(os.environ.get("BRICKWORK_KERAS_VENV", pathlib.Path.home() / ".cache" / "brickwork-keras-venv"))
    return str(venv / "bin" / "python")


def dense_speed(keras, rounds: int = 7, calls: int = 30) -> dict:
    """Seconds per call of Dense(1024 -> 1024) on 64 rows, float32 and int8, on the torch engine, one thread."""
    import torch

    layers, ops = keras.layers, keras.ops
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    x = ops.convert_to_tensor(rng.normal(size=(64, 1024)).astype("float32"))
    timings = {}
    built = {}
    for mode in ("float32", "int8"):
        layer = layers.Dense(1024)
        layer.build((None, 1024))
        if mode == "int8":
            layer.quantize("int8")
        built[mode] = layer
        timings[mode] = []
    with torch.no_grad():
        for layer in built.values():
            layer(x)  # warm up
        for _ in range(rounds):  # interleaved, so that machine noise falls on both alike
            for mode, layer in built.items():
                start = time.process_time()
                for _ in range(calls):
                    layer(x)
                timings[mode].append((time.process_time() - start) / calls)
    return {mode: float(np.median(values)) for mode, values in timings.items()}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--keras"]:  # Keras's side, in its virtual environment
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras

        data = np.load(argv[1])
        floats = [data[f"w{i}"] for i in range(len(data.files))]
        speed = {f"{mode}_seconds": np.array(value) for mode, value in dense_speed(keras).items()}
        np.savez(argv[2], **run_side(keras, keras.ops.convert_to_numpy, floats), **speed)
        return 0
    os.environ.setdefault("BRICKWORK_BACKEND", "torch")
    import brickwork
    from brickwork import backend

    def convert(x):
        return np.asarray(backend.convert_to_numpy(x))

    brickwork.utils.set_random_seed(0)
    floats = [convert(w) for w in build_decoder(brickwork).weights]
    ours = run_side(brickwork, convert, floats)
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = os.path.join(folder, "in.npz"), os.path.join(folder, "out.npz")
        np.savez(inputs, **{f"w{i}": w for i, w in enumerate(floats)})
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "BRICKWORK"))}
        subprocess.run([_keras_python(), str(HERE / "quantization.py"), "--keras", inputs, outputs], check=True,
                       env=dict(env, KERAS_BACKEND="torch"), cwd=folder)
        with np.load(outputs) as saved:
            theirs = {key: saved[key] for key in saved.files}
    speed = dense_speed(brickwork)
    rows = [("| mode | greedy tokens (brickwork) | same as Keras | first-step logits, max abs diff | weight bytes "
             "(brickwork / Keras) |"), "|---|---|---|---|---|"]
    for mode in MODES:
        tokens, same = ours[f"{mode}_tokens"], np.array_equal(ours[f"{mode}_tokens"], theirs[f"{mode}_tokens"])
        diff = float(np.max(np.abs(ours[f"{mode}_logits"] - theirs[f"{mode}_logits"])))
        rows.append(f"| {mode} | {' '.join(map(str, tokens))} | {'yes' if same else 'NO'} | {diff:.2e} | "
                    f"{int(ours[f'{mode}_bytes']):,} / {int(theirs[f'{mode}_bytes']):,} |")
    agree = sum(int(a == b) for a, b in zip(ours["int8_tokens"], ours["float32_tokens"]))
    agree4 = sum(int(a == b) for a, b in zip(ours["int4_tokens"], ours["float32_tokens"]))
    text = "\n".join([
        "# Quantized inference: brickwork beside Keras 3.15.1", "",
        "Written by `python -m conformance.quantization --write` (see its docstring); do not edit by hand.", "",
        (f"A {VOCAB}-token decoder (dimension {DIM}, two causal attention blocks, ReversibleEmbedding head), the "
         f"same float weights on both sides, torch engine; greedy decoding of {STEPS} tokens from {PROMPT}."), "",
        *rows, "",
        f"Quantized tokens equal to the float32 ones: int8 {agree}/{STEPS}, int4 {agree4}/{STEPS}.", "",
        ("int8 `Dense(1024 -> 1024)` on 64 rows, torch CPU engine, one thread (median of interleaved rounds, "
         "`time.process_time`): "
         f"brickwork float32 {speed['float32'] * 1e3:.2f} ms, int8 {speed['int8'] * 1e3:.2f} ms per call "
         f"(int8 / float32 = {speed['int8'] / speed['float32']:.2f}); Keras 3.15.1 (its own process, measured the "
         f"same way) float32 {float(theirs['float32_seconds']) * 1e3:.2f} ms, int8 "
         f"{float(theirs['int8_seconds']) * 1e3:.2f} ms "
         f"(int8 / float32 = {float(theirs['int8_seconds']) / float(theirs['float32_seconds']):.2f})."), ""])
    print(text)
    if "--write" in argv:
        (HERE / "quantization.md").write_text(text)
    same_everywhere = all(np.array_equal(ours[f"{m}_tokens"], theirs[f"{m}_tokens"]) for m in MODES)
    return 0 if same_everywhere else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
