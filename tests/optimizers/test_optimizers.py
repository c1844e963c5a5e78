"""Every built-in optimizer's update rule against a NumPy transcription of Keras's formulas.

One table (``CASES``) drives the sweeps: rule vs reference over several steps (with the base
features: weight decay, clipping, accumulation, EMA, loss scaling), the parallel torch kernels vs
the generic ``update_step`` path, convergence on a convex quadratic, config round trips.
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, optimizers
from tests.conftest import BACKEND, requires_training

SHAPES = [(3,), (2, 2)]


# ---- the NumPy reference: Keras's formulas, in float64 ----


def _rule(kind, hp, g, w, s, t, lr, shared):
    """One variable's update at (0-based) step ``t``; ``s`` holds its slots. Returns the new ``w``."""
    zeros = np.zeros_like(w)
    if kind == "sgd":
        mom = hp.get("momentum", 0.0)
        if mom == 0:
            return w - lr * g
        s["m"] = s.get("m", zeros) * mom - g * lr
        return w + (s["m"] * mom - g * lr if hp.get("nesterov") else s["m"])
    if kind in ("adam", "adamw"):
        b1, b2, eps = hp.get("beta_1", 0.9), hp.get("beta_2", 0.999), hp.get("epsilon", 1e-7)
        alpha = lr * np.sqrt(1 - b2 ** (t + 1)) / (1 - b1 ** (t + 1))
        s["m"] = s.get("m", zeros) + (g - s.get("m", zeros)) * (1 - b1)
        s["v"] = s.get("v", zeros) + (g**2 - s.get("v", zeros)) * (1 - b2)
        v = s["v"]
        if hp.get("amsgrad"):
            s["vh"] = v = np.maximum(s.get("vh", zeros), v)
        return w - s["m"] * alpha / (np.sqrt(v) + eps)
    if kind == "rmsprop":
        rho, mom, eps = hp.get("rho", 0.9), hp.get("momentum", 0.0), hp.get("epsilon", 1e-7)
        s["v"] = rho * s.get("v", zeros) + (1 - rho) * g**2
        if hp.get("centered"):
            s["a"] = rho * s.get("a", zeros) + (1 - rho) * g
            denominator = s["v"] - s["a"] ** 2 + eps
        else:
            denominator = s["v"] + eps
        increment = lr * g / np.sqrt(denominator)
        if mom > 0:
            s["mo"] = mom * s.get("mo", zeros) + increment
            return w - s["mo"]
        return w - increment
    if kind == "adagrad":
        s["acc"] = s.get("acc", zeros + hp.get("initial_accumulator_value", 0.1)) + g**2
        return w - lr * g / np.sqrt(s["acc"] + hp.get("epsilon", 1e-7))
    if kind == "adadelta":
        rho, eps = hp.get("rho", 0.95), hp.get("epsilon", 1e-7)
        s["ag"] = rho * s.get("ag", zeros) + (1 - rho) * g**2
        delta = -np.sqrt(s.get("ad", zeros) + eps) * g / np.sqrt(s["ag"] + eps)
        s["ad"] = rho * s.get("ad", zeros) + (1 - rho) * delta**2
        return w + lr * delta
    if kind == "adamax":
        b1, b2, eps = hp.get("beta_1", 0.9), hp.get("beta_2", 0.999), hp.get("epsilon", 1e-7)
        s["m"] = s.get("m", zeros) + (g - s.get("m", zeros)) * (1 - b1)
        s["u"] = np.maximum(b2 * s.get("u", zeros), np.abs(g))
        return w - lr * s["m"] / ((1 - b1 ** (t + 1)) * (s["u"] + eps))
    if kind == "nadam":
        b1, b2, eps = hp.get("beta_1", 0.9), hp.get("beta_2", 0.999), hp.get("epsilon", 1e-7)
        u_t = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        u_t_1 = b1 * (1 - 0.5 * 0.96 ** (t + 2))
        u_product = shared["u_product"]
        s["m"] = s.get("m", zeros) + (g - s.get("m", zeros)) * (1 - b1)
        s["v"] = s.get("v", zeros) + (g**2 - s.get("v", zeros)) * (1 - b2)
        m_hat = u_t_1 * s["m"] / (1 - u_product * u_t_1) + (1 - u_t) * g / (1 - u_product)
        v_hat = s["v"] / (1 - b2 ** (t + 1))
        return w - m_hat * lr / (np.sqrt(v_hat) + eps)
    if kind == "ftrl":
        power = -hp.get("learning_rate_power", -0.5)
        l1, l2 = hp.get("l1_regularization_strength", 0.0), hp.get("l2_regularization_strength", 0.0)
        l2 = l2 + hp.get("beta", 0.0) / (2 * lr)
        acc = s.get("acc", zeros + hp.get("initial_accumulator_value", 0.1))
        grad_to_use = g + 2 * hp.get("l2_shrinkage_regularization_strength", 0.0) * w
        new_acc = acc + g**2
        s["lin"] = s.get("lin", zeros) + grad_to_use - (new_acc**power - acc**power) / lr * w
        quadratic = new_acc**power / lr + 2 * l2
        s["acc"] = new_acc
        return (np.clip(s["lin"], -l1, l1) - s["lin"]) / quadratic
    if kind == "lion":
        b1, b2 = hp.get("beta_1", 0.9), hp.get("beta_2", 0.99)
        m = s.get("m", zeros)
        w = w - lr * np.sign(b1 * m + (1 - b1) * g)
        s["m"] = b2 * m + (1 - b2) * g
        return w
    if kind == "lamb":
        b1, b2, eps = hp.get("beta_1", 0.9), hp.get("beta_2", 0.999), hp.get("epsilon", 1e-7)
        s["m"] = s.get("m", zeros) + (g - s.get("m", zeros)) * (1 - b1)
        s["v"] = s.get("v", zeros) + (g**2 - s.get("v", zeros)) * (1 - b2)
        update = (s["m"] / (1 - b1 ** (t + 1))) / (np.sqrt(s["v"] / (1 - b2 ** (t + 1))) + eps)
        w_norm, u_norm = np.linalg.norm(w), np.linalg.norm(update)
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        return w - ratio * lr * update
    raise AssertionError(kind)


