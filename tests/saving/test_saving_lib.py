"""Round trips through .keras and .weights.h5: same predictions, same optimizer state, training resumes."""

import json
import zipfile

import numpy as np
import pytest

from brickwork import backend, layers, saving
from brickwork.models import Model, Sequential
from tests.conftest import requires_training


def _layer(name):
    if not hasattr(layers, name):
        pytest.skip(f"brickwork.layers has no {name} yet")
    return getattr(layers, name)


def _dense_family():
    inputs = layers.Input((6,))
    hidden = layers.Dense(5, activation="relu")(inputs)
    return Model(inputs, layers.Activation("tanh")(layers.Dense(3)(hidden))), (6,)


def _conv_family():
    inputs = layers.Input((8, 8, 2))
    x = _layer("Conv2D")(3, 3, padding="same", activation="relu")(inputs)
    x = _layer("DepthwiseConv2D")(3, padding="same")(x)
    x = _layer("SeparableConv2D")(4, 3)(x)
    x = _layer("Conv2DTranspose")(2, 2, strides=2)(x)
    x = _layer("Conv1D")(2, 3)(layers.Reshape((-1, 2))(x))
    return Model(inputs, layers.Dense(2)(layers.Flatten()(x))), (8, 8, 2)


def _pooling_reshaping_family():
    inputs = layers.Input((8, 8, 2))
    x = layers.ZeroPadding2D(1)(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.UpSampling2D(2)(layers.AveragePooling2D(2)(x))
    x = layers.GlobalMaxPooling2D()(layers.Cropping2D(1)(x))
    return Model(inputs, layers.Dense(2)(layers.RepeatVector(2)(x))), (8, 8, 2)


def _merging_family():
    a, b = layers.Input((4,), name="a"), layers.Input((4,), name="b")
    shared = layers.Dense(3)
    merged = layers.Concatenate()([layers.Add()([shared(a), shared(b)]), layers.Multiply()([shared(a), shared(b)])])
    return Model([a, b], [layers.Dense(1)(merged), layers.Dense(2, activation="softmax")(merged)]), [(4,), (4,)]


def _recurrent_family():
    inputs = layers.Input((5, 3))
    x = _layer("Bidirectional")(_layer("LSTM")(4, return_sequences=True))(inputs)
    x = _layer("GRU")(3, return_sequences=True)(x)
    x = _layer("SimpleRNN")(2)(x)
    return Model(inputs, layers.Dense(1)(x)), (5, 3)


def _normalization_family():
    inputs = layers.Input((6,))
    x = _layer("BatchNormalization")()(layers.Dense(4)(inputs))
    x = _layer("LayerNormalization")()(x)
    return Model(inputs, layers.Dense(2)(x)), (6,)


def _embedding_family():
    inputs = layers.Input((5,), dtype="int32")
    x = _layer("Embedding")(10, 4)(inputs)
    return Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling1D()(x))), "int"


def _dropout_family():
    return Sequential([layers.Input((6,)), layers.Dense(4), layers.Dropout(0.5), layers.Dense(2)]), (6,)


FAMILIES = {
    "core": _dense_family, "convolutional": _conv_family, "pooling-reshaping": _pooling_reshaping_family,
    "merging": _merging_family, "recurrent": _recurrent_family, "normalization": _normalization_family,
    "embedding": _embedding_family, "regularization": _dropout_family,
}
STOCHASTIC = {"regularization"}  # Dropout draws new masks: compare inference only


def _data(shapes, batch=8):
    rng = np.random.default_rng(1)
    if shapes == "int":
        return rng.integers(0, 10, size=(batch, 5)).astype("int32")
    if isinstance(shapes, list):
        return [rng.normal(size=(batch,) + s).astype("float32") for s in shapes]
    return rng.normal(size=(batch,) + shapes).astype("float32")


def _targets(model, batch=8):
    rng = np.random.default_rng(2)
    outputs = model.outputs
    values = [rng.normal(size=(batch,) + tuple(o.shape[1:])).astype("float32") for o in outputs]
    return values if len(values) > 1 else values[0]


