"""brickwork.testing: run_layer_test passes on real layers and fails on every wrong expectation;
the assertions take tensors, Variables and nested structures."""

import inspect
import os
import subprocess
import sys
import unittest

import numpy as np
import pytest
from absl.testing import parameterized

from brickwork import backend, config, layers, ops, testing
from brickwork.testing import test_case as test_case_module
from brickwork.testing.test_utils import get_test_data, named_product

BACKEND = backend.backend()


class RunLayerTestPasses(testing.TestCase):
    def test_dense(self):
        self.run_layer_test(layers.Dense, {"units": 3}, input_shape=(2, 4), expected_output_shape=(2, 3),
                            expected_output_dtype="float32", expected_num_trainable_weights=2,
                            expected_num_non_trainable_weights=0, expected_num_seed_generators=0,
                            expected_num_losses=0, supports_masking=True)

    def test_dense_expected_output(self):
        x = np.arange(8, dtype="float32").reshape(2, 4)
        self.run_layer_test(layers.Dense, {"units": 2, "kernel_initializer": "ones"}, input_data=x,
                            expected_output=ops.convert_to_tensor(np.repeat(x.sum(-1, keepdims=True), 2, -1)))

    def test_conv2d(self):
        self.run_layer_test(layers.Conv2D, {"filters": 3, "kernel_size": 2}, input_shape=(2, 5, 5, 4),
                            expected_output_shape=(2, 4, 4, 3), expected_num_trainable_weights=2,
                            expected_num_non_trainable_weights=0)

    def test_dropout(self):
        self.run_layer_test(layers.Dropout, {"rate": 0.5}, input_shape=(2, 4), call_kwargs={"training": True},
                            expected_output_shape=(2, 4), expected_num_trainable_weights=0,
                            expected_num_seed_generators=1)

    def test_lstm(self):
        self.run_layer_test(layers.LSTM, {"units": 3, "return_sequences": True}, input_shape=(2, 5, 4),
                            expected_output_shape=(2, 5, 3), expected_num_trainable_weights=3,
                            expected_num_non_trainable_weights=0, supports_masking=True)

    def test_lstm_return_state_structure(self):
        self.run_layer_test(layers.LSTM, {"units": 3, "return_state": True}, input_shape=(2, 5, 4),
                            expected_output_shape=((2, 3), (2, 3), (2, 3)))

    def test_embedding_with_masking(self):
        self.run_layer_test(layers.Embedding, {"input_dim": 5, "output_dim": 3, "mask_zero": True},
                            input_data=np.array([[0, 1, 2], [3, 4, 0]], dtype="int32"),
                            expected_output_shape=(2, 3, 3), expected_num_trainable_weights=1,
                            supports_masking=True, expected_mask_shape=(2, 3))

    def test_without_inputs_only_serialization(self):
        self.run_layer_test(layers.ReLU, {"max_value": 2.0}, supports_masking=True)


class _Stateless(layers.Layer):
    """No weights, yet not built by its constructor."""

    def call(self, x):
        return x * 2


class _FailsInTraining(layers.Layer):
    def call(self, x, training=False):
        if training:
            raise RuntimeError("called with training=True")
        return x