def _clip(grads, base):
    if base.get("clipnorm"):
        c = base["clipnorm"]
        return [g * c / max(np.linalg.norm(g), c) for g in grads]
    if base.get("global_clipnorm"):
        c = base["global_clipnorm"]
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * c * min(1 / norm, 1 / c) for g in grads]
    if base.get("clipvalue"):
        return [np.clip(g, -base["clipvalue"], base["clipvalue"]) for g in grads]
    return grads


def reference_run(kind, hp, base, lr, weights, grad_steps):
    """The weights after each step, as Keras computes them."""
    weights = [w.astype(np.float64) for w in weights]
    slots = [{} for _ in weights]
    accumulators = [np.zeros_like(w) for w in weights]
    averages = [np.zeros_like(w) for w in weights]
    shared = {"u_product": 1.0}
    steps = base.get("gradient_accumulation_steps")
    wd = hp.get("weight_decay", base.get("weight_decay"))
    history = []
    for raw_iteration, grads in enumerate(grad_steps):
        grads = [g.astype(np.float64) / base.get("loss_scale_factor", 1.0) for g in grads]
        t = raw_iteration // steps if steps else raw_iteration
        update = True
        if steps:
            if (raw_iteration + 1) % steps == 0:
                grads = [(g + a) / steps for g, a in zip(grads, accumulators)]
                accumulators = [np.zeros_like(a) for a in accumulators]
            else:
                accumulators = [a + g for a, g in zip(accumulators, grads)]
                update = False
        if update:
            grads = _clip(grads, base)
            if wd is not None:
                weights = [w - w * wd * lr for w in weights]
            if kind == "nadam":
                shared["u_product"] *= hp.get("beta_1", 0.9) * (1 - 0.5 * 0.96 ** (t + 1))
            weights = [_rule(kind, hp, g, w, s, t, lr, shared) for g, w, s in zip(grads, weights, slots)]
        if base.get("use_ema"):
            momentum = base.get("ema_momentum", 0.99) if t != 0 else 0.0
            averages = [momentum * a + (1 - momentum) * w for a, w in zip(averages, weights)]
            frequency = base.get("ema_overwrite_frequency")
            if frequency and (t + 1) % frequency == 0:
                weights = [a.copy() for a in averages]
        history.append(weights)
    return history


