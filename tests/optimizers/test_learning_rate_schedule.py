"""Learning-rate schedules against their formulas, at several steps, and their configs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from brickwork import backend
from brickwork.optimizers import schedules

STEPS = [0, 1, 5, 10, 17, 25, 40, 100]


def _cosine_restarts(step, lr, first, t_mul, m_mul, alpha):
    fraction = step / first
    if t_mul == 1.0:
        restart = math.floor(fraction)
        fraction -= restart
    else:
        restart = math.floor(math.log(1 - fraction * (1 - t_mul)) / math.log(t_mul))
        fraction = (fraction - (1 - t_mul**restart) / (1 - t_mul)) / t_mul**restart
    cosine = 0.5 * m_mul**restart * (1 + math.cos(math.pi * fraction))
    return lr * ((1 - alpha) * cosine + alpha)


def _cosine(step, lr, decay_steps, alpha, warmup_target=None, warmup_steps=0):
    if warmup_target is None:
        fraction = min(step, decay_steps) / decay_steps
        return lr * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha)
    step = min(step, decay_steps + warmup_steps)
    if step < warmup_steps:
        return (warmup_target - lr) * step / warmup_steps + lr
    fraction = (step - warmup_steps) / decay_steps
    return warmup_target * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha)


def _polynomial(step, lr, decay_steps, end, power, cycle):
    if cycle:
        decay_steps = decay_steps * (1.0 if step == 0 else math.ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    return (lr - end) * (1 - step / decay_steps) ** power + end


# (schedule, formula of the step)
CASES = [
    (schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5), lambda s: 0.1 * 0.5 ** (s / 10)),
    (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), lambda s: 0.1 * 0.5 ** (s // 10)),
    (schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
     lambda s: 1.0 if s <= 10 else 0.5 if s <= 20 else 0.1),
    (schedules.PiecewiseConstantDecay([5], [0.3, 0.2]), lambda s: 0.3 if s <= 5 else 0.2),
    (schedules.PolynomialDecay(0.1, 20, end_learning_rate=0.01), lambda s: _polynomial(s, 0.1, 20, 0.01, 1.0, False)),
    (schedules.PolynomialDecay(0.1, 20, 0.01, power=0.5, cycle=True),
     lambda s: _polynomial(s, 0.1, 20, 0.01, 0.5, True)),
    (schedules.PolynomialDecay(0.1, 20, 0.0, power=2.0), lambda s: _polynomial(s, 0.1, 20, 0.0, 2.0, False)),
    (schedules.InverseTimeDecay(0.1, decay_steps=5, decay_rate=0.5), lambda s: 0.1 / (1 + 0.5 * s / 5)),
    (schedules.InverseTimeDecay(0.1, 5, 0.5, staircase=True), lambda s: 0.1 / (1 + 0.5 * (s // 5))),
    (schedules.CosineDecay(0.1, decay_steps=30), lambda s: _cosine(s, 0.1, 30, 0.0)),
    (schedules.CosineDecay(0.1, 30, alpha=0.2), lambda s: _cosine(s, 0.1, 30, 0.2)),
    (schedules.CosineDecay(0.0, 30, alpha=0.1, warmup_target=0.2, warmup_steps=10),
     lambda s: _cosine(s, 0.0, 30, 0.1, 0.2, 10)),
    (schedules.CosineDecay(0.05, 30, warmup_target=0.1, warmup_steps=0), lambda s: _cosine(s, 0.05, 30, 0.0, 0.1, 0)),
    (schedules.CosineDecayRestarts(0.1, first_decay_steps=10),
     lambda s: _cosine_restarts(s, 0.1, 10, 2.0, 1.0, 0.0)),
    (schedules.CosineDecayRestarts(0.1, 10, t_mul=1.0, m_mul=0.5, alpha=0.1),
     lambda s: _cosine_restarts(s, 0.1, 10, 1.0, 0.5, 0.1)),
    (schedules.CosineDecayRestarts(0.1, 8, t_mul=1.5, m_mul=0.8, alpha=0.05),
     lambda s: _cosine_restarts(s, 0.1, 8, 1.5, 0.8, 0.05)),
]


def _case_id(case):
    config = case[0].get_config()
    return type(case[0]).__name__ + "(" + ",".join(f"{k}={v}" for k, v in config.items() if k != "name") + ")"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_schedule_matches_its_formula(case):
    schedule, formula = case
    for step in STEPS:
        value = schedule(step)
        assert backend.standardize_dtype(value.dtype) == "float32"
        np.testing.assert_allclose(backend.convert_to_numpy(value), formula(step), rtol=1e-5, atol=1e-7,
                                   err_msg=f"step {step}")


@pytest.mark.parametrize("case", CASES[:2] + CASES[9:12], ids=_case_id)
def test_schedule_takes_a_step_variable(case):
    schedule, formula = case
    step = backend.Variable(7, dtype="int64", trainable=False, name="step")
    np.testing.assert_allclose(backend.convert_to_numpy(schedule(step)), formula(7), rtol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_config_round_trip(case):
    schedule = case[0]
    config = schedule.get_config()
    clone = type(schedule).from_config(config)
    assert clone.get_config() == config
    serialized = schedules.serialize(schedule)
    assert serialized["module"] == "keras.optimizers.schedules"
    assert serialized["class_name"] == type(schedule).__name__
    restored = schedules.deserialize(serialized)
    assert type(restored) is type(schedule) and restored.get_config() == config
    for step in (0, 13):
        np.testing.assert_allclose(backend.convert_to_numpy(restored(step)),
                                   backend.convert_to_numpy(schedule(step)))


def test_default_names_follow_keras():
    assert schedules.ExponentialDecay(0.1, 1, 0.9).name == "ExponentialDecay"
    assert schedules.PiecewiseConstantDecay([1], [0.1, 0.2]).name == "PiecewiseConstant"
    assert schedules.PolynomialDecay(0.1, 1).name == "PolynomialDecay"
    assert schedules.InverseTimeDecay(0.1, 1, 0.5).name == "InverseTimeDecay"
    assert schedules.CosineDecay(0.1, 1).name == "CosineDecay"
    assert schedules.CosineDecayRestarts(0.1, 1).name == "SGDRDecay"


@pytest.mark.parametrize("make, match", [
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "decay_steps"),
    (lambda: schedules.PolynomialDecay(0.1, -1), "decay_steps"),
    (lambda: schedules.InverseTimeDecay(0.1, 0, 0.5), "decay_steps"),
    (lambda: schedules.CosineDecay(0.1, 0), "decay_steps"),
    (lambda: schedules.CosineDecayRestarts(0.1, 0), "first_decay_steps"),
    (lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2]), "length of boundaries"),
])
def test_bad_arguments_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_deserialize_unknown_and_custom_schedules():
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'ExponentialDecy'.*ExponentialDecay"):
        schedules.deserialize({"class_name": "ExponentialDecy", "config": {}})

    class Halving(schedules.LearningRateSchedule):
        def __init__(self, initial_learning_rate):
            self.initial_learning_rate = initial_learning_rate

        def __call__(self, step):
            return self.initial_learning_rate * 0.5**step

        def get_config(self):
            return {"initial_learning_rate": self.initial_learning_rate}

    serialized = schedules.serialize(Halving(0.4))
    restored = schedules.deserialize(serialized, custom_objects={"Halving": Halving})
    assert restored(2) == pytest.approx(0.1)


def test_base_class_requires_call_and_config():
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        schedules.LearningRateSchedule().get_config()
