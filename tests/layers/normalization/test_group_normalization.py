"""GroupNormalization against torch.nn.functional.group_norm: groups, axes, center/scale, gradients, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import initializers, layers
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

RANDOM_AFFINE = {"gamma_initializer": initializers.RandomUniform(0.5, 1.5), "beta_initializer": "random_normal"}


def _torch_group_norm(x, groups, gamma, beta, axis, epsilon=1e-3):
    t = x if isinstance(x, torch.Tensor) else torch.tensor(np.asarray(x, dtype=np.float64))
    to_float = (lambda w: None if w is None else (w if isinstance(w, torch.Tensor) else torch.tensor(np.float64(w))))
    out = F.group_norm(t.movedim(axis, 1), groups, to_float(gamma), to_float(beta), epsilon).movedim(1, axis)
    return out if isinstance(x, torch.Tensor) else out.numpy()


@pytest.mark.parametrize("kwargs, shape", [
    ({"groups": 2}, (2, 5, 4)),
    ({"groups": 1}, (2, 3, 6)),
    ({"groups": -1}, (2, 5, 3)),             # instance normalization
    ({"groups": 3, "axis": 1}, (2, 6, 2, 2)),
    ({"groups": 2, "axis": -1}, (3, 4)),
    ({"groups": 2, "center": False, "scale": False}, (2, 3, 4)),
])
def test_matches_torch_group_norm(kwargs, shape):
    axis = kwargs.get("axis", -1) % len(shape)
    channels = shape[axis]
    groups = channels if kwargs["groups"] == -1 else kwargs["groups"]
    affine = kwargs.get("scale", True)

    def reference(x, weights):
        gamma, beta = weights if affine else (None, None)
        return _torch_group_norm(x, groups, gamma, beta, axis)

    layer, _ = run_layer_test(layers.GroupNormalization, {**kwargs, **RANDOM_AFFINE}, input_shape=shape,
                              expected_output_shape=shape, expected_num_trainable_weights=2 if affine else 0,
                              reference=reference, rtol=1e-5, atol=1e-5)
    if affine:
        assert [w.path.split("/")[-1] for w in layer.weights] == ["gamma", "beta"]
        assert layer.gamma.shape == (channels,)


def test_gradients_match_torch():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    layer = layers.GroupNormalization(groups=2, dtype="float64", **RANDOM_AFFINE)
    layer.build(x.shape)
    check_layer_gradients(layer, x, lambda x, gamma, beta: _torch_group_norm(x, 2, gamma, beta, axis=2))


@pytest.mark.parametrize("groups, message", [(3, "cannot be split into"), (8, "cannot be more")])
def test_bad_groups_name_the_layer(groups, message):
    with pytest.raises(ValueError, match=f"group_norm.*{message}"):
        layers.GroupNormalization(groups=groups, name="group_norm")(np.ones((2, 4), "float32"))


def test_symbolic_unknown_dims_and_unknown_channels():
    assert layers.GroupNormalization(groups=2)(layers.Input((None, 4))).shape == (None, None, 4)
    with pytest.raises(ValueError, match="known"):
        layers.GroupNormalization(groups=2)(layers.Input((3, None)))
