"""Learning-rate schedules: callables from the optimizer's step to a learning rate.

Every schedule is branch-free on tensors (``ops.where`` rather than ``ops.cond``), so that it
runs inside ``jax.jit`` and on an accelerator without reading the step back to the host.
"""

from __future__ import annotations

import difflib
import math

from brickwork import backend, ops


class LearningRateSchedule:
    """The base class of learning-rate schedules: ``schedule(step)`` returns the learning rate.

    Subclasses implement ``__call__(step)`` and, to be serializable, ``get_config()``.

    Example:
    >>> class InverseStep(LearningRateSchedule):
    ...     def __init__(self, initial_learning_rate):
    ...         self.initial_learning_rate = initial_learning_rate
    ...     def __call__(self, step):
    ...         return self.initial_learning_rate / (step + 1)
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def _float_tensor(value):
    """``value`` as a tensor of a float dtype (floatx for Python ints and floats)."""
    tensor = ops.convert_to_tensor(value)
    if not backend.is_float(tensor.dtype):
        tensor = ops.cast(tensor, backend.floatx())
    return tensor


def _check_positive(name: str, value) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive; the steps over which the rate is multiplied by ``decay_rate``.
        decay_rate: the decay factor.
        staircase: if ``True``, ``step / decay_steps`` is floored (the rate drops in steps).
        name: the schedule's name.

    Example:
    >>> schedule = ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.96, staircase=True)
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "ExponentialDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        p = ops.divide(ops.cast(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            p = ops.floor(p)
        return ops.multiply(initial, ops.power(ops.cast(self.decay_rate, dtype), p))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[1]`` while ``step <= boundaries[1]``, …

    Args:
        boundaries: strictly increasing step numbers.
        values: one more value than ``boundaries``.
        name: the schedule's name.

    Example:
    >>> schedule = PiecewiseConstantDecay([100, 110], [1.0, 0.5, 0.1])
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} "
                f"of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = ops.convert_to_tensor(step)
        values = [ops.convert_to_tensor(v) for v in self.values]
        dtype = values[0].dtype
        boundaries = [ops.cast(b, step.dtype) for b in self.boundaries]
        # The sum over intervals of (step in interval) * value: branch-free.
        result = ops.multiply(ops.cast(ops.less_equal(step, boundaries[0]), dtype), values[0])
        result = ops.add(result, ops.multiply(ops.cast(ops.greater(step, boundaries[-1]), dtype), values[-1]))
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            inside = ops.logical_and(ops.greater(step, low), ops.less_equal(step, high))
            result = ops.add(result, ops.multiply(ops.cast(inside, dtype), value))
        return result

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Decay from ``initial_learning_rate`` to ``end_learning_rate`` as ``(1 - step / decay_steps) ** power``.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive; the steps to reach ``end_learning_rate``.
        end_learning_rate: the final learning rate.
        power: the power of the polynomial.
        cycle: if ``True``, restart the decay at each multiple of ``decay_steps`` (stretched).
        name: the schedule's name.

    Example:
        schedule = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
        float(schedule(5)), float(schedule(20))   # (0.05, 0.0)
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, end_learning_rate: float = 0.0001,
                 power: float = 1.0, cycle: bool = False, name: str = "PolynomialDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        end = ops.cast(self.end_learning_rate, dtype)
        step = ops.cast(step, dtype)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.cycle:
            # The first multiple of decay_steps not below step (1 at step 0).
            multiplier = ops.where(ops.equal(step, 0), 1.0, ops.ceil(ops.divide(step, decay_steps)))
            decay_steps = ops.multiply(decay_steps, ops.cast(multiplier, dtype))
        else:
            step = ops.minimum(step, decay_steps)
        p = ops.divide(step, decay_steps)
        decayed = ops.power(ops.subtract(1.0, p), ops.cast(self.power, dtype))
        return ops.add(ops.multiply(ops.subtract(initial, end), decayed), end)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive; how often the decay is applied.
        decay_rate: the decay rate.
        staircase: if ``True``, ``step / decay_steps`` is floored.
        name: the schedule's name.

    Example:
        schedule = InverseTimeDecay(0.1, decay_steps=10, decay_rate=1.0)
        float(schedule(10))   # 0.05: 0.1 / (1 + 1.0 * 10 / 10)
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "InverseTimeDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        p = ops.divide(ops.cast(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            p = ops.floor(p)
        return ops.divide(initial, ops.add(1.0, ops.multiply(ops.cast(self.decay_rate, dtype), p)))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


def _cosine(fraction, alpha, dtype):
    """``(1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha``."""
    cosine = ops.multiply(0.5, ops.add(1.0, ops.cos(ops.multiply(ops.cast(math.pi, dtype), fraction))))
    return ops.add(ops.multiply(1.0 - alpha, cosine), alpha)


class CosineDecay(LearningRateSchedule):
    """Optional linear warmup, then cosine decay to ``alpha`` times the peak learning rate.

    Without ``warmup_target``, the rate decays from ``initial_learning_rate`` over ``decay_steps``.
    With it, the rate rises linearly from ``initial_learning_rate`` to ``warmup_target`` over
    ``warmup_steps``, then decays from ``warmup_target`` over ``decay_steps``.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive; the steps of the cosine decay.
        alpha: the final learning rate as a fraction of the peak.
        name: the schedule's name.
        warmup_target: the learning rate at the end of warmup, or ``None`` for no warmup.
        warmup_steps: the steps of the warmup.

    Example:
    >>> schedule = CosineDecay(0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=100)
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0,
                 name: str = "CosineDecay", warmup_target: float | None = None, warmup_steps: int = 0):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        decay_steps = ops.cast(self.decay_steps, dtype)
        step = ops.cast(step, dtype)
        if self.warmup_target is None:
            fraction = ops.divide(ops.minimum(step, decay_steps), decay_steps)
            return ops.multiply(initial, _cosine(fraction, self.alpha, dtype))
        target = ops.cast(self.warmup_target, dtype)
        warmup_steps = ops.cast(self.warmup_steps, dtype)
        step = ops.minimum(step, ops.add(decay_steps, warmup_steps))
        # max(warmup_steps, 1) keeps the unused branch finite when there is no warmup.
        warmup = ops.add(
            ops.multiply(ops.subtract(target, initial), ops.divide(step, ops.maximum(warmup_steps, 1.0))),
            initial,
        )
        fraction = ops.divide(ops.subtract(step, warmup_steps), decay_steps)
        decayed = ops.multiply(target, _cosine(fraction, self.alpha, dtype))
        return ops.where(ops.less(step, warmup_steps), warmup, decayed)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period ``t_mul`` times longer, ``m_mul`` times lower.

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: positive; the steps of the first period.
        t_mul: the factor of each period's length over the previous one.
        m_mul: the factor of each period's initial rate over the previous one.
        alpha: the minimum learning rate as a fraction of ``initial_learning_rate``.
        name: the schedule's name.

    Example:
        schedule = CosineDecayRestarts(0.1, first_decay_steps=10)
        float(schedule(0)), float(schedule(5))   # (0.1, 0.05): back to 0.1 at step 10
        optimizer = keras.optimizers.SGD(learning_rate=schedule)
    """

    def __init__(self, initial_learning_rate: float, first_decay_steps: int, t_mul: float = 2.0,
                 m_mul: float = 1.0, alpha: float = 0.0, name: str = "SGDRDecay"):
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        fraction = ops.divide(ops.cast(step, dtype), ops.cast(self.first_decay_steps, dtype))
        t_mul = ops.cast(self._t_mul, dtype)
        if self._t_mul == 1.0:
            restart = ops.floor(fraction)
            fraction = ops.subtract(fraction, restart)
        else:
            # Periods grow geometrically: restart i begins at (1 - t_mul**i) / (1 - t_mul).
            restart = ops.floor(ops.divide(ops.log(ops.subtract(1.0, ops.multiply(fraction, 1.0 - t_mul))),
                                           ops.log(t_mul)))
            begun = ops.divide(ops.subtract(1.0, ops.power(t_mul, restart)), 1.0 - t_mul)
            fraction = ops.divide(ops.subtract(fraction, begun), ops.power(t_mul, restart))
        m_factor = ops.power(ops.cast(self._m_mul, dtype), restart)
        cosine = ops.multiply(ops.multiply(0.5, m_factor),
                              ops.add(1.0, ops.cos(ops.multiply(ops.cast(math.pi, dtype), fraction))))
        decayed = ops.add(ops.multiply(1.0 - self.alpha, cosine), self.alpha)
        return ops.multiply(initial, decayed)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_BUILT_IN = {cls.__name__: cls for cls in (
    ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay,
    CosineDecayRestarts,
)}
_MODULE = "keras.optimizers.schedules"


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """The schedule as a JSON-compatible dict, in the format Keras writes.

    Args:
        learning_rate_schedule: a learning-rate schedule.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
    >>> serialize(ExponentialDecay(0.1, 1000, 0.96))["class_name"]
    'ExponentialDecay'
    """
    cls = type(learning_rate_schedule)
    built_in = _BUILT_IN.get(cls.__name__) is cls
    return {
        "module": _MODULE if built_in else cls.__module__,
        "class_name": cls.__name__,
        "config": learning_rate_schedule.get_config(),
        "registered_name": None if built_in else cls.__name__,
    }


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """The schedule described by ``config`` (``{"class_name": ..., "config": {...}}``).

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: object}`` to look names up in.

    Returns:
        The object the config describes.

    Example:
        config = serialize(ExponentialDecay(0.1, decay_steps=100, decay_rate=0.9))
        deserialize(config).decay_steps   # 100
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "schedules.deserialize: expected a dict with keys 'class_name' and 'config', "
            f"received {config!r}."
        )
    name = config.get("registered_name") or config["class_name"]
    custom_objects = custom_objects or {}
    cls = custom_objects.get(name) or custom_objects.get(config["class_name"]) or _BUILT_IN.get(config["class_name"])
    if cls is None:
        close = difflib.get_close_matches(config["class_name"], list(_BUILT_IN), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ValueError(
            f"Unknown learning rate schedule: {config['class_name']!r}.{hint} "
            f"Built-in schedules are: {', '.join(sorted(_BUILT_IN))}; pass others in `custom_objects`."
        )
    return cls.from_config(dict(config.get("config", {})))
