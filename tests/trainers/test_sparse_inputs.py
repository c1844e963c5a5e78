"""Sparse training data, as Keras 3.15.1 takes it: SciPy sparse matrices (any backend) and the engine's own
sparse tensors (a BCOO on jax, a ``tf.SparseTensor`` on tensorflow). There a batch is a sparse tensor and
stays one through the compiled step; on the other backends SciPy batches are densified. Values are checked
against the SciPy matrix's own ``toarray`` and against the same model trained on the dense equivalent of the
data."""

import numpy as np
import pytest

from brickwork import backend, layers, models, ops, optimizers
from brickwork.trainers.data_adapters import get_data_adapter
from tests.conftest import requires_training
from tests.sparse_helpers import is_sparse, requires_sparse, stored_count

scipy_sparse = pytest.importorskip("scipy.sparse")

N, FEATURES = 10, 4


def _matrix(fmt="csr", seed=0):
    return scipy_sparse.random(N, FEATURES, density=0.3, format=fmt, dtype="float64", random_state=seed)


def _engine_sparse(matrix):
    """The engine's sparse tensor holding the SciPy ``matrix``'s stored values."""
    return backend.active.sparse.from_scipy(matrix)


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("fmt", ["csr", "coo"])
def test_array_adapter_batches_scipy_rows(shuffle, fmt):
    matrix = _matrix(fmt)
    rows = np.arange(N, dtype="float32")  # y names each sample's row, to follow the shuffle
    seen = []
    for x, y, _ in get_data_adapter(matrix, rows, batch_size=4, shuffle=shuffle).get_iterator():
        assert is_sparse(x) is backend.SUPPORTS_SPARSE_TENSORS
        assert backend.standardize_dtype(x.dtype) == backend.floatx()  # float64 data cast, as Keras does
        index = backend.convert_to_numpy(y).astype(int)
        np.testing.assert_allclose(backend.convert_to_numpy(x), matrix.toarray()[index], rtol=1e-6)
        if backend.SUPPORTS_SPARSE_TENSORS:
            assert stored_count(x) == matrix.tocsr()[index].nnz  # a batch stores its own rows' values only
        seen.extend(index.tolist())
    assert sorted(seen) == list(range(N))


def test_generator_of_scipy_batches():
    matrices = [_matrix(seed=i) for i in range(3)]
    adapter = get_data_adapter(iter([(m, np.ones((N, 1))) for m in matrices]))
    for matrix, (x, _, _) in zip(matrices, adapter.get_iterator()):
        assert is_sparse(x) is backend.SUPPORTS_SPARSE_TENSORS
        np.testing.assert_allclose(backend.convert_to_numpy(x), matrix.toarray(), rtol=1e-6)


@requires_sparse
@pytest.mark.parametrize("shuffle", [False, True])
def test_array_adapter_slices_engine_sparse(shuffle):
    matrix = _matrix()
    rows = np.arange(N, dtype="float32")
    for x, y, _ in get_data_adapter(_engine_sparse(matrix), rows, batch_size=4, shuffle=shuffle).get_iterator():
        assert is_sparse(x)
        index = backend.convert_to_numpy(y).astype(int)
        np.testing.assert_allclose(backend.convert_to_numpy(x), matrix.toarray()[index], rtol=1e-6)


@pytest.mark.skipif(backend.backend() != "tensorflow", reason="a tf.SparseTensor may be built out of order")
def test_array_adapter_batches_a_tf_sparse_tensor_stored_out_of_order():
    import tensorflow as tf

    dense = _matrix().toarray().astype("float32")
    positions = np.argwhere(dense)[::-1]  # last row first: not the row-major order take_rows searches
    x = tf.SparseTensor(positions, dense[tuple(positions.T)], dense.shape)
    rows = np.arange(N, dtype="float32")
    for batch, y, _ in get_data_adapter(x, rows, batch_size=4, shuffle=False).get_iterator():
        index = backend.convert_to_numpy(y).astype(int)
        np.testing.assert_array_equal(backend.convert_to_numpy(batch), dense[index])