# ---- the table ----

CLASSES = {
    "sgd": optimizers.SGD, "adam": optimizers.Adam, "adamw": optimizers.AdamW, "rmsprop": optimizers.RMSprop,
    "adagrad": optimizers.Adagrad, "adadelta": optimizers.Adadelta, "adamax": optimizers.Adamax,
    "nadam": optimizers.Nadam, "ftrl": optimizers.Ftrl, "lion": optimizers.Lion, "lamb": optimizers.Lamb,
}

# (kind, optimizer arguments, base-feature arguments)
CASES = [
    ("sgd", {}, {}),
    ("sgd", {"momentum": 0.9}, {}),
    ("sgd", {"momentum": 0.9, "nesterov": True}, {}),
    ("adam", {}, {}),
    ("adam", {"amsgrad": True, "beta_1": 0.8}, {}),
    ("adamw", {"weight_decay": 0.1}, {}),
    ("adamw", {"weight_decay": 0.05, "amsgrad": True}, {}),
    ("rmsprop", {}, {}),
    ("rmsprop", {"momentum": 0.5}, {}),
    ("rmsprop", {"centered": True}, {}),
    ("rmsprop", {"centered": True, "momentum": 0.9, "rho": 0.8}, {}),
    ("adagrad", {}, {}),
    ("adagrad", {"initial_accumulator_value": 0.5}, {}),
    ("adadelta", {}, {}),
    ("adamax", {}, {}),
    ("nadam", {}, {}),
    ("ftrl", {}, {}),
    ("ftrl", {"l1_regularization_strength": 0.01, "l2_regularization_strength": 0.1,
              "l2_shrinkage_regularization_strength": 0.05, "beta": 0.1}, {}),
    ("lion", {}, {}),
    ("lamb", {}, {}),
    # the base features, each on optimizers with and without a parallel kernel
    ("sgd", {"momentum": 0.9}, {"weight_decay": 0.1}),
    ("adam", {}, {"clipnorm": 0.5}),
    ("rmsprop", {}, {"clipvalue": 0.3}),
    ("adam", {}, {"global_clipnorm": 0.4}),
    ("lamb", {}, {"global_clipnorm": 0.4}),
    ("sgd", {"momentum": 0.5}, {"gradient_accumulation_steps": 2}),
    ("adam", {}, {"gradient_accumulation_steps": 3}),
    ("ftrl", {}, {"gradient_accumulation_steps": 2}),
    ("sgd", {}, {"use_ema": True, "ema_momentum": 0.9}),
    ("adam", {}, {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 2}),
    ("nadam", {}, {"loss_scale_factor": 4.0}),
    ("lion", {}, {"weight_decay": 0.2}),
    ("adadelta", {}, {"clipnorm": 0.5}),
    ("adamax", {}, {"weight_decay": 0.1, "clipvalue": 0.2}),
    ("adagrad", {}, {"use_ema": True}),
]
LEARNING_RATES = {"adadelta": 1.0, "ftrl": 0.1}


def _case_id(case):
    kind, hp, base = case
    args = ",".join(f"{k}={v}" for k, v in {**hp, **base}.items())
    return f"{kind}({args})"


