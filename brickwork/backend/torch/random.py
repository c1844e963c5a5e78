"""torch backend: random ops.

Each function takes a drawn ``seed`` (a tensor ``[seed, counter]`` from
``brickwork.random.draw_seed``) and samples from a ``torch.Generator`` seeded with it,
so the same seed gives the same numbers without touching torch's global generator.
"""

from __future__ import annotations

import contextlib

import torch

from brickwork.backend.torch.core import convert_to_tensor, get_device, to_torch_dtype

_LOW_PRECISION = (torch.float16, torch.bfloat16)


def random_seed_dtype() -> str:
    """The dtype of seed tensors (int64: torch lacks arithmetic on uint32)."""
    return "int64"


def is_tracing() -> bool:
    """True while ``torch.compile`` traces (unseeded random ops would be baked in)."""
    return torch.compiler.is_compiling()


def seed_engine(seed: int) -> None:
    """Seed torch's global generators (CPU and every GPU)."""
    torch.manual_seed(seed)


def _mix(seed) -> int:
    first, second = (int(v) for v in seed.tolist())
    return (first * 0x9E3779B1 + second) % (2**63)


def _generator(seed, device):
    """A generator on ``device`` seeded from ``seed``; ``None`` during abstract evaluation."""
    if device.type == "meta" or seed.device.type == "meta":
        return None
    generator = torch.Generator(device=device)
    generator.manual_seed(_mix(seed))
    return generator


@contextlib.contextmanager
def _seeded_global(seed, device):
    """For samplers that take no generator (gamma, binomial, beta): seed the global one, then restore."""
    if device.type == "meta" or seed.device.type == "meta":
        yield
        return
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(_mix(seed))
        yield


def _device():
    return torch.device(get_device())


def _float_dtype(dtype):
    """Sample in float32 when ``dtype`` is half precision (CPU kernels lack some), cast after."""
    target = to_torch_dtype(dtype)
    return target, (torch.float32 if target in _LOW_PRECISION else target)


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    target, work = _float_dtype(dtype)
    device = _device()
    x = torch.randn(tuple(shape), generator=_generator(seed, device), dtype=work, device=device)
    return (x * stddev + mean).to(target)


def uniform(shape, minval=0.0, maxval=1.0, dtype="float32", seed=None):
    target, work = _float_dtype(dtype)
    device = _device()
    x = torch.rand(tuple(shape), generator=_generator(seed, device), dtype=work, device=device)
    return (x * (maxval - minval) + minval).to(target)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    target, work = _float_dtype(dtype)
    device = _device()
    x = torch.empty(tuple(shape), dtype=work, device=device)
    if device.type != "meta":
        torch.nn.init.trunc_normal_(x, 0.0, 1.0, -2.0, 2.0, generator=_generator(seed, device))
    return (x * stddev + mean).to(target)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    device = _device()
    x = torch.randint(int(minval), int(maxval), tuple(shape), generator=_generator(seed, device),
                      dtype=torch.int64, device=device)
    return x.to(to_torch_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    probs = torch.softmax(logits.float() if logits.dtype in _LOW_PRECISION else logits, dim=-1)
    if probs.device.type == "meta":
        return torch.empty((probs.shape[0], num_samples), dtype=to_torch_dtype(dtype), device=probs.device)
    samples = torch.multinomial(probs, num_samples, replacement=True, generator=_generator(seed, probs.device))
    return samples.to(to_torch_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(d if n is None else n for n, d in zip(noise_shape, inputs.shape))
    keep = 1.0 - rate
    if inputs.device.type == "meta":
        return inputs
    mask = torch.rand(noise_shape, generator=_generator(seed, inputs.device), device=inputs.device) < keep
    return torch.where(mask, inputs / keep, torch.zeros((), dtype=inputs.dtype, device=inputs.device))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    if x.device.type == "meta":
        return x
    permutation = torch.randperm(x.shape[axis], generator=_generator(seed, x.device), device=x.device)
    return torch.index_select(x, axis, permutation)


def gamma(shape, alpha, dtype="float32", seed=None):
    target, work = _float_dtype(dtype)
    device = _device()
    alpha = torch.broadcast_to(convert_to_tensor(alpha, dtype=work), tuple(shape))
    with _seeded_global(seed, device):
        sample = torch.distributions.Gamma(alpha, 1.0).sample() if device.type != "meta" else alpha
    return sample.to(target)


def binomial(shape, counts, probabilities, dtype="float32", seed=None):
    target, work = _float_dtype(dtype)
    device = _device()
    counts = torch.broadcast_to(convert_to_tensor(counts, dtype=work), tuple(shape))
    probabilities = torch.broadcast_to(convert_to_tensor(probabilities, dtype=work), tuple(shape))
    if device.type == "meta":
        return torch.empty(tuple(shape), dtype=target, device=device)
    with _seeded_global(seed, device):
        sample = torch.binomial(counts, probabilities)
    return sample.to(target)


def beta(shape, alpha, beta, dtype="float32", seed=None):
    target, work = _float_dtype(dtype)
    device = _device()
    alpha = torch.broadcast_to(convert_to_tensor(alpha, dtype=work), tuple(shape))
    beta = torch.broadcast_to(convert_to_tensor(beta, dtype=work), tuple(shape))
    if device.type == "meta":
        return torch.empty(tuple(shape), dtype=target, device=device)
    with _seeded_global(seed, device):
        sample = torch.distributions.Beta(alpha, beta).sample()
    return sample.to(target)
