"""What GPTQ and AWQ share: calibration samples, and a pass through the model one block at a time.

``calibrate_blocks`` takes the model's structure — ``{"pre_block_layers": [...], "sequential_blocks": [...]}``,
from the config or ``Model.get_quantization_layer_structure`` — runs the calibration samples through the layers
before the blocks (an embedding), then for each block: watches the inputs of its ``Dense``/``EinsumDense``
layers on every sample, quantizes each of them from what it saw, and feeds the block's outputs (computed with
the block now quantized) to the next block, so later blocks calibrate on what they will really receive.

Example:
>>> samples = get_dataloader(tokenizer, sequence_length=128, dataset=texts, num_samples=16)   # (16, 1, 128)
"""

from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np

from brickwork import backend, ops
from brickwork.quantizers.model_quantization import should_quantize_layer


def get_dataloader(tokenizer, sequence_length: int, dataset, num_samples: int = 128, *, strategy: str = "strided",
                   seed: int = 42, stride: int | None = None, eos_id: int | None = None) -> np.ndarray:
    """``num_samples`` windows of ``sequence_length`` tokens from ``dataset``, as an int32 array of shape
    ``(num_samples, 1, sequence_length)``, made on the host.

    Args:
        tokenizer: its ``tokenize(text)`` turns each string of ``dataset`` into ids (unused for token data).
        sequence_length: tokens per window.
        dataset: an iterable of strings, or of token ids (arrays of any shape, flattened).
        num_samples: how many windows; the token stream is repeated when it is too short to give them.
        strategy: where windows start: ``"strided"`` (evenly spaced from an offset derived from ``seed``, as
            Keras does: with Python's ``hash``, which changes between processes unless ``PYTHONHASHSEED`` is set),
            ``"linspace"`` (evenly spaced from the first token) or ``"random"`` (``seed``).
        seed: the seed of ``"random"`` and of the ``"strided"`` offset.
        stride: the distance between ``"strided"`` windows (default: the stream spread over ``num_samples``).
        eos_id: put between documents (strings), so that a window shows where one ends.
    """
    if not hasattr(dataset, "__iter__") or isinstance(dataset, (str, bytes)):
        raise TypeError("The `dataset` argument must be an iterable (e.g., a list of strings, a generator, or a "
                        f"NumPy array). Got type: {type(dataset).__name__}. Please pass the loaded dataset "
                        "directly (brickwork does not download calibration sets by name).")
    documents = list(dataset)
    if not documents:
        raise ValueError("Provided dataset is empty: calibration needs at least one string or array of token ids.")
    pieces = []
    for index, document in enumerate(documents):
        if isinstance(document, str):
            pieces.append(np.asarray(backend.convert_to_numpy(tokenizer.tokenize(document))).reshape(-1))
            if eos_id is not None and index < len(documents) - 1:
                pieces.append(np.array([eos_id], np.int32))
        else:
            pieces.append(np.asarray(backend.convert_to_numpy(document)).reshape(-1))
    tokens = np.concatenate(pieces).astype(np.int32, copy=False)
    needed = num_samples * sequence_length
    if tokens.size < needed:
        tokens = np.tile(tokens, math.ceil(needed / max(1, tokens.size)))
    last_start = tokens.size - sequence_length
    if last_start < 0:
        raise ValueError(f"Not enough tokens to form one sample of length {sequence_length} (have {tokens.size}).")
    starts = _window_starts(strategy, last_start, num_samples, seed, stride)
    windows = np.lib.stride_tricks.sliding_window_view(tokens, sequence_length)[starts]
    return windows.astype(np.int32)[:, None, :]


