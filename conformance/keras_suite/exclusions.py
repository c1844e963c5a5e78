"""What the Keras-suite run leaves out, each with its one-line reason.

Files Keras itself cannot import without TensorFlow are found by the run (Keras's own collection fails
on them) and reported as such; they need no entry here. Keys are test ids or id prefixes relative to
the suite folder (``keras_src/…``): a folder, a file, or one test; a key ending in ``*`` takes every test id
that starts with what comes before the star.
"""

from __future__ import annotations

import os

LENIENT_SHAPES = ("pins a symbolic shape rule that accepts shapes Keras 3.15.1's own eager call rejects; "
                  "brickwork rejects them when the graph is built")

EXCLUDED: dict[str, str] = {
    "keras_src/backend/tensorflow/": "tests the TensorFlow engine (its own issue)",
    "keras_src/backend/openvino/": "tests the OpenVINO engine, which brickwork does not have",
    "keras_src/export/openvino_test.py": "exports through OpenVINO, which brickwork does not have",
    "keras_src/utils/code_stats_test.py": "tests a Keras-private line counter with no public effect",
    "keras_src/utils/module_utils_test.py": "tests Keras's private lazy-import helper",
    "keras_src/saving/saving_lib_test.py::SavingDiskIOStoreTest": "tests Keras's private DiskIOStore class",
    "keras_src/saving/saving_lib_test.py::SavingNpzIOStoreTest": "tests Keras's private NpzIOStore class",
    "keras_src/saving/saving_lib_test.py::SavingH5IOStoreTest": "tests Keras's private H5IOStore class",
    "keras_src/saving/saving_lib_test.py::SafeZipReadTest":
        "patches Keras's private zip-bomb thresholds (_ZIP_MEMBER_BOMB_FLOOR_BYTES…) and calls its private "
        "_safe_zip_read; brickwork refuses such members with its own, stricter check (saving_lib.check_member_size, "
        "tests/saving/test_hostile_files.py)",
    "keras_src/saving/saving_lib_test.py::SafeGetH5DatasetTest::test_rejects_shape_bomb":
        "calls Keras's private safe_get_h5_dataset; brickwork refuses shape bombs when loading "
        "(weights_store.check_plain_storage; the test's load_weights case passes)",
    "keras_src/saving/saving_lib_test.py::SavingTest::test_save_model_exception_raised_high_memory_config":
        "asserts a failed save leaves a .keras file behind; brickwork's save is atomic and leaves none",
    "keras_src/saving/saving_lib_test.py::SavingTest::test_save_model_exception_raised_low_memory_config":
        "asserts a failed save leaves a .keras file behind; brickwork's save is atomic and leaves none",
    "keras_src/trainers/trainer_test.py::TestTrainer::test_fit_eval_flow_for_jax_model_weights":
        "asserts Keras's jax-private lazy state sync (variables hold None during fit); brickwork writes each "
        "step's arrays back, so a callback always reads current weights",
    "keras_src/ops/ops_test.py": "checks Keras's source layout (an Operation class per op whose __init__ calls "
        "super().__init__(name=name), backend functions that repeat each op's signature); brickwork writes an op once",
    **{f"keras_src/backend/common/dtypes_test.py::DtypesTest::{name}*":
       "tests Keras's private type-promotion lattice helpers; brickwork's result_type is checked against JAX's rules"
       for name in ("test_cycle_detection_in_make_lattice", "test_empty_lub_in_least_upper_bound",
                    "test_invalid_dtype_for_keras_promotion", "test_invalid_dtype_in_least_upper_bound",
                    "test_least_upper_bound", "test_resolve_weak_type", "test_respect_weak_type",
                    "test_valid_dtype_leading_to")},
    **{f"keras_src/ops/nn_test.py::{test}": LENIENT_SHAPES for test in (
        "NNOpsDynamicShapeTest::test_psnr", "NNOpsDynamicShapeTest::test_dot_product_attention",
        "NNOpsStaticShapeTest::test_psnr", "NNOpsStaticShapeTest::test_dot_product_attention",
        "NNOpsStaticShapeTest::test_layer_normalization", "NNOpsStaticShapeTest::test_polar")},
    "keras_src/ops/nn_test.py::NNOpsBehaviorTest::test_check_shape_first_dim_mismatch":
        "calls Keras's private CTCLoss._check_shape_first_dim; ctc_loss's own first-dimension error is tested",
    **{f"keras_src/losses/losses_test.py::{name}Test::test_config":
       "pins Keras's config that drops the loss's own arguments (axis, delta, dtype), so from_config loses them; "
       "brickwork's config holds every constructor argument" for name in ("CosineSimilarity", "HuberLoss", "LogCosh")},
    **{f"keras_src/callbacks/remote_monitor_test.py::TerminateOnNaNTest::{name}":
       "mocks requests.post; brickwork posts the same payload with the standard library, with no `requests` "
       "dependency (tests/callbacks/test_remote_monitor.py checks it against a local HTTP server)"
       for name in ("test_RemoteMonitor_np_array", "test_RemoteMonitor_np_float32",
                    "test_RemoteMonitorWithJsonPayload")},
    **{f"keras_src/ops/numpy_test.py::{name}":
       "pins a symbolic shape for arguments NumPy and brickwork's own eager call reject (contracting 4 against 3; "
       "einsum 'ii' over sizes 2 and 3); brickwork raises when the graph is built"
       for name in ("NumpyTwoInputOpsDynamicShapeTest::test_tensordot", "NumpyTwoInputOpsStaticShapeTest::test_einsum")},
    **{f"keras_src/ops/numpy_test.py::{name}":
       "pins a symbolic result that differs from the op's eager result; brickwork's symbolic shapes are its eager "
       "shapes (where(condition) is a tuple of index tensors; ndim is a Python int; corrcoef of (3, None) is "
       "(3, 3); diag(k=3) of (None, 3) is empty; concatenate(axis=None) flattens, as NumPy's)"
       for name in ("NumpyTwoInputOpsDynamicShapeTest::test_where", "NumpyTwoInputOpsStaticShapeTest::test_where",
                    "NumpyOneInputOpsDynamicShapeTest::test_ndim", "NumpyOneInputOpsStaticShapeTest::test_ndim",
                    "NumpyOneInputOpsDynamicShapeTest::test_corrcoef", "NumpyOneInputOpsDynamicShapeTest::test_diag",
                    "NumpyOneInputOpsDynamicShapeTest::test_concatenate",
                    "NumpyOneInputOpsStaticShapeTest::test_concatenate")},
    **{f"keras_src/layers/rnn/bidirectional_test.py::SimpleRNNTest::{name}":
       "calls Keras's private _can_attempt_fused_* gates of its torch cuDNN bidirectional dispatch; brickwork's "
       "fused LSTM/GRU path has its own eligibility check (tests/layers/rnn)"
       for name in ("test_fused_lstm_eligibility", "test_fused_gru_eligibility")},
    "keras_src/ops/linalg_test.py::QrOpTest::test_compute_output_spec_undefined_dimensions":
        "expects qr of a (None, 4) input to be refused symbolically; brickwork gives the shapes the eager call has",
    "keras_src/callbacks/backup_and_restore_test.py::BackupAndRestoreCallbackTest::test_best_case_step":
        "expects the interrupted epoch to be trained again from its start (17 steps); brickwork resumes mid-epoch "
        "at the saved step and trains no batch twice (15)",
    **{f"keras_src/losses/losses_test.py::SparseCategoricalCrossentropyTest::{name}":
       "expects Keras's jax backend to refuse a class axis other than the last; brickwork computes the loss on every "
       "backend (tests/losses check it against NumPy)"
       for name in ("test_binary_segmentation_different_axis", "test_multi_class_segmentation_different_axis")},
    "keras_src/ops/core_test.py::CoreOpsBehaviorTests::test_cond_check_output_spec":
        "calls Keras's private Cond._check_output_spec with mock specs; cond's own branch-mismatch error is tested",
}


