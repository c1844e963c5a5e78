"""Merging layers against NumPy: element-wise merges, Concatenate, Dot; broadcasting, masks, errors, models."""

import numpy as np
import pytest

from brickwork import backend, layers, models, ops
from brickwork.layers import masking
from tests.layers.harness import run_layer_test

RNG = np.random.default_rng(0)


def _data(*shapes, dtype="float32"):
    return [RNG.standard_normal(shape).astype(dtype) for shape in shapes]


ELEMENTWISE = [
    # (layer class, functional form, NumPy reference over the list of inputs, max inputs)
    (layers.Add, layers.add, lambda xs: sum(xs[1:], xs[0])),
    (layers.Subtract, layers.subtract, lambda xs: xs[0] - xs[1]),
    (layers.Multiply, layers.multiply, lambda xs: np.prod(np.broadcast_arrays(*xs), axis=0)),
    (layers.Average, layers.average, lambda xs: np.mean(np.broadcast_arrays(*xs), axis=0)),
    (layers.Maximum, layers.maximum, lambda xs: np.max(np.broadcast_arrays(*xs), axis=0)),
    (layers.Minimum, layers.minimum, lambda xs: np.min(np.broadcast_arrays(*xs), axis=0)),
]
IDS = [c.__name__ for c, *_ in ELEMENTWISE]


@pytest.mark.parametrize("layer_cls, function, reference", ELEMENTWISE, ids=IDS)
def test_elementwise_merges_match_numpy(layer_cls, function, reference):
    inputs = _data((2, 3, 4), (2, 3, 4)) if layer_cls is layers.Subtract else _data((2, 3, 4), (2, 3, 4), (2, 3, 4))
    run_layer_test(layer_cls, {}, input_data=inputs, expected_output_shape=(2, 3, 4),
                   reference=lambda xs, w: reference(xs), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(backend.convert_to_numpy(function(inputs)), reference(inputs), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("layer_cls, function, reference", ELEMENTWISE, ids=IDS)
def test_broadcasting_and_different_ranks(layer_cls, function, reference):
    # (2, 1, 4) with (2, 3, 4) broadcasts; (2, 4) is given a size-1 axis after the batch axis first.
    x, y, z = _data((2, 1, 4), (2, 3, 4), (2, 4))
    np.testing.assert_allclose(backend.convert_to_numpy(layer_cls()([x, y])), reference([x, y]), rtol=1e-6)
    np.testing.assert_allclose(backend.convert_to_numpy(layer_cls()([y, z])), reference([y, z[:, None]]), rtol=1e-6)
    assert layer_cls().compute_output_shape([(None, 1, 4), (None, 3, 4)]) == (None, 3, 4)
    assert layer_cls().compute_output_shape([(None, 3, 4), (5, 4)]) == (5, 3, 4)


@pytest.mark.parametrize("layer_cls, function, reference", ELEMENTWISE, ids=IDS)
def test_functional_model_and_symbolic_dtypes(layer_cls, function, reference):
    a, b = layers.Input((None, 4)), layers.Input((None, 4))
    y = function([a, b])
    assert y.shape == (None, None, 4) and y.dtype == "float32"
    model = models.Model([a, b], y)
    x1, x2 = _data((2, 5, 4), (2, 5, 4))
    np.testing.assert_allclose(backend.convert_to_numpy(model([x1, x2])), reference([x1, x2]), rtol=1e-6)
    ints = [backend.KerasTensor((None, 3), dtype="int32")] * 2
    assert layer_cls()(ints).dtype == ("float32" if layer_cls is layers.Average else "int32")


@pytest.mark.parametrize("layer_cls, function, reference", ELEMENTWISE, ids=IDS)
def test_incompatible_shapes_name_the_layer(layer_cls, function, reference):
    with pytest.raises(ValueError, match="merge_me"):
        layer_cls(name="merge_me")([backend.KerasTensor((None, 3)), backend.KerasTensor((None, 4))])
    with pytest.raises(ValueError, match="list"):
        layer_cls()(np.zeros((2, 3), dtype="float32"))


def test_subtract_needs_exactly_two_inputs():
    with pytest.raises(ValueError, match="exactly 2"):
        layers.Subtract()(_data((2, 3), (2, 3), (2, 3)))


def test_different_batch_sizes_are_refused():
    with pytest.raises(ValueError, match="batch"):
        layers.Add()([backend.KerasTensor((2, 3)), backend.KerasTensor((3, 3))])


# ---- masks


def _masked(x, mask):
    x = backend.convert_to_tensor(np.array(x))  # a fresh tensor: the numpy backend keys masks by identity
    masking.set_mask(x, backend.convert_to_tensor(mask))
    return x


def test_masks_are_combined_with_or():
    x, y = _data((2, 3, 2), (2, 3, 2))
    m1 = np.array([[True, False, False], [True, True, False]])
    m2 = np.array([[False, True, False], [True, False, False]])
    out = layers.Add()([_masked(x, m1), _masked(y, m2)])
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)), m1 | m2)
    assert masking.get_mask(layers.Add()([_masked(x, m1), backend.convert_to_tensor(np.array(y))])) is None