def _data(n_steps, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grad_steps = [[rng.normal(size=s).astype("float32") for s in SHAPES] for _ in range(n_steps)]
    return weights, grad_steps


def _make(kind, hp, base, lr, cls=None):
    return (cls or CLASSES[kind])(learning_rate=lr, **hp, **base)


def _run(optimizer, weights, grad_steps):
    variables = [backend.Variable(w, name=f"w{i}") for i, w in enumerate(weights)]
    history = []
    for grads in grad_steps:
        optimizer.apply([backend.convert_to_tensor(g) for g in grads], variables)
        history.append([np.array(v.numpy()) for v in variables])
    return history


def _generic_subclass(cls):
    """A subclass with the same ``update_step``, rewritten: it takes the generic per-variable path."""

    def update_step(self, gradient, variable, learning_rate):
        return cls.update_step(self, gradient, variable, learning_rate)

    return type(f"Generic{cls.__name__}", (cls,), {"update_step": update_step})


@requires_training
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_update_rule_matches_keras_formula(case):
    kind, hp, base = case
    lr = LEARNING_RATES.get(kind, 0.05)
    weights, grad_steps = _data(6)
    expected = reference_run(kind, hp, base, lr, weights, grad_steps)
    actual = _run(_make(kind, hp, base, lr), weights, grad_steps)
    for step, (a_step, e_step) in enumerate(zip(actual, expected)):
        for a, e in zip(a_step, e_step):
            assert a.dtype == np.float32
            np.testing.assert_allclose(a, e, rtol=2e-5, atol=2e-6, err_msg=f"{_case_id(case)} at step {step}")


@requires_training
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_parallel_kernel_equals_generic_update_step(case):
    kind, hp, base = case
    lr = LEARNING_RATES.get(kind, 0.05)
    weights, grad_steps = _data(5, seed=1)
    built_in = _make(kind, hp, base, lr)
    generic = _make(kind, hp, base, lr, cls=_generic_subclass(CLASSES[kind]))
    assert generic._parallel_kernel() is None
    fast = _run(built_in, weights, grad_steps)
    slow = _run(generic, weights, grad_steps)
    for a_step, e_step in zip(fast, slow):
        for a, e in zip(a_step, e_step):
            np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)
    for a, e in zip(built_in.variables, generic.variables):
        np.testing.assert_allclose(a.numpy(), e.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)


@pytest.mark.skipif(BACKEND != "torch", reason="the parallel kernels are torch's")
@pytest.mark.parametrize("kind", ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "lion"])
def test_torch_built_ins_use_a_parallel_kernel(kind):
    assert CLASSES[kind]()._parallel_kernel() is not None


@requires_training
def test_parallel_kernel_handles_mixed_dtypes_and_partial_lists():
    variables = [backend.Variable(np.ones(3), dtype="float32"), backend.Variable(np.ones(2), dtype="float64"),
                 backend.Variable(np.ones(2), dtype="float32")]
    optimizer = optimizers.Adam(learning_rate=0.1)
    grads = [np.full(3, 0.5, "float32"), np.full(2, 0.5, "float64"), np.full(2, 0.5, "float32")]
    optimizer.apply(grads, variables)
    optimizer.apply(grads[1:], variables[1:])  # a subset: no cached lists
    expected_once = 1 - 0.1 * np.sqrt(1 - 0.999) / (1 - 0.9) * 0.05 / (np.sqrt(0.00025) + 1e-7)
    np.testing.assert_allclose(variables[0].numpy(), np.full(3, expected_once), rtol=1e-5)
    assert variables[1].numpy().dtype == np.float64
    np.testing.assert_allclose(variables[1].numpy(), variables[2].numpy(), rtol=1e-5)


@requires_training
@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_every_optimizer_minimizes_a_convex_quadratic(kind):
    target = np.array([1.0, -2.0, 0.5], "float32")
    scale = np.array([1.0, 3.0, 0.5], "float32")
    lr = {"adadelta": 1.0, "ftrl": 0.5, "adagrad": 0.5, "sgd": 0.1}.get(kind, 0.05)
    extra = {"epsilon": 1e-3} if kind == "adadelta" else {}  # Adadelta's first steps are ~sqrt(epsilon)
    optimizer = CLASSES[kind](learning_rate=lr, **extra)
    variable = backend.Variable(np.zeros(3, "float32"), name="w")

    def loss():
        return float(np.sum(scale * (variable.numpy() - target) ** 2))

    initial = loss()
    for _ in range(50):
        grad = 2 * scale * (variable.numpy() - target)  # the analytic gradient
        optimizer.apply([grad], [variable])
    assert loss() < 0.5 * initial, f"{kind}: loss {initial} -> {loss()}"