def _assert_same_predictions(a, b, x):
    for left, right in zip(_as_list(a.predict(x, verbose=0)), _as_list(b.predict(x, verbose=0))):
        np.testing.assert_allclose(left, right, rtol=1e-6, atol=1e-6)


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _assert_same_variables(a_vars, b_vars, **tolerance):
    assert len(a_vars) == len(b_vars)
    for left, right in zip(a_vars, b_vars):
        np.testing.assert_allclose(backend.convert_to_numpy(left.value), backend.convert_to_numpy(right.value),
                                   **(tolerance or {"rtol": 0, "atol": 0}))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_round_trip_every_layer_family(tmp_path, family):
    model, shapes = FAMILIES[family]()
    x = _data(shapes)
    y = _targets(model)
    model.compile(optimizer="adam", loss="mse")
    if backend.SUPPORTS_TRAINING:
        model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    restored = saving.load_model(path)
    assert type(restored) is type(model)
    _assert_same_predictions(model, restored, x)
    _assert_same_variables(model.weights, restored.weights)
    if not backend.SUPPORTS_TRAINING:
        return
    _assert_same_variables(model.optimizer.variables, restored.optimizer.variables)
    if family in STOCHASTIC:
        return
    # Training resumes where it stopped: one more epoch on each gives the same weights.
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    restored.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    _assert_same_variables(model.weights, restored.weights, rtol=1e-5, atol=1e-6)
    assert int(backend.convert_to_numpy(restored.optimizer.iterations)) == 5


def test_archive_layout_matches_keras(tmp_path):
    model = Sequential([layers.Input((3,)), layers.Dense(4, name="first"), layers.Dense(2, name="second")],
                       name="mlp")
    model.save(tmp_path / "m.keras")
    import h5py
    import io

    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
        with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as weights:
            names = []
            weights.visit(names.append)
            assert weights["layers/dense/vars"].attrs["name"] == "first"
            assert weights["vars"].attrs["name"] == "mlp"
    assert set(metadata) >= {"keras_version", "date_saved"}
    assert config["class_name"] == "Sequential" and config["config"]["name"] == "mlp"
    # Paths follow classes and order, never layer names; Sequential's Input is not stored.
    assert sorted(names) == sorted(["layers", "layers/dense", "layers/dense/vars", "layers/dense/vars/0",
                                    "layers/dense/vars/1", "layers/dense_1", "layers/dense_1/vars",
                                    "layers/dense_1/vars/0", "layers/dense_1/vars/1", "vars"])


def test_load_compile_false_and_uncompiled_model(tmp_path):
    model = Sequential([layers.Input((3,)), layers.Dense(2)])
    model.save(tmp_path / "plain.keras")
    assert not saving.load_model(tmp_path / "plain.keras").compiled
    model.compile(optimizer="sgd", loss="mse")
    model.save(tmp_path / "compiled.keras")
    assert saving.load_model(tmp_path / "compiled.keras").compiled
    assert not saving.load_model(tmp_path / "compiled.keras", compile=False).compiled


def _sequential(units=2):
    return Sequential([layers.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(units)])


def _functional(units=2):
    inputs = layers.Input((3,))
    return Model(inputs, layers.Dense(units)(layers.Dense(4, activation="relu")(inputs)))


@pytest.mark.parametrize("source,target", [(_sequential, _functional), (_functional, _sequential)])
def test_weights_load_into_the_same_architecture_built_another_way(tmp_path, source, target):
    saved, loaded = source(), target()
    saved.save_weights(tmp_path / "w.weights.h5")
    loaded.load_weights(tmp_path / "w.weights.h5")
    x = _data((3,))
    np.testing.assert_allclose(saved.predict(x, verbose=0), loaded.predict(x, verbose=0), rtol=1e-6)


def test_load_weights_from_a_keras_archive(tmp_path):
    saved, loaded = _sequential(), _sequential()
    saved.save(tmp_path / "m.keras")
    loaded.load_weights(tmp_path / "m.keras")
    _assert_same_variables(saved.weights, loaded.weights)


def test_skip_mismatch(tmp_path):
    saved, other = _sequential(units=2), _sequential(units=5)
    saved.save_weights(tmp_path / "w.weights.h5")
    before = [w.copy() for w in other.get_weights()]
    with pytest.raises(ValueError, match=r"(?s)layers/dense_1.*shape.*shapes must match.*skip_mismatch=True"):
        other.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(other.get_weights()[2], before[2])
    with pytest.warns(UserWarning, match="layers/dense_1"):
        other.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(other.get_weights()[0], saved.get_weights()[0])  # matching layer loaded
    np.testing.assert_array_equal(other.get_weights()[2], before[2])  # mismatched layer untouched