def test_maximum_and_minimum_ignore_masked_steps():
    x = np.array([[[5.0], [1.0], [0.0]]], dtype="float32")
    y = np.array([[[2.0], [7.0], [3.0]]], dtype="float32")
    mx = np.array([[False, True, True]])
    my = np.array([[True, False, True]])
    # Step 0: only y is valid -> 2; step 1: only x -> 1; step 2: both -> max 3 / min 0.
    out = layers.Maximum()([_masked(x, mx), _masked(y, my)])
    np.testing.assert_allclose(backend.convert_to_numpy(out)[0, :, 0], [2.0, 1.0, 3.0])
    out = layers.Minimum()([_masked(x, mx), _masked(y, my)])
    np.testing.assert_allclose(backend.convert_to_numpy(out)[0, :, 0], [2.0, 1.0, 0.0])
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)), [[True, True, True]])


def test_multiply_treats_masked_steps_as_one():
    x = np.array([[[5.0], [2.0], [4.0]]], dtype="float32")
    y = np.array([[[3.0], [7.0], [6.0]]], dtype="float32")
    mx = np.array([[False, True, False]])
    my = np.array([[True, True, False]])
    out = layers.Multiply()([_masked(x, mx), _masked(y, my)])
    # Step 0: x masked -> 1 * 3; step 1: 2 * 7; step 2: masked in both -> 0.
    np.testing.assert_allclose(backend.convert_to_numpy(out)[0, :, 0], [3.0, 14.0, 0.0])


def test_concatenate_masks_follow_the_inputs():
    x, y = _data((2, 3, 2), (2, 3, 4))
    m = np.array([[True, False, True], [False, False, True]])
    out = layers.Concatenate()([_masked(x, m), backend.convert_to_tensor(np.array(y))])
    # Along the last axis an unmasked input keeps every step.
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)), np.ones((2, 3), bool))
    out = layers.Concatenate(axis=1)([_masked(x, m), _masked(x, ~m)])
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)), np.concatenate([m, ~m], 1))


def test_masks_travel_through_merges_in_a_functional_model():
    class MaskZeroSteps(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs):
            return inputs

        def compute_mask(self, inputs, previous_mask=None):
            return ops.any(ops.not_equal(inputs, 0), axis=-1)

    a, b = layers.Input((3, 2)), layers.Input((3, 2))
    merged = layers.Add()([MaskZeroSteps()(a), MaskZeroSteps()(b)])
    assert merged._keras_mask is not None and merged._keras_mask.shape == (None, 3)
    model = models.Model([a, b], layers.GlobalAveragePooling1D()(merged))
    x, y = _data((1, 3, 2), (1, 3, 2))
    x[0, 2] = y[0, 2] = 0.0  # step 2 is masked in both inputs, so in the sum too
    expected = (x + y)[:, :2].mean(1)
    np.testing.assert_allclose(backend.convert_to_numpy(model([x, y])), expected, rtol=1e-6)


# ---- Concatenate


@pytest.mark.parametrize("axis, shapes", [
    (-1, [(2, 3, 4), (2, 3, 1), (2, 3, 2)]),
    (1, [(2, 3, 4), (2, 1, 4)]),
    (0, [(2, 3), (1, 3)]),
    (-2, [(2, 2, 3), (2, 4, 3)]),
])
def test_concatenate_matches_numpy(axis, shapes):
    inputs = _data(*shapes)
    expected = np.concatenate(inputs, axis=axis)
    layer, _ = run_layer_test(layers.Concatenate, {"axis": axis}, input_data=inputs,
                              expected_output_shape=expected.shape,
                              reference=lambda xs, w: np.concatenate(xs, axis=axis))
    np.testing.assert_allclose(backend.convert_to_numpy(layers.concatenate(inputs, axis=axis)), expected)
    assert layer.get_config()["axis"] == axis