class _HalfWeight(layers.Layer):
    """Keeps its weight in the compute dtype: wrong under mixed precision (weights stay float32)."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(), initializer="ones", dtype=self.compute_dtype)
        self.built = True

    def call(self, x):
        return x * ops.cast(self.scale, x.dtype)


class _ForgetfulConfig(layers.Layer):
    """Its config misstates ``factor``, so a round trip changes it."""

    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        config = super().get_config()
        config["factor"] = self.factor * 2
        return config


_DENSE = {"layer_cls": layers.Dense, "init_kwargs": {"units": 3}, "input_shape": (2, 4)}


class RunLayerTestFails(testing.TestCase):
    """A harness that cannot fail checks nothing: each wrong expectation must raise."""

    @parameterized.named_parameters(
        ("output_shape", {"expected_output_shape": (2, 4)}, "output shapes"),
        ("output_rank", {"expected_output_shape": (2, 3, 1)}, "output shapes"),
        ("output_dtype", {"expected_output_dtype": "float16"}, "output dtypes"),
        ("trainable_weights", {"expected_num_trainable_weights": 1}, "number of trainable_weights"),
        ("non_trainable_weights", {"expected_num_non_trainable_weights": 1}, "number of non_trainable_weights"),
        ("non_trainable_variables", {"expected_num_non_trainable_variables": 2}, "number of non_trainable_var"),
        ("seed_generators", {"expected_num_seed_generators": 1}, "number of seed_generators"),
        ("losses", {"expected_num_losses": 1}, "number of losses"),
        ("supports_masking", {"supports_masking": False}, "supports_masking"),
    )
    def test_wrong_expectation_on_dense(self, wrong, message):
        with self.assertRaisesRegex(AssertionError, message):
            self.run_layer_test(**_DENSE, **wrong)

    def test_wrong_expected_output(self):
        x = np.ones((2, 4), dtype="float32")
        with self.assertRaisesRegex(AssertionError, "Unexpected output value"):
            self.run_layer_test(layers.Dense, {"units": 2, "kernel_initializer": "ones"}, input_data=x,
                                expected_output=ops.convert_to_tensor(np.full((2, 2), 5.0, "float32")))

    def test_wrong_mask_shape(self):
        with self.assertRaisesRegex(AssertionError, "mask shape"):
            self.run_layer_test(layers.Embedding, {"input_dim": 5, "output_dim": 3, "mask_zero": True},
                                input_data=np.array([[0, 1, 2]], dtype="int32"), supports_masking=True,
                                expected_mask_shape=(1, 4))

    def test_structure_of_shapes_too_short(self):
        with self.assertRaisesRegex(AssertionError, "output shapes"):
            self.run_layer_test(layers.LSTM, {"units": 3, "return_state": True}, input_shape=(2, 5, 4),
                                expected_output_shape=((2, 3), (2, 3)))

    def test_not_built_after_instantiation(self):
        with self.assertRaisesRegex(AssertionError, "built after instantiation"):
            self.run_layer_test(_Stateless, {}, input_shape=(2, 3), assert_built_after_instantiation=True)

    def test_config_round_trip_that_changes_the_layer(self):
        with self.assertRaises(AssertionError):
            self.run_layer_test(_ForgetfulConfig, {"factor": 3.0}, input_shape=(2, 3))

    @pytest.mark.skipif(not backend.SUPPORTS_TRAINING, reason=f"the {BACKEND} backend does not train")
    def test_training_step_runs(self):
        with self.assertRaisesRegex(RuntimeError, "training=True"):
            self.run_layer_test(_FailsInTraining, {}, input_shape=(2, 3))
        self.run_layer_test(_FailsInTraining, {}, input_shape=(2, 3), run_training_check=False)

    @pytest.mark.skipif(BACKEND == "torch" and not testing.uses_gpu(),
                        reason="as in Keras, no mixed precision check on torch without a GPU")
    def test_mixed_precision_weights_stay_float32(self):
        with self.assertRaisesRegex(AssertionError, "expected float32"):
            self.run_layer_test(_HalfWeight, {}, input_shape=(2, 3))
        self.run_layer_test(_HalfWeight, {}, input_shape=(2, 3), run_mixed_precision_check=False)

    def test_contradictory_arguments(self):
        with self.assertRaisesRegex(ValueError, "input_shape and input_data"):
            self.run_layer_test(layers.ReLU, {}, input_shape=(2,), input_data=np.ones(2))
        with self.assertRaisesRegex(ValueError, "input_data must be provided"):
            self.run_layer_test(layers.ReLU, {}, input_shape=(2,), expected_output=np.ones(2))
        with self.assertRaisesRegex(ValueError, "supports_masking"):
            self.run_layer_test(layers.ReLU, {}, input_shape=(2,), expected_mask_shape=(2,))


class Assertions(testing.TestCase):
    def test_all_close_nested(self):
        actual = {"a": [np.ones(2), ops.zeros((3,))], "b": (backend.Variable(np.full((2, 2), 0.5)), 1.0)}
        desired = {"a": [[1, 1], [0, 0, 0]], "b": ([[0.5, 0.5], [0.5, 0.5]], 1.0 + 1e-9)}
        self.assertAllClose(actual, desired)
        with self.assertRaisesRegex(AssertionError, r"\['a'\]\[1\]"):
            self.assertAllClose(actual, {**desired, "a": [[1, 1], [0, 0, 0.1]]})
        with self.assertRaisesRegex(AssertionError, "keys"):
            self.assertAllClose(actual, {"a": desired["a"]})
        with self.assertRaises(AssertionError):  # a missing element is a shape mismatch
            self.assertAllClose([ops.ones((2,)), ops.ones((2,))], [[1, 1], [1]])

    def test_all_close_tolerances_and_arrays(self):
        self.assertAllClose(ops.ones((2, 3)), np.ones((2, 3)) + 1e-7)
        self.assertAllClose(ops.ones((2, 3)), np.ones((2, 3)) + 1e-3, atol=1e-2)
        with self.assertRaises(AssertionError):
            self.assertAllClose(ops.ones((2, 3)), np.ones((2, 3)) + 1e-3)
        with self.assertRaises(AssertionError):
            self.assertAllClose(ops.ones((2, 3)), np.ones((3, 2)))
        self.assertAllClose([ops.ones(()), ops.zeros(())], np.array([1.0, 0.0]))  # stacked like np.array

    def test_not_all_close_almost_equal_all_equal(self):
        self.assertNotAllClose(ops.ones((2,)), [1.0, 1.1])
        with self.assertRaises(AssertionError):
            self.assertNotAllClose(ops.ones((2,)), [1.0, 1.0])
        self.assertAlmostEqual(ops.convert_to_tensor([1.0, 2.0]), [1.0004, 2.0])
        with self.assertRaises(AssertionError):
            self.assertAlmostEqual(1.0, 1.01)
        self.assertAllEqual(ops.arange(3), [0, 1, 2])
        with self.assertRaises(AssertionError):
            self.assertAllEqual(ops.arange(3), [0, 1, 3])

    def test_dtype_len_sparse_ragged(self):
        self.assertDType(ops.ones((2,), dtype="float16"), "float16")
        self.assertDType(3, "int32")  # a Python int is int32, as Keras 3 maps it outside TensorFlow
        with self.assertRaises(AssertionError):
            self.assertDType(ops.ones((2,)), "int32")
        self.assertLen([1, 2], 2)
        dense = ops.ones((2, 2))
        self.assertSparse(dense, sparse=False)
        self.assertRagged(dense, ragged=False)
        with self.assertRaises(AssertionError):
            self.assertSparse(dense)
        self.assertSparse(backend.KerasTensor((2, 2)), sparse=False)

    def test_temp_dir_and_file_exists(self):
        path = os.path.join(self.get_temp_dir(), "weights.h5")
        with self.assertRaises(AssertionError):
            self.assertFileExists(path)
        with open(path, "w") as f:
            f.write("x")
        self.assertFileExists(path)

    def test_temp_dir_removed_after_the_test(self):
        made = []

        class Inner(testing.TestCase):
            def test_make(self):
                made.append(self.get_temp_dir())
                self.assertTrue(os.path.isdir(made[-1]))

        result = Inner("test_make").defaultTestResult()
        Inner("test_make").run(result)
        self.assertTrue(result.wasSuccessful())
        self.assertLen(made, 1)
        self.assertFalse(os.path.exists(made[0]))

    def test_convert_to_numpy(self):
        self.assertIsInstance(self.convert_to_numpy(ops.ones((2,))), np.ndarray)
        self.assertIsInstance(self.convert_to_numpy(backend.Variable(np.ones(2))), np.ndarray)
        self.assertEqual(self.convert_to_numpy([ops.ones((2,)), ops.zeros((2,))]).shape, (2, 2))

    def test_class_serialization(self):
        revived = self.run_class_serialization_test(layers.Dense(4, activation="relu"))
        self.assertEqual(revived.units, 4)
        with self.assertRaises(AssertionError):
            self.run_class_serialization_test(_ForgetfulConfig(3.0))

    def test_setup_clears_the_session(self):
        self.assertEqual(layers.Dense(2).name, "dense")

    def test_devices(self):
        for query in (testing.uses_gpu, testing.uses_tpu, testing.jax_uses_gpu, testing.jax_uses_tpu,
                      testing.torch_uses_gpu, testing.tensorflow_uses_gpu, testing.tensorflow_uses_tpu):
            self.assertIsInstance(query(), bool)
        self.assertFalse(testing.tensorflow_uses_gpu())


class Helpers(testing.TestCase):
    @parameterized.named_parameters(named_product(value=[-1, 1], cast=[float, int]))
    def test_named_product_drives_parameterized(self, value, cast):
        self.assertEqual(cast(value) * value, 1)

    def test_named_product(self):
        cases = named_product([{"testcase_name": "neg", "x": -1}, {"testcase_name": "pos", "x": 1}],
                              numeral_type=[float, int])
        self.assertEqual([c["testcase_name"] for c in cases], ["neg_float", "pos_float", "neg_int", "pos_int"])
        self.assertEqual(cases[3], {"testcase_name": "pos_int", "x": 1, "numeral_type": int})

    def test_get_test_data(self):
        (x_train, y_train), (x_test, y_test) = get_test_data(20, 10, (4,), num_classes=2, random_seed=1)
        self.assertEqual((x_train.shape, x_test.shape, y_train.shape, y_test.shape), ((20, 4), (10, 4), (20,), (10,)))
        self.assertEqual(x_train.dtype, np.float32)
        self.assertEqual(np.bincount(y_train).tolist(), [10, 10])
        (again, _), _ = get_test_data(20, 10, (4,), num_classes=2, random_seed=1)
        self.assertAllClose(x_train, again)

    def test_eager_and_symbolic_inputs(self):
        shapes = {"query_shape": (2, 3), "value_shape": (2, 4)}
        dtypes = {"query_shape": "float32", "value_shape": "int32"}
        eager = test_case_module.create_eager_tensors(shapes, dtypes, sparse=False, ragged=False)
        self.assertEqual(sorted(eager), ["query", "value"])
        self.assertDType(eager["value"], "int32")
        symbolic = test_case_module.create_keras_tensors([(2, 3), (None, 4)], ["float32", "int8"], False, False)
        self.assertEqual([t.shape for t in symbolic], [(2, 3), (None, 4)])
        self.assertEqual(symbolic[1].dtype, "int8")
        with self.assertRaisesRegex(ValueError, "dtype"):
            test_case_module.create_eager_tensors((2,), "string", False, False)
        self.assertLen(test_case_module.get_seed_generators(layers.Dropout(0.5)), 1)

    def test_sparse_eager_inputs(self):
        if not backend.SUPPORTS_SPARSE_TENSORS:
            with self.assertRaisesRegex(ValueError, "Sparse"):
                test_case_module.create_eager_tensors((2, 3), "float32", sparse=True)
            return
        x = test_case_module.create_eager_tensors((2, 3, 4), "float32", sparse=True)
        self.assertSparse(x)
        self.assertEqual((tuple(x.shape), backend.standardize_dtype(x.dtype)), ((2, 3, 4), "float32"))
        dense = ops.convert_to_numpy(x)
        self.assertTrue(0 < np.count_nonzero(dense) < dense.size)  # some entries stored, some not
        self.assertTrue(np.all(np.isfinite(dense)))
        self.run_layer_test(layers.Identity, {}, input_shape=(2, 3), input_sparse=True,
                            expected_output_shape=(2, 3), expected_output_sparse=True, run_training_check=False)


# Keras 3.15.1's run_layer_test, argument by argument: Keras's tests pass them by name.
_KERAS_RUN_LAYER_TEST_ARGUMENTS = [
    ("layer_cls", inspect.Parameter.empty), ("init_kwargs", inspect.Parameter.empty), ("input_shape", None),
    ("input_dtype", None), ("input_sparse", False), ("input_ragged", False), ("input_data", None),
    ("call_kwargs", None), ("expected_output_shape", None), ("expected_output_dtype", None),
    ("expected_output_sparse", False), ("expected_output_ragged", False), ("expected_output", None),
    ("expected_num_trainable_weights", None), ("expected_num_non_trainable_weights", None),
    ("expected_num_non_trainable_variables", None), ("expected_num_seed_generators", None),
    ("expected_num_losses", None), ("supports_masking", None), ("expected_mask_shape", None),
    ("custom_objects", None), ("run_training_check", True), ("run_mixed_precision_check", True),
    ("assert_built_after_instantiation", False), ("tpu_atol", None), ("tpu_rtol", None),
]


def test_run_layer_test_signature_is_keras():
    parameters = list(inspect.signature(testing.TestCase.run_layer_test).parameters.values())[1:]
    assert [(p.name, p.default) for p in parameters] == _KERAS_RUN_LAYER_TEST_ARGUMENTS


@pytest.mark.skipif(BACKEND == "tensorflow", reason="TensorFlow itself imports absl, so it cannot be blocked there")
def test_without_absl_a_plain_unittest_case():
    code = ("import sys, unittest; sys.modules['absl'] = None; sys.modules['absl.testing'] = None\n"
            "from brickwork import testing\n"
            "assert testing.TestCase.__mro__[2] is unittest.TestCase, testing.TestCase.__mro__\n")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "BRICKWORK_BACKEND": BACKEND})


def test_traceback_filtering_is_off_inside_a_test_case_and_back_after():
    """TestCase shows every frame while a test runs, and leaves the user's setting as it found it."""
    seen = []

    class Probe(testing.TestCase):
        def test_probe(self):
            seen.append(config.is_traceback_filtering_enabled())

    assert config.is_traceback_filtering_enabled()
    result = unittest.TestResult()
    Probe("test_probe").run(result)
    assert result.wasSuccessful() and seen == [False]
    assert config.is_traceback_filtering_enabled()