def _window_starts(strategy: str, last_start: int, count: int, seed: int, stride: int | None) -> np.ndarray:
    if strategy == "random":
        return np.random.default_rng(seed).integers(0, last_start + 1, size=count, dtype=np.int64)
    if strategy == "linspace":
        return np.linspace(0, last_start, count, dtype=np.int64)
    if strategy == "strided":
        stride = max(1, (last_start + 1) // count) if stride is None else stride
        offset = _strided_offset(seed, last_start + 1)
        return (offset + np.arange(count, dtype=np.int64) * stride) % (last_start + 1)
    raise ValueError(f"Unknown strategy: {strategy!r}; expected 'strided', 'linspace' or 'random'.")


def _strided_offset(seed: int, positions: int) -> int:
    """Where strided windows begin: Keras's expression, so both pick the same windows in one hash seed."""
    return abs(hash(("gptq-calib", seed))) % positions if positions > 1 else 0


def find_layers_in_block(block) -> dict:
    """The ``Dense`` and ``EinsumDense`` layers inside ``block`` (and ``block`` itself if it is one), by path."""
    from brickwork.quantizers.calibrated_quantization import CalibratedQuantization

    return {layer.path: layer for layer in block._flatten_layers()
            if len(layer._flatten_layers()) == 1 and isinstance(layer, CalibratedQuantization)}


@contextlib.contextmanager
def watch_layer_inputs(layers: dict, observers: dict):
    """While open, each ``layers[name]`` hands its input, as a float matrix of ``observers[name].rows`` columns,
    to ``observers[name].observe`` before computing as usual."""

    def watching(name, call):
        def call_and_observe(*args, **kwargs):
            inputs = args[0] if args else kwargs["inputs"]
            rows = observers[name].rows
            observers[name].observe(ops.stop_gradient(ops.reshape(inputs, (-1, rows))))
            return call(*args, **kwargs)

        return call_and_observe

    replaced = {}
    try:
        for name, layer in layers.items():
            replaced[name] = layer.__dict__.get("call")  # an instance's own `call`, if it had one
            layer.call = watching(name, layer.call)
        yield
    finally:
        for name, previous in replaced.items():
            if previous is None:
                del layers[name].__dict__["call"]
            else:
                layers[name].call = previous


def calibrate_blocks(dataloader, config, structure: dict, calibrator, filters=None) -> None:
    """Quantize the ``Dense``/``EinsumDense`` layers of ``structure``'s blocks, one block after another.

    Args:
        dataloader: token ids, ``(samples, 1, sequence_length)`` (``get_dataloader``).
        config: the ``GPTQConfig``/``AWQConfig`` (its ``num_samples`` and ``mode``).
        structure: ``{"pre_block_layers": [...], "sequential_blocks": [...]}``.
        calibrator: ``calibrator(layer, config)`` makes the object that ``observe``s a layer's inputs (matrices of
            ``rows`` columns) and ``apply()``s the quantization, then ``free()``s what it held.
        filters: as ``Model.quantize``'s; layers it leaves out stay as they are.
    """
    blocks = structure.get("sequential_blocks", [])
    if not blocks:
        raise ValueError("No sequential blocks found in the provided structure to quantize: "
                         "`quantization_layer_structure['sequential_blocks']` must list the model's blocks.")
    inputs = []
    for batch in dataloader:
        batch = ops.convert_to_tensor(batch, dtype="int32")
        for layer in structure.get("pre_block_layers", []):
            batch = layer(batch)
        inputs.append(ops.stop_gradient(batch))
    inputs = inputs[:min(config.num_samples, len(inputs))]
    from brickwork.utils.progbar import Progbar

    progress = Progbar(target=len(blocks))
    for index, block in enumerate(blocks):
        layers = {name: layer for name, layer in find_layers_in_block(block).items()
                  if should_quantize_layer(layer, filters) and layer.quantization_mode == config.mode}
        if layers:
            calibrators = {name: calibrator(layer, config) for name, layer in layers.items()}
            with watch_layer_inputs(layers, calibrators):
                for sample in inputs:
                    block(_batched(sample))
            for found in calibrators.values():
                found.apply()
                found.free()
        if index < len(blocks) - 1:  # the next block sees this one's outputs (first output, first sample)
            inputs = [ops.stop_gradient(block(_batched(sample))[0]) for sample in inputs]
        progress.update(index + 1)


def warn_uncalibrated(model, mode: str) -> None:
    """Warn about layers left in ``mode`` without calibration (outside the structure's blocks): they compute
    with their float weights, but a file holds only the calibrated variables, so saving would lose them."""
    from brickwork.quantizers.calibrated_quantization import CalibratedQuantization

    left = [layer.name for layer in model._flatten_layers() if isinstance(layer, CalibratedQuantization)
            and layer.quantization_mode == mode and not layer._calibrated()]
    if left:
        warnings.warn(f"{mode.upper()} calibrated only the layers inside the structure's 'sequential_blocks'; "
                      f"{left} are in {mode!r} mode but were not calibrated: they compute with their float weights, "
                      "and a saved file would not hold those (as in Keras). Leave them out with `filters`.",
                      stacklevel=3)


def _batched(sample):
    return ops.expand_dims(sample, 0) if len(sample.shape) == 2 else sample