# Left out on the engines other than tensorflow only: on it they run.
EXCLUDED_WITHOUT_TENSORFLOW: dict[str, str] = {
    "keras_src/export/litert_test.py": "exports to LiteRT through TensorFlow",
    "keras_src/export/tfsm_layer_test.py": "SavedModel layers need the TensorFlow engine",
    "keras_src/export/saved_model_test.py": "SavedModel export needs the TensorFlow engine",
    "keras_src/legacy/": "Keras 2 (tf.keras) legacy loaders that need TensorFlow",
}


def excluded_reason(test_id: str, backend: str | None = None) -> str | None:
    """The reason ``test_id`` (or the file or folder holding it) is left out on ``backend``, else ``None``.

    ``backend`` defaults to the one this process runs (``$BRICKWORK_BACKEND``, else ``$KERAS_BACKEND``).
    """
    backend = backend or os.environ.get("BRICKWORK_BACKEND") or os.environ.get("KERAS_BACKEND") or "torch"
    table = EXCLUDED if backend == "tensorflow" else {**EXCLUDED, **EXCLUDED_WITHOUT_TENSORFLOW}
    for prefix, reason in table.items():
        if prefix.endswith("*"):
            if test_id.startswith(prefix[:-1]):
                return reason
        elif test_id == prefix or test_id.startswith(prefix if prefix.endswith("/") else prefix + "::") \
                or (prefix.endswith(".py") and test_id.split("::")[0] == prefix):
            return reason
    return None
