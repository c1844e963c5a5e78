"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers against torch.nn.functional: values, shapes, masks,
gradients of PReLU's alpha, config and argument errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import backend, initializers, layers
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients


def _torch(fn):
    return lambda x, _: fn(torch.tensor(x.astype("float64"))).numpy()


CASES = [
    (layers.ReLU, {}, _torch(F.relu)),
    (layers.ReLU, {"max_value": 1.0}, _torch(lambda t: t.clamp(0, 1))),
    (layers.ReLU, {"negative_slope": 0.1}, _torch(lambda t: F.leaky_relu(t, 0.1))),
    (layers.ReLU, {"threshold": 0.5}, _torch(lambda t: F.threshold(t, 0.5, 0.0))),
    (layers.ReLU, {"max_value": 1.5, "negative_slope": 0.2, "threshold": 0.3},
     _torch(lambda t: torch.where(t >= 1.5, 1.5, torch.where(t > 0.3, t, 0.2 * (t - 0.3))))),
    (layers.LeakyReLU, {}, _torch(lambda t: F.leaky_relu(t, 0.3))),
    (layers.LeakyReLU, {"negative_slope": 0.05}, _torch(lambda t: F.leaky_relu(t, 0.05))),
    (layers.ELU, {}, _torch(F.elu)),
    (layers.ELU, {"alpha": 0.5}, _torch(lambda t: F.elu(t, 0.5))),
    (layers.Softmax, {}, _torch(lambda t: torch.softmax(t, -1))),
    (layers.Softmax, {"axis": 1}, _torch(lambda t: torch.softmax(t, 1))),
    (layers.Softmax, {"axis": (1, 2)}, _torch(lambda t: torch.softmax(t.flatten(1), -1).reshape(t.shape))),
]


@pytest.mark.parametrize("layer_cls, kwargs, reference", CASES,
                         ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(CASES)])
def test_matches_torch(layer_cls, kwargs, reference):
    run_layer_test(layer_cls, kwargs, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4),
                   expected_num_trainable_weights=0, reference=reference)


def test_softmax_mask_gives_zero_probability_to_masked_entries():
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
    mask = np.array([[True, True, False, True], [False, False, False, False]])
    out = backend.convert_to_numpy(layers.Softmax()(x, mask=mask))
    expected = np.where(mask[:1], np.exp(x[:1]), 0)
    np.testing.assert_allclose(out[0], (expected / expected.sum())[0], rtol=1e-6)
    np.testing.assert_array_equal(out[1], np.zeros(4))  # fully masked rows stay finite (all zero)


@pytest.mark.parametrize("shared_axes, alpha_shape", [(None, (3, 4)), ([1], (1, 4)), (1, (1, 4)), ([1, 2], (1, 1))])
def test_prelu_matches_torch(shared_axes, alpha_shape):
    def reference(x, weights):
        return np.where(x >= 0, x, weights[0] * x)

    layer, _ = run_layer_test(layers.PReLU, {"shared_axes": shared_axes, "alpha_initializer": "random_uniform"},
                              input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4),
                              expected_num_trainable_weights=1, reference=reference)
    assert layer.alpha.shape == alpha_shape and layer.alpha.path.endswith("/alpha")


def test_prelu_gradients_match_torch():
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    layer = layers.PReLU(shared_axes=[1], alpha_initializer=initializers.RandomUniform(0.1, 0.5), dtype="float64")
    layer.build(x.shape)
    # torch's prelu takes one slope per channel (dim 1): move the last axis there.
    check_layer_gradients(layer, x, lambda x, alpha: F.prelu(x.movedim(-1, 1), alpha.reshape(-1)).movedim(1, -1))


def test_prelu_needs_known_unshared_axes():
    with pytest.raises(ValueError, match="p_re_lu|PReLU"):
        layers.PReLU()(layers.Input((None, 4)))
    assert layers.PReLU(shared_axes=[1])(layers.Input((None, 4))).shape == (None, None, 4)


@pytest.mark.parametrize("make, match", [
    (lambda: layers.ReLU(max_value=-1.0), "max_value"),
    (lambda: layers.ReLU(negative_slope=-0.1), "negative_slope"),
    (lambda: layers.ReLU(threshold=-1.0), "threshold"),
    (lambda: layers.LeakyReLU(negative_slope=-1.0), "negative_slope"),
])
def test_bad_arguments_name_the_argument(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_leaky_relu_accepts_keras2_alpha_with_a_warning():
    with pytest.warns(UserWarning, match="alpha"):
        layer = layers.LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2 and layer.get_config()["negative_slope"] == 0.2


def test_masks_pass_through():
    inputs = layers.Input((3, 2))
    masked = layers.Masking()(inputs)
    for layer in (layers.ReLU(), layers.LeakyReLU(), layers.ELU(), layers.PReLU()):
        assert layer(masked)._keras_mask is not None