# ---- configs and lookup ----


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_config_round_trip(case):
    kind, hp, base = case
    optimizer = _make(kind, hp, base, 0.02)
    config = optimizer.get_config()
    assert config["learning_rate"] == pytest.approx(0.02)
    clone = type(optimizer).from_config(config)
    assert clone.get_config() == config
    assert type(clone) is type(optimizer)
    restored = optimizers.deserialize(optimizers.serialize(optimizer))
    assert restored.get_config() == config


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_config_holds_exactly_the_init_arguments(kind):
    import inspect

    cls = CLASSES[kind]
    parameters = set(inspect.signature(cls.__init__).parameters) - {"self", "kwargs"}
    assert set(cls().get_config()) == parameters


def test_config_with_a_schedule_round_trips():
    schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    optimizer = optimizers.Adam(learning_rate=schedule)
    config = optimizer.get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    assert config["learning_rate"]["module"] == "keras.optimizers.schedules"
    clone = optimizers.Adam.from_config(config)
    assert isinstance(clone._learning_rate, optimizers.schedules.ExponentialDecay)
    assert clone.get_config() == config


@pytest.mark.parametrize("name", ["adam", "Adam", "sgd", "SGD", "rmsprop", "adamw", "adagrad", "adadelta",
                                  "adamax", "nadam", "ftrl", "lion", "lamb"])
def test_get_by_name(name):
    optimizer = optimizers.get(name)
    assert type(optimizer).__name__.lower() == name.lower()


def test_get_passes_instances_and_none_through_and_reads_dicts():
    adam = optimizers.Adam()
    assert optimizers.get(adam) is adam
    assert optimizers.get(None) is None
    sgd = optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.5, "momentum": 0.9}})
    assert isinstance(sgd, optimizers.SGD) and sgd.momentum == 0.9
    assert float(sgd.learning_rate.numpy()) == pytest.approx(0.5)


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match="Unknown optimizer: 'adma'.*'adam'"):
        optimizers.get("adma")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_serialize_writes_the_keras_format():
    serialized = optimizers.serialize(optimizers.SGD(learning_rate=0.1))
    assert serialized["module"] == "keras.optimizers"
    assert serialized["class_name"] == "SGD"
    assert serialized["registered_name"] is None
    assert serialized["config"]["name"].startswith("sgd")  # Keras 3.15.1 writes "sgd" (made unique)


def test_custom_class_deserializes_through_custom_objects():
    class MySGD(optimizers.SGD):
        pass

    serialized = optimizers.serialize(MySGD(learning_rate=0.3))
    restored = optimizers.deserialize(serialized, custom_objects={"MySGD": MySGD})
    assert type(restored) is MySGD


def test_default_names_and_hyperparameters_follow_keras():
    # Keras 3.15.1 names an optimizer as it names a layer: snake case, made unique ("sgd", "sgd_1", ...).
    first, second = optimizers.SGD().name, optimizers.SGD().name
    assert first.startswith("sgd") and second != first and second.startswith("sgd_")
    assert optimizers.Adam().name.startswith("adam")
    assert optimizers.Adam(name="mine").name == "mine"
    assert optimizers.Adagrad().name.startswith("adagrad")
    assert optimizers.Lamb().name.startswith("lamb")
    assert optimizers.AdamW().weight_decay == 0.004
    assert optimizers.RMSprop().rho == 0.9
    assert optimizers.Adadelta().rho == 0.95
    assert optimizers.Lion().beta_2 == 0.99
    assert float(optimizers.SGD().learning_rate.numpy()) == pytest.approx(0.01)
    assert float(optimizers.Adam().learning_rate.numpy()) == pytest.approx(0.001)


