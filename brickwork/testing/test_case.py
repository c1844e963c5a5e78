"""``TestCase``: a ``unittest`` test case with array assertions and the layer checks.

It is what Keras's own tests get as ``keras.src.testing.TestCase``, and users can test their own
layers with it:

    from brickwork import layers, testing

    class MyLayerTest(testing.TestCase):
        def test_dense(self):
            self.run_layer_test(layers.Dense, {"units": 3}, input_shape=(2, 4),
                                expected_output_shape=(2, 3), expected_num_trainable_weights=2)

        def test_values(self):
            self.assertAllClose({"a": [1.0, 2.0]}, {"a": [1.0, 2.0 + 1e-8]})

Run it with ``python -m pytest`` or ``python -m unittest``.
"""

from __future__ import annotations

import numbers
import shutil
import tempfile
from pathlib import Path

import numpy as np
import optree

from brickwork import backend, config
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.testing.devices import (  # noqa: F401  (Keras's tests reach them through this module)
    jax_uses_gpu,
    jax_uses_tpu,
    tensorflow_uses_gpu,
    tensorflow_uses_tpu,
    torch_uses_gpu,
    uses_gpu,
    uses_tpu,
)
from brickwork.testing.layer_checks import (  # noqa: F401  (Keras's tests import them from here)
    LayerChecks,
    create_eager_tensors,
    create_keras_tensors,
    from_json_with_tuples,
    get_seed_generators,
    is_shape_tuple,
    map_shape_dtype_structure,
    to_json_with_tuples,
)

try:  # Keras's tests use absl's @parameterized decorators, which need its TestCase.
    from absl.testing import parameterized as _parameterized

    _BaseTestCase = _parameterized.TestCase
except ImportError:  # absl-py is optional (the `test` and `conformance` extras)
    import unittest

    _BaseTestCase = unittest.TestCase


class TestCase(LayerChecks, _BaseTestCase):
    """A test case whose assertions take tensors of any backend, Variables, and nested structures.

    Each test starts from a clear session (fresh automatic names). ``run_layer_test`` and
    ``run_class_serialization_test`` come from ``brickwork.testing.layer_checks.LayerChecks``.

    Args:
        *args: passed to ``unittest.TestCase``: ``methodName``, the test method to run.
        **kwargs: passed to ``unittest.TestCase`` likewise.

    Example:
    >>> from brickwork.testing import TestCase
    >>> class DoubleTest(TestCase):
    ...     def test_double(self):
    ...         self.assertAllClose(ops.multiply(2.0, ops.ones((2,))), np.array([2.0, 2.0]))
    >>> DoubleTest("test_double").test_double()   # passes: tensors and arrays compare alike
    """

    maxDiff = None

    def setUp(self):
        super().setUp()
        # Tests must not see each other's state: layer names, scopes, the training flag.
        backend.clear_session(free_memory=False)
        # A failing test shows every frame of the error; the setting comes back when the test ends.
        if config.is_traceback_filtering_enabled():
            config.disable_traceback_filtering()
            self.addCleanup(config.enable_traceback_filtering)

    def get_temp_dir(self) -> str:
        """A new temporary directory, removed when the test ends."""
        temp_dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, temp_dir, ignore_errors=True)
        return temp_dir

    def convert_to_numpy(self, x):
        """A NumPy array from a tensor of any backend, a Variable, a number or a nested list;
        a dict gives a dict of arrays."""
        if isinstance(x, np.ndarray):
            return x
        if isinstance(x, dict):
            return {key: self.convert_to_numpy(value) for key, value in x.items()}
        if isinstance(x, (list, tuple)):
            return np.array(optree.tree_map(_leaf_to_numpy, x, none_is_leaf=True))
        return _leaf_to_numpy(x)

    # ------------------------------------------------------------------ values
    def assertAllClose(self, actual, desired, atol=1e-6, rtol=1e-6, tpu_atol=None, tpu_rtol=None, msg=None):
        """Assert ``|actual - desired| <= atol + rtol * |desired|`` everywhere, shapes equal.

        Either side may be a tensor of any backend, a Variable, a NumPy array, a number, or a
        nested list/tuple/dict of those (compared leaf by leaf where both sides are containers).
        ``tpu_atol``/``tpu_rtol`` replace the tolerances when running on a TPU.
        """
        if tpu_atol is not None and uses_tpu():
            atol = tpu_atol
        if tpu_rtol is not None and uses_tpu():
            rtol = tpu_rtol

        def compare(a, d, where):
            np.testing.assert_allclose(self.convert_to_numpy(a), self.convert_to_numpy(d), atol=atol, rtol=rtol,
                                       err_msg=_message(msg, where))

        _compare_nested(actual, desired, compare)

    def assertNotAllClose(self, x1, x2, atol=1e-6, rtol=1e-6, msg=None):
        """Assert that at least one element differs beyond the tolerances."""
        try:
            self.assertAllClose(x1, x2, atol=atol, rtol=rtol)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. \n{msg or ''}.\nValues: {x1}")

    def assertAlmostEqual(self, actual, desired, decimal=3, tpu_decimal=None, msg=None):
        """Assert ``|actual - desired| < 1.5 * 10**-decimal`` everywhere (NumPy's rule)."""
        if tpu_decimal is not None and uses_tpu():
            decimal = tpu_decimal

        def compare(a, d, where):
            np.testing.assert_almost_equal(self.convert_to_numpy(a), self.convert_to_numpy(d), decimal=decimal,
                                           err_msg=_message(msg, where))

        _compare_nested(actual, desired, compare)

    def assertAllEqual(self, actual, desired, msg=None):
        """Assert equal shapes and exactly equal elements."""

        def compare(a, d, where):
            np.testing.assert_array_equal(self.convert_to_numpy(a), self.convert_to_numpy(d),
                                          err_msg=_message(msg, where))

        _compare_nested(actual, desired, compare)

    def assertLen(self, iterable, expected_len, msg=None):
        self.assertEqual(len(iterable), expected_len, msg=msg)

    # ------------------------------------------------------------------ kinds of tensors
    def assertSparse(self, x, sparse=True):
        """Assert that ``x`` is (or, with ``sparse=False``, is not) a sparse tensor."""
        if isinstance(x, KerasTensor):
            self.assertEqual(x.sparse, sparse)
        else:
            self.assertEqual(_is_sparse(x), sparse,
                             f"expected a {'sparse' if sparse else 'dense'} tensor, received {type(x).__name__} "
                             f"(backend {backend.backend()})")

    def assertRagged(self, x, ragged=True):
        """Assert that ``x`` is (or, with ``ragged=False``, is not) a ragged tensor."""
        if isinstance(x, KerasTensor):
            self.assertEqual(getattr(x, "ragged", False), ragged)
        else:
            self.assertEqual(type(x).__name__ == "RaggedTensor", ragged,
                             f"expected a {'ragged' if ragged else 'dense'} tensor, received {type(x).__name__} "
                             f"(backend {backend.backend()})")

    def assertDType(self, x, dtype, msg=None):
        """Assert that ``x`` (a tensor, or a Python number) has ``dtype``, both standardized."""
        x_dtype = backend.standardize_dtype(x.dtype if hasattr(x, "dtype") else type(x))
        expected = backend.standardize_dtype(dtype)
        self.assertEqual(x_dtype, expected, msg=msg or (
            f"The dtype of x does not match the expected one. Received: x.dtype={x_dtype} and dtype={dtype}"))

    def assertFileExists(self, path):
        if not Path(path).is_file():
            raise AssertionError(f"File {path} does not exist")