@requires_training
def test_optimizer_state_in_weights_file(tmp_path):
    model = _sequential()
    model.compile(optimizer="adam", loss="mse")
    model.fit(_data((3,)), np.ones((8, 2), "float32"), epochs=2, verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _sequential()
    other.compile(optimizer="adam", loss="mse")
    other.load_weights(tmp_path / "w.weights.h5")
    _assert_same_variables(model.optimizer.variables, other.optimizer.variables)


@pytest.mark.parametrize("name,call", [
    ("m.txt", lambda m, p: m.save(p)),
    ("m.h5", lambda m, p: m.save_weights(p)), ("m.npz", lambda m, p: m.load_weights(p)),
    ("m.weights.h5", lambda m, p: saving.load_model(p)),
])
def test_file_names_are_checked(tmp_path, name, call):
    with pytest.raises(ValueError, match=r"\.keras|\.weights\.h5"):
        call(_sequential(), tmp_path / name)


def test_load_weights_into_unbuilt_model_names_it(tmp_path):
    _sequential().save_weights(tmp_path / "w.weights.h5")
    unbuilt = Sequential([layers.Dense(4), layers.Dense(2)], name="lazy")
    with pytest.raises(ValueError, match="not yet been built. Model 'lazy'"):
        unbuilt.load_weights(tmp_path / "w.weights.h5")


def test_subclassed_model_round_trip_with_registered_class(tmp_path):
    @saving.register_keras_serializable(package="tests_saving")
    class TwoLayer(Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = layers.Dense(units, activation="relu")
            self.out = layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    model = TwoLayer()
    x = _data((4,))
    model(x)
    model.save(tmp_path / "sub.keras")
    restored = saving.load_model(tmp_path / "sub.keras")
    np.testing.assert_allclose(model.predict(x, verbose=0), restored.predict(x, verbose=0), rtol=1e-6)


def test_assets_round_trip_under_the_object_path(tmp_path):
    """``save_assets(folder)``/``load_assets(folder)`` (KerasHub's tokenizers keep their vocabulary so): files land
    in ``assets/<object path>/`` as Keras writes them, and come back to the rebuilt object."""

    @saving.register_keras_serializable(package="tests_saving")
    class Vocabulary(layers.Layer):
        def __init__(self, words=None, **kwargs):
            super().__init__(**kwargs)
            self.words = words

        def call(self, x):
            return x

        def save_assets(self, folder):
            with open(f"{folder}/vocabulary.txt", "w") as stream:
                stream.write("\n".join(self.words))

        def load_assets(self, folder):
            with open(f"{folder}/vocabulary.txt") as stream:
                self.words = stream.read().split("\n")

    @saving.register_keras_serializable(package="tests_saving")
    class WithVocabulary(Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.vocabulary = Vocabulary()
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(self.vocabulary(x))

    model = WithVocabulary()
    model.vocabulary.words = ["[PAD]", "the", "fox"]
    model(_data((4,)))
    model.save(tmp_path / "assets.keras")
    with zipfile.ZipFile(tmp_path / "assets.keras") as archive:
        # The path of the object as the weights file has it (a subclassed model's layers under layers/).
        assert "assets/layers/vocabulary/vocabulary.txt" in archive.namelist()
    restored = saving.load_model(tmp_path / "assets.keras")
    assert restored.vocabulary.words == ["[PAD]", "the", "fox"]



@pytest.mark.parametrize("bound", [0, 1.0], ids=["through-disk", "in-memory"])
def test_large_weights_pass_through_a_temporary_file(tmp_path, monkeypatch, bound):
    """Above ``_MEMORY_UPPER_BOUND`` of the available memory the weights go through a file, not memory."""
    from brickwork.saving import saving_lib

    monkeypatch.setattr(saving_lib, "_MEMORY_UPPER_BOUND", bound)
    model = _sequential(units=3)
    x = np.random.rand(4, 3).astype("float32")
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert "model.weights.h5" in archive.namelist()
    _assert_same_predictions(model, saving.load_model(tmp_path / "m.keras"), x)
    other = _sequential(units=3)
    other.load_weights(tmp_path / "m.keras")
    _assert_same_variables(model.weights, other.weights)


def test_a_model_saves_to_and_loads_from_an_open_binary_file():
    import io

    model = Sequential([layers.Input((3,)), layers.Dense(2, name="d")])
    buffer = io.BytesIO()
    model.save(buffer)
    assert zipfile.is_zipfile(io.BytesIO(buffer.getvalue()))  # a whole .keras archive, written in one piece
    buffer.seek(0)
    again = saving.load_model(buffer)
    x = np.random.rand(4, 3).astype("float32")
    np.testing.assert_allclose(backend.convert_to_numpy(again(x)), backend.convert_to_numpy(model(x)), rtol=1e-6)


def test_weights_of_an_unbuilt_model_are_refused_both_ways(tmp_path):
    unbuilt = Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="You are saving a model that has not yet been built"):
        unbuilt.save_weights(tmp_path / "a.weights.h5")
    assert not (tmp_path / "a.weights.h5").exists()
    built = Sequential([layers.Input((3,)), layers.Dense(2)])
    built.save_weights(tmp_path / "b.weights.h5")
    with pytest.raises(ValueError, match="You are loading weights into a model that has not yet been built"):
        Sequential([layers.Dense(2)]).load_weights(tmp_path / "b.weights.h5")


def test_a_model_with_its_own_compile_loads_uncompiled_with_a_warning(tmp_path):
    from brickwork import Input, Model, layers, saving

    @saving.register_keras_serializable(package="tests_saving")
    class OwnCompile(Model):
        def compile(self, learning_rate=0.1):  # not Keras's signature: calling it with the saved config would fail
            super().compile(optimizer="sgd", loss="mse")

    inputs = Input((2,))
    model = OwnCompile(inputs, layers.Dense(1)(inputs))
    model.compile()
    model.save(tmp_path / "own.keras")
    with pytest.warns(UserWarning, match="`compile\\(\\)` was not called as part of model loading"):
        loaded = saving.load_model(tmp_path / "own.keras")
    assert not loaded.compiled and isinstance(loaded, OwnCompile)
    for expected, got in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(expected, got)


def test_a_layer_the_file_has_no_variables_for_is_a_count_mismatch(tmp_path):
    saved = Sequential([layers.Input((3,)), layers.Dense(2)])
    longer = Sequential([layers.Input((3,)), layers.Dense(2), layers.Dense(4)])
    saved.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match=r"expected 2 variables \['kernel', 'bias'\], received 0 variables"):
        longer.load_weights(tmp_path / "w.weights.h5")
    with pytest.warns(UserWarning):
        longer.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(longer.layers[0].kernel.numpy(), saved.layers[0].kernel.numpy())


def test_weights_saved_under_an_attribute_load_into_a_model_exposing_it_as_a_property(tmp_path):
    class Plain(Model):
        def __init__(self):
            super().__init__()
            self.head = layers.Dense(3)

        def call(self, x):
            return self.head(x)

    class Renamed(Model):
        def __init__(self):
            super().__init__()
            self.block = Sequential([layers.Dense(3)])  # held as `block`, reached as the property `head`

        @property
        def head(self):
            return self.block

        def call(self, x):
            return self.block(x)

    class NestedPlain(Model):
        def __init__(self):
            super().__init__()
            self.head = Sequential([layers.Dense(3)])

        def call(self, x):
            return self.head(x)

    x = np.ones((2, 2), "float32")
    source = NestedPlain()
    source(x)
    source.save_weights(tmp_path / "nested.weights.h5")
    target = Renamed()
    target(x)
    target.load_weights(tmp_path / "nested.weights.h5")  # the layers inside the renamed object follow it
    np.testing.assert_array_equal(target.head.layers[0].kernel.numpy(), source.head.layers[0].kernel.numpy())

    plain = Plain()
    plain(x)
    plain.save_weights(tmp_path / "plain.weights.h5")
    other = Renamed()
    other(x)
    with pytest.raises(ValueError, match="could not be loaded"):  # same name, another structure: still a mismatch
        other.load_weights(tmp_path / "plain.weights.h5")