@pytest.mark.parametrize("make, match", [
    (lambda: optimizers.SGD(momentum=1.5), "momentum"),
    (lambda: optimizers.AdamW(weight_decay=None), "weight_decay"),
    (lambda: optimizers.Lion(beta_1=0.0), "beta_1"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), "learning_rate_power"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), "l1_regularization_strength"),
    (lambda: optimizers.Adam(clipnorm=1.0, clipvalue=1.0), "Only one of"),
    (lambda: optimizers.Adam(gradient_accumulation_steps=1), "gradient_accumulation_steps"),
    (lambda: optimizers.Adam(use_ema=True, ema_momentum=2.0), "ema_momentum"),
    (lambda: optimizers.Adam(learning_rate="fast"), "learning_rate"),
    (lambda: optimizers.Adam(bogus=1), "not recognized"),
])
def test_bad_arguments_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def _torch_steps(make, start, grads, every=1, clip=None):
    """The variable after torch.optim's steps on ``grads`` (the mean of each ``every`` of them; each clipped
    to L2 norm ``clip`` first when given)."""
    import torch

    parameter = torch.nn.Parameter(torch.tensor(start))
    optimizer = make([parameter])
    for index in range(0, len(grads), every):
        grad = np.mean(grads[index:index + every], axis=0)
        if clip is not None:
            grad = grad * clip / max(np.linalg.norm(grad), clip)
        parameter.grad = torch.tensor(grad.astype("float32"))
        optimizer.step()
    return parameter.detach().numpy()


OPTIMIZER_CASES = {
    "sgd_nesterov": ("SGD", {"momentum": 0.9, "nesterov": True},
                     lambda t: {"make": lambda p: t.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)}),
    "adam_amsgrad": ("Adam", {"amsgrad": True},
                     lambda t: {"make": lambda p: t.optim.Adam(p, lr=0.1, amsgrad=True, eps=1e-7)}),
    "adamw": ("AdamW", {"weight_decay": 0.01},
              lambda t: {"make": lambda p: t.optim.AdamW(p, lr=0.1, weight_decay=0.01, eps=1e-7)}),
    "adam_clipnorm": ("Adam", {"clipnorm": 0.5},
                      lambda t: {"make": lambda p: t.optim.Adam(p, lr=0.1, eps=1e-7), "clip": 0.5}),
    "adam_global_clipnorm": ("Adam", {"global_clipnorm": 0.5},
                             lambda t: {"make": lambda p: t.optim.Adam(p, lr=0.1, eps=1e-7), "clip": 0.5}),
    "sgd_accumulation": ("SGD", {"gradient_accumulation_steps": 2},
                         lambda t: {"make": lambda p: t.optim.SGD(p, lr=0.1), "every": 2}),
}


@pytest.mark.parametrize("case", sorted(OPTIMIZER_CASES))
def test_apply_updates_variables_as_torch_optim_does_on_every_backend(case):
    """Given gradients, an optimizer steps on every backend (the numpy one too, as in Keras's numpy backend):
    four steps against torch.optim's on the same gradients."""
    torch = pytest.importorskip("torch")
    name, kwargs, reference = OPTIMIZER_CASES[case]
    rng = np.random.default_rng(0)
    start = rng.normal(size=(3, 2)).astype("float32")
    grads = [rng.normal(size=(3, 2)).astype("float32") for _ in range(4)]
    variable = backend.Variable(start, name="w")
    optimizer = getattr(optimizers, name)(learning_rate=0.1, **kwargs)
    for grad in grads:
        optimizer.apply([grad], [variable])
    expected = _torch_steps(start=start, grads=grads, **reference(torch))
    # Keras adds Adam's epsilon after folding the bias corrections into the rate, torch before: with the small
    # clipped gradients that shows at 1e-4.
    np.testing.assert_allclose(np.asarray(backend.convert_to_numpy(variable.value)), expected, rtol=5e-4, atol=1e-6)