"""The cross-engine parity report (conformance/parity): every public layer, loss and optimizer gives the same
numbers on torch and jax within its stated tolerance; the comparison itself catches a drift."""

import inspect

import numpy as np
import pytest

import brickwork as keras
from conformance.parity import cases, report
from tests.conftest import BACKEND


def _public_classes(module, base) -> dict:
    """Public classes of ``module`` derived from ``base``, one name per class (aliases dropped)."""
    found = {}
    for name in sorted(dir(module)):
        value = getattr(module, name)
        if inspect.isclass(value) and issubclass(value, base):
            found.setdefault(value, name)
    return found


def test_every_public_layer_loss_and_optimizer_is_run_or_excused():
    run = {getattr(keras.layers, c.name) for c in cases.LAYERS}
    run |= {getattr(keras.losses, c.name) for c in cases.LOSSES}
    run |= {getattr(keras.optimizers, c.name) for c in cases.OPTIMIZERS}
    public = {**_public_classes(keras.layers, keras.layers.Layer), **_public_classes(keras.losses, keras.losses.Loss),
              **_public_classes(keras.optimizers, keras.optimizers.Optimizer)}
    missing = sorted(name for cls, name in public.items()
                     if cls not in run and not any(getattr(m, n, None) is cls
                                                   for n in cases.NOT_RUN
                                                   for m in (keras.layers, keras.losses, keras.optimizers)))
    assert not missing, f"neither run nor excused in conformance/parity/cases.py: {missing}"


def test_the_comparison_flags_a_drift_and_a_one_sided_error(tmp_path):
    case = cases.LAYERS[0]
    prefix = f"layer/{case.key}"
    base = {f"{prefix}/forward/0": np.ones((2, 3), "float32"), f"{prefix}/grads/0": np.full((3,), 2.0, "float32")}
    drifted = dict(base)
    drifted[f"{prefix}/grads/0"] = base[f"{prefix}/grads/0"] * (1 + 10 * case.tolerance)
    for name, arrays, errors in (("torch", base, {}), ("jax", drifted, {"loss/MeanSquaredError": "ValueError: x"})):
        np.savez(tmp_path / f"{name}.npz", **arrays)
        (tmp_path / f"{name}.npz.errors.json").write_text(__import__("json").dumps(errors))
    rows = {(r.kind, r.key): r for r in report.compare(str(tmp_path / "torch.npz"), str(tmp_path / "jax.npz"))}
    drift = rows[("layer", case.key)]
    assert not drift.ok and drift.forward_rel == 0 and np.isclose(drift.grad_rel, 10 * case.tolerance, rtol=1e-3)
    assert not rows[("loss", "MeanSquaredError")].ok and "jax: ValueError" in rows[("loss", "MeanSquaredError")].error
    assert "**drift**" in report.markdown(list(rows.values()))


@pytest.mark.skipif(BACKEND != "torch", reason="runs both engines itself, once per suite run (on the torch leg)")
def test_torch_and_jax_agree_within_each_rows_tolerance(tmp_path):
    pytest.importorskip("jax")
    from conformance.parity.__main__ import run_engines

    paths = run_engines(tmp_path)
    rows = report.compare(paths["torch"], paths["jax"])
    failing = [f"{r.kind} {r.key}: {r.error or f'{r.worst:.1e} > {r.tolerance:.0e}'}" for r in rows if not r.ok]
    assert not failing, failing
    assert len(rows) == len(cases.LAYERS) + len(cases.LOSSES) + len(cases.OPTIMIZERS)
    # The engines compute independently: float rows differ by rounding, not by nothing.
    assert any(0 < r.worst for r in rows)