# ---------------------------------------------------------------------------- helpers
def _leaf_to_numpy(x):
    if isinstance(x, np.ndarray):
        return x
    if backend.is_tensor(x) or backend.is_variable(x):
        return backend.convert_to_numpy(x)
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor while another backend is active
        x = x.detach().cpu()
        return x.float().numpy() if str(x.dtype) == "torch.bfloat16" else x.numpy()
    return np.asarray(x)


def _is_container(x) -> bool:
    return isinstance(x, (list, tuple, dict))


def _holds_more_than_numbers(sequence) -> bool:
    return any(not isinstance(item, (numbers.Number, np.generic)) for item in sequence)


def _compare_nested(actual, desired, compare, where: str = "") -> None:
    """Call ``compare(a, d, where)`` on matching parts of two structures.

    Where both sides are dicts, or lists/tuples of the same length holding tensors or other
    containers, the parts are compared one by one (so ragged structures work); anything else is
    compared as one array, as NumPy would (a scalar broadcasts).
    """
    if isinstance(actual, dict) and isinstance(desired, dict):
        if set(actual) != set(desired):
            raise AssertionError(f"Dicts differ in keys at {where or 'the top level'}: "
                                 f"{sorted(map(str, actual))} != {sorted(map(str, desired))}")
        for key in actual:
            _compare_nested(actual[key], desired[key], compare, f"{where}[{key!r}]")
        return
    if (isinstance(actual, (list, tuple)) and isinstance(desired, (list, tuple)) and len(actual) == len(desired)
            and (_holds_more_than_numbers(actual) or _holds_more_than_numbers(desired))):
        for index, (a, d) in enumerate(zip(actual, desired)):
            _compare_nested(a, d, compare, f"{where}[{index}]")
        return
    compare(actual, desired, where)


def _message(msg, where: str) -> str:
    if not where:
        return msg or ""
    return f"at {where}" + (f": {msg}" if msg else "")


def _is_sparse(x) -> bool:
    if backend.SUPPORTS_SPARSE_TENSORS and backend.active.sparse.is_sparse(x):  # a BCOO, a tf.SparseTensor
        return True
    return bool(getattr(x, "is_sparse", False))
