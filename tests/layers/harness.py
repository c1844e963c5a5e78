"""One harness that checks every layer the same way (Keras's ``run_layer_test``, leaner).

Example:
    run_layer_test(layers.Dense, {"units": 3}, input_shape=(2, 4), expected_output_shape=(2, 3),
                   expected_num_trainable_weights=2, reference=lambda x, w: x @ w[0] + w[1])
"""

from __future__ import annotations

import numpy as np
import optree

from brickwork import backend, layers, models


def _as_numpy(x):
    return optree.tree_map(backend.convert_to_numpy, x)


def run_layer_test(layer_cls, init_kwargs, input_shape=None, input_data=None, input_dtype="float32",
                   expected_output_shape=None, expected_num_trainable_weights=None,
                   expected_num_non_trainable_weights=None, reference=None, rtol=1e-5, atol=1e-5,
                   call_kwargs=None, check_models=True, check_config=True):
    """Build, call, compare with ``reference(inputs, weights)``, and round-trip the config.

    Checks, in order: the eager output shape; the symbolic output shape (with a ``None`` batch)
    matches it; weight counts; the values against ``reference`` (NumPy, given the layer's weights
    as NumPy arrays); ``from_config(get_config())`` builds a layer giving the same outputs with the
    same weights; the layer works inside a Sequential and a Functional model.
    Returns the layer and its NumPy output.
    """
    call_kwargs = call_kwargs or {}
    if input_data is None:
        rng = np.random.default_rng(0)
        if np.issubdtype(np.dtype(input_dtype), np.integer):
            input_data = rng.integers(0, 5, size=input_shape).astype(input_dtype)
        else:
            input_data = rng.standard_normal(input_shape).astype(input_dtype)
    layer = layer_cls(**init_kwargs)
    output = _as_numpy(layer(input_data, **call_kwargs))
    output_shape = optree.tree_map(np.shape, output)
    if expected_output_shape is not None:
        assert output_shape == tuple(expected_output_shape) or output_shape == expected_output_shape, (
            f"{layer_cls.__name__}: output shape {output_shape}, expected {expected_output_shape}")

    specs = optree.tree_map(
        lambda a: backend.KerasTensor((None,) + np.shape(a)[1:], dtype=str(np.asarray(a).dtype)), input_data)
    symbolic = layer_cls(**init_kwargs)(specs, **call_kwargs)
    symbolic_shape = optree.tree_map(lambda t: t.shape, symbolic, is_leaf=lambda t: hasattr(t, "shape"))
    expected_symbolic = optree.tree_map(lambda s: (None,) + tuple(s[1:]), output_shape,
                                        is_leaf=lambda s: isinstance(s, tuple))
    assert _shapes_compatible(symbolic_shape, expected_symbolic), (
        f"{layer_cls.__name__}: symbolic shape {symbolic_shape}, eager shape {output_shape}")

    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights

    weights = layer.get_weights()
    if reference is not None:
        expected = reference(input_data, weights)
        optree.tree_map(lambda a, e: np.testing.assert_allclose(a, e, rtol=rtol, atol=atol), output, expected)

    if check_config:
        config = layer.get_config()
        clone = layer_cls.from_config(config)
        assert clone.get_config() == config, f"{layer_cls.__name__}: config changed in a round trip"
        clone(input_data, **call_kwargs)
        if weights:
            clone.set_weights(weights)
            again = _as_numpy(clone(input_data, **call_kwargs))
            optree.tree_map(lambda a, e: np.testing.assert_allclose(a, e, rtol=rtol, atol=atol), again, output)

    if check_models and not isinstance(input_data, (list, tuple, dict)):
        inputs = layers.Input(shape=np.shape(input_data)[1:], dtype=str(np.asarray(input_data).dtype))
        functional = models.Model(inputs, layer_cls(**init_kwargs)(inputs, **call_kwargs))
        functional(input_data)
        sequential = models.Sequential([layers.Input(shape=np.shape(input_data)[1:],
                                                     dtype=str(np.asarray(input_data).dtype)),
                                        layer_cls(**init_kwargs)])
        sequential(input_data)
    return layer, output


def _shapes_compatible(symbolic, eager) -> bool:
    flat_s = optree.tree_leaves(symbolic, is_leaf=lambda s: isinstance(s, tuple), none_is_leaf=True)
    flat_e = optree.tree_leaves(eager, is_leaf=lambda s: isinstance(s, tuple), none_is_leaf=True)
    if len(flat_s) != len(flat_e):
        return False
    for s, e in zip(flat_s, flat_e):
        if len(s) != len(e) or any(a is not None and b is not None and a != b for a, b in zip(s, e)):
            return False
    return True