class _SparseMatmul(layers.Layer):
    """``x @ kernel`` for a sparse or dense ``x``; ``saw_sparse`` says whether a call (or trace) got a sparse one."""

    saw_sparse = False

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 3), initializer="glorot_uniform")

    def call(self, x):
        self.saw_sparse = self.saw_sparse or is_sparse(x)
        return ops.matmul(x, self.kernel)


def _trained(x, y, mode, seed=0):
    backend.clear_session(free_memory=False)
    model = models.Sequential([layers.Input((FEATURES,)), _SparseMatmul()])
    model.set_weights([np.random.default_rng(seed).normal(size=(FEATURES, 3)).astype("float32")])
    model.compile(optimizer=optimizers.SGD(0.1), loss="mse", run_eagerly=mode == "eager",
                  jit_compile=mode == "jit")
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history["loss"]
    return model, history


@requires_training
@requires_sparse
@pytest.mark.parametrize("mode", ["eager", "graph", "jit"])
@pytest.mark.parametrize("kind", ["scipy", "engine"])
def test_fit_evaluate_predict_sparse_match_dense(kind, mode):
    matrix = _matrix()
    x = matrix if kind == "scipy" else _engine_sparse(matrix.astype("float32"))
    y = np.random.default_rng(1).normal(size=(N, 3)).astype("float32")
    dense = matrix.toarray().astype("float32")
    sparse_model, sparse_history = _trained(x, y, mode)
    dense_model, dense_history = _trained(dense, y, mode)
    assert sparse_model.layers[-1].saw_sparse and not dense_model.layers[-1].saw_sparse
    np.testing.assert_allclose(sparse_history, dense_history, rtol=1e-5)
    np.testing.assert_allclose(sparse_model.get_weights()[0], dense_model.get_weights()[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sparse_model.evaluate(x, y, batch_size=4, verbose=0),
                               dense_model.evaluate(dense, y, batch_size=4, verbose=0), rtol=1e-5)
    np.testing.assert_allclose(sparse_model.predict(x, batch_size=4, verbose=0), dense @ sparse_model.get_weights()[0],
                               rtol=1e-5, atol=1e-6)


@requires_training
@requires_sparse
def test_fit_from_generator_of_sparse_batches_with_sparse_input():
    """A Functional model on ``Input(sparse=True)`` trains from a generator of sparse batches, compiled."""
    matrix = _matrix().astype("float32")
    y = np.ones((N, 3), dtype="float32")
    inputs = layers.Input((FEATURES,), sparse=True)
    model = models.Model(inputs, _SparseMatmul()(inputs))
    model.compile(optimizer=optimizers.SGD(0.1), loss="mse", jit_compile=True)
    before = model.get_weights()[0]
    batches = ((_engine_sparse(matrix[i:i + 5]), y[i:i + 5]) for i in range(0, N, 5))
    loss = model.fit(batches, verbose=0).history["loss"][0]
    assert model.layers[-1].saw_sparse
    # One SGD step on each half: replay it by hand with the mse gradient 2/(n*3) * x^T (x w - y).
    weights = before
    for i in range(0, N, 5):
        rows = matrix[i:i + 5].toarray()
        weights = weights - 0.1 * 2.0 / (5 * 3) * rows.T @ (rows @ weights - y[i:i + 5])
    np.testing.assert_allclose(model.get_weights()[0], weights, rtol=1e-5, atol=1e-6)
    assert np.isfinite(loss)


@requires_training
@requires_sparse
def test_dense_layer_fits_scipy_data_as_its_dense_values():
    matrix = _matrix()
    y = np.random.default_rng(1).normal(size=(N, 2)).astype("float32")
    histories = []
    for x in (matrix, matrix.toarray().astype("float32")):
        backend.clear_session(free_memory=False)
        model = models.Sequential([layers.Input((FEATURES,)), layers.Dense(2, kernel_initializer="ones")])
        model.compile(optimizer=optimizers.SGD(0.1), loss="mse", jit_compile=True)
        histories.append(model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history["loss"])
    np.testing.assert_allclose(histories[0], histories[1], rtol=1e-5)