def test_concatenate_symbolic_shapes_dtypes_and_errors():
    a = backend.KerasTensor((None, 3, None))
    b = backend.KerasTensor((None, 3, 5))
    assert layers.Concatenate()([a, b]).shape == (None, 3, None)
    assert layers.Concatenate(axis=1)([a, b]).shape == (None, 6, 5)
    ints = [backend.KerasTensor((None, 2), dtype="int32"), backend.KerasTensor((None, 3), dtype="int32")]
    assert layers.Concatenate()(ints).dtype == "int32"
    with pytest.raises(ValueError, match="cat"):
        layers.Concatenate(name="cat")([backend.KerasTensor((None, 3, 4)), backend.KerasTensor((None, 2, 4))])
    with pytest.raises(ValueError, match="rank"):
        layers.Concatenate()([backend.KerasTensor((None, 3)), backend.KerasTensor((None, 2, 4))])


def test_two_inputs_two_outputs_model_as_in_the_interop_file():
    a, b = layers.Input((5,), name="a"), layers.Input((5,), name="b")
    shared = layers.Dense(4, activation="tanh")
    merged = layers.Concatenate()([shared(a), shared(b)])
    model = models.Model([a, b], [layers.Dense(1)(merged), layers.Dense(3, activation="softmax")(merged)])
    score, label = model.predict([np.ones((2, 5)), np.zeros((2, 5))], verbose=0)
    assert score.shape == (2, 1) and label.shape == (2, 3)


# ---- Dot


def numpy_batch_dot(x, y, axes):
    """The per-sample tensordot, and Keras's (batch, 1) for a rank-1 result."""
    out = np.stack([np.tensordot(x[i], y[i], axes=(axes[0] - 1, axes[1] - 1)) for i in range(len(x))])
    return out[:, None] if out.ndim == 1 else out


@pytest.mark.parametrize("axes, shapes, expected_axes", [
    (1, [(2, 4), (2, 4)], (1, 1)),
    (-1, [(2, 3, 4), (2, 5, 4)], (2, 2)),
    ((1, 2), [(2, 3, 4), (2, 5, 3)], (1, 2)),
    ((2, 1), [(2, 3, 4), (2, 4)], (2, 1)),
    ((1, 1), [(2, 4), (2, 4, 3, 2)], (1, 1)),
])
def test_dot_matches_numpy(axes, shapes, expected_axes):
    inputs = _data(*shapes)
    expected = numpy_batch_dot(*inputs, expected_axes)
    run_layer_test(layers.Dot, {"axes": axes}, input_data=inputs, expected_output_shape=expected.shape,
                   reference=lambda xs, w: numpy_batch_dot(*xs, expected_axes), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(backend.convert_to_numpy(layers.dot(inputs, axes=axes)), expected, rtol=1e-5,
                               atol=1e-5)


def test_dot_normalize_gives_cosine_similarity():
    x, y = _data((3, 5), (3, 5))
    out = backend.convert_to_numpy(layers.Dot(axes=1, normalize=True)([x, y]))
    cosine = np.sum(x * y, 1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
    np.testing.assert_allclose(out[:, 0], cosine, rtol=1e-5)


def test_dot_symbolic_shapes_config_and_errors():
    x, y = backend.KerasTensor((None, 3, 4)), backend.KerasTensor((None, 5, 4))
    assert layers.Dot(axes=2)([x, y]).shape == (None, 3, 5)
    assert layers.dot([backend.KerasTensor((None, 4)), backend.KerasTensor((None, 4))], axes=1).shape == (None, 1)
    assert layers.Dot(axes=(1, 2), normalize=True).get_config()["axes"] == (1, 2)
    with pytest.raises(ValueError, match="same size"):
        layers.Dot(axes=1)([x, y])
    with pytest.raises(ValueError, match="exactly 2"):
        layers.Dot(axes=1)([x, x, x])
    with pytest.raises(ValueError, match="non-batch"):
        layers.Dot(axes=0)([x, y])
    with pytest.raises(ValueError, match="axes"):
        layers.Dot(axes=(1, 2, 3))
    assert layers.Dot(axes=1).compute_mask([x, y], None) is None


@pytest.mark.skipif(not backend.SUPPORTS_TRAINING, reason="the numpy backend computes no gradients")
def test_gradients_flow_through_merges():
    from tests.gradient_check import check_gradients

    x, y = np.random.default_rng(2).standard_normal((2, 2, 3))
    check_gradients(lambda a, b: layers.Dot(axes=1, normalize=True)([a, b]), [x, y])
    check_gradients(lambda a, b: layers.Maximum()([a, ops.multiply(b, 2.0)]), [x, y + 0.1])
    check_gradients(lambda a, b: layers.Concatenate()([a, layers.Average()([a, b])]), [x, y])
