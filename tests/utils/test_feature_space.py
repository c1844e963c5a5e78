"""``keras.utils.FeatureSpace`` against Keras 3.15.1 and against hand-computed NumPy references.

Keras's FeatureSpace needs TensorFlow to ``adapt``, to be called on data, and to build its lookup, hashing
and crossing layers; the reference environment has no TensorFlow. So:

- the float kinds (``float``, ``float_rescaled``, ``float_normalized``, ``float_discretized``), in both output
  modes, are compared with Keras's own FeatureSpace run through the Functional model of its ``get_inputs()`` /
  ``get_encoded_features()``: Keras's ``Normalization`` adapts on the same NumPy columns, and its
  ``Discretization`` is given brickwork's bins (Keras's quantile sketch differs from the exact quantiles
  brickwork computes, checked here against ``np.quantile``), and ``_is_adapted`` is set by hand in place of
  the tf.data ``adapt``;
- a FeatureSpace file saved by Keras is loaded here, and one saved here is loaded by Keras, with the same
  outputs; the configs have Keras's layout;
- the categorical, hashed and crossed kinds are compared with NumPy: vocabularies written by hand
  (frequency order, OOV index 0), one-hot by hand, string hash bins from Keras's ``Hashing`` documentation,
  integers hashed as their decimal text (as Keras does), and cross bins from ``HashedCrossing`` (checked
  against TensorFlow's ``cross_hashed`` in its own tests) on the hand-computed lookup indices.
"""

import io
import json
import zipfile

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, ops
from brickwork.utils import FeatureSpace
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras, run_keras_script

FLOATS = {
    "f": np.array([0.5, -1.0, 2.0, 3.5, 0.0, 1.5, -2.5, 4.0], "float32"),
    "r": np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], "float32"),
    "n": np.array([1.0, 4.0, 2.0, 8.0, 5.0, 7.0, 3.0, 6.0], "float32"),
    "d": np.array([0.1, 0.5, 0.2, 0.9, 0.4, 0.7, 0.3, 0.8], "float32"),
}
CITY = ["Paris", "Rome", "Paris", "Oslo", "Rome", "Paris"]  # vocabulary by frequency: Paris, Rome, Oslo
ROOMS = [7, 3, 7, 5, 3, 7]  # 7, 3, 5
TAG = ["A", "B", "C", "D", "E", "A"]
TAG_BINS = [1, 0, 1, 1, 2, 1]  # keras.layers.Hashing(num_bins=3) on A..E, from its documentation
ZONE = [1, 2, 3, 1, 2, 3]


def _np(x):
    return {k: ops.convert_to_numpy(v) for k, v in x.items()} if isinstance(x, dict) else ops.convert_to_numpy(x)


def _one_hot(indices, depth):
    return np.eye(depth, dtype="float32")[np.asarray(indices)]


def _float_space(output_mode="concat"):
    return FeatureSpace({"f": "float", "r": FeatureSpace.float_rescaled(scale=2.0, offset=1.0), "n": "float_normalized",
                         "d": FeatureSpace.float_discretized(num_bins=4)}, output_mode=output_mode)


def _categorical_space(output_mode="concat", **kwargs):
    return FeatureSpace({"city": "string_categorical", "rooms": "integer_categorical", "tag": "string_hashed",
                         "zone": "integer_hashed"}, output_mode=output_mode, hashing_dim=3, **kwargs)


def _categorical_data():
    return {"city": np.array(CITY), "rooms": np.array(ROOMS), "tag": np.array(TAG), "zone": np.array(ZONE)}


_KERAS_FLOAT_SPACE = """
from keras.utils import FeatureSpace
columns = {k: data[k].reshape(-1, 1) for k in ("f", "r", "n", "d")}
space = FeatureSpace({"f": "float", "r": FeatureSpace.float_rescaled(scale=2.0, offset=1.0), "n": "float_normalized",
                      "d": FeatureSpace.float_discretized(num_bins=4)}, output_mode=OUTPUT_MODE)
space.preprocessors["n"].adapt(columns["n"])  # Keras's Normalization adapts on NumPy without TensorFlow
space.preprocessors["d"].bin_boundaries = data["bounds"].tolist()
space._is_adapted = True  # FeatureSpace.adapt itself needs tf.data
result = keras.Model(space.get_inputs(), space.get_encoded_features())(columns)
result = result if isinstance(result, dict) else {"concat": result}
out.update({k: keras.ops.convert_to_numpy(v) for k, v in result.items()})
"""


@pytest.mark.parametrize("output_mode", ["concat", "dict"])
def test_float_kinds_match_keras(output_mode):
    space = _float_space(output_mode)
    space.adapt(FLOATS)
    bounds = space.preprocessors["d"].bin_boundaries
    np.testing.assert_allclose(bounds, np.quantile(FLOATS["d"], [0.25, 0.5, 0.75]), rtol=1e-6)
    expected = run_keras(_KERAS_FLOAT_SPACE.replace("OUTPUT_MODE", repr(output_mode)), bounds=np.array(bounds),
                         **FLOATS)
    result = _np(space(FLOATS))
    symbolic = _np(keras.Model(space.get_inputs(), space.get_encoded_features())(
        {k: v.reshape(-1, 1) for k, v in FLOATS.items()}))
    for got in (result, symbolic):
        got = got if isinstance(got, dict) else {"concat": got}
        assert sorted(got) == sorted(expected)
        for name in expected:
            np.testing.assert_allclose(got[name], expected[name], rtol=1e-5, atol=1e-6, err_msg=name)
    if output_mode == "concat":  # features in name order: d (4 one-hot bins), f, n, r
        n = FLOATS["n"]
        by_hand = np.concatenate([_one_hot(np.digitize(FLOATS["d"], bounds), 4), FLOATS["f"][:, None],
                                  ((n - n.mean()) / n.std())[:, None], (FLOATS["r"] * 2 + 1)[:, None]], axis=1)
        np.testing.assert_allclose(result, by_hand, rtol=1e-5, atol=1e-6)


def test_categorical_and_hashed_kinds_against_numpy():
    space = _categorical_space("dict")
    space.adapt(_categorical_data())
    assert space.preprocessors["city"].get_vocabulary() == ["[UNK]", "Paris", "Rome", "Oslo"]
    assert space.preprocessors["rooms"].get_vocabulary() == [-1, 7, 3, 5]
    new = {"city": ["Rome", "Lima", "Oslo"], "rooms": [5, 9, 7], "tag": TAG[:3], "zone": ZONE[:3]}
    out = _np(space(new))
    np.testing.assert_array_equal(out["city"], _one_hot([2, 0, 3], 4))  # Lima is out of vocabulary
    np.testing.assert_array_equal(out["rooms"], _one_hot([3, 0, 1], 4))
    np.testing.assert_array_equal(out["tag"], _one_hot(TAG_BINS[:3], 3))
    as_text = _categorical_space("dict")
    as_text.adapt(_categorical_data())
    text_bins = _np(as_text({**new, "tag": [str(z) for z in ZONE[:3]]}))["tag"]
    np.testing.assert_array_equal(out["zone"], text_bins)  # integers hash as their decimal text
    concat = _categorical_space()
    concat.adapt(_categorical_data())
    np.testing.assert_array_equal(_np(concat(new)), np.concatenate([out[k] for k in sorted(out)], axis=1))


def test_int_output_modes_give_indices():
    space = FeatureSpace({"city": FeatureSpace.string_categorical(output_mode="int"),
                          "tag": FeatureSpace.string_hashed(num_bins=3, output_mode="int"),
                          "d": FeatureSpace.float_discretized(num_bins=None, bin_boundaries=[0.0, 1.0],
                                                              output_mode="int")}, output_mode="dict")
    space.adapt({"city": CITY, "tag": TAG, "d": np.zeros(6)})
    out = _np(space({"city": ["Oslo", "Paris"], "tag": ["A", "E"], "d": [-0.5, 3.0]}))
    np.testing.assert_array_equal(out["city"], [[3], [1]])
    np.testing.assert_array_equal(out["tag"], [[1], [2]])
    np.testing.assert_array_equal(out["d"], [[0], [2]])
    assert all(np.issubdtype(v.dtype, np.integer) for v in out.values())


@pytest.mark.parametrize("output_mode", ["concat", "dict"])
def test_crosses_hash_the_preprocessed_indices(output_mode):
    crosses = [FeatureSpace.cross(("city", "rooms"), crossing_dim=8),
               FeatureSpace.cross(("rooms", "tag"), crossing_dim=5, output_mode="int")]
    space = FeatureSpace({"city": "string_categorical", "rooms": "integer_categorical", "tag": "string_hashed"},
                         crosses=crosses, hashing_dim=3, output_mode="dict")
    data = {"city": CITY, "rooms": ROOMS, "tag": TAG}
    space.adapt(data)
    city_index = np.array([{"Paris": 1, "Rome": 2, "Oslo": 3}[c] for c in CITY])
    rooms_index = np.array([{7: 1, 3: 2, 5: 3}[r] for r in ROOMS])
    out = _np(space(data))
    bins = _np(layers.HashedCrossing(num_bins=8)((city_index, rooms_index)))
    np.testing.assert_array_equal(out["city_X_rooms"], _one_hot(bins, 8))
    int_bins = _np(layers.HashedCrossing(num_bins=5)((rooms_index, np.array(TAG_BINS))))
    np.testing.assert_array_equal(out["rooms_X_tag"], int_bins[:, None])
    if output_mode == "concat":  # crosses given as tuples take `crossing_dim`; they come after the features
        concat = FeatureSpace({"city": "string_categorical", "rooms": "integer_categorical"},
                              crosses=[("city", "rooms")], crossing_dim=8)
        concat.adapt(data)
        expected = np.concatenate([out["city"], out["rooms"], out["city_X_rooms"]], axis=1)
        np.testing.assert_array_equal(_np(concat(data)), expected)


def _dict_batches(data, size):
    count = len(next(iter(data.values())))
    for start in range(0, count, size):
        yield {k: np.asarray(v)[start:start + size] for k, v in data.items()}


class _Batches(keras.utils.PyDataset):
    def __init__(self, data, **kwargs):
        super().__init__(**kwargs)
        self.batches = list(_dict_batches(data, 3))

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, index):
        return self.batches[index], np.zeros(len(self.batches[index]["city"]))


def _torch_loader(data):
    torch = pytest.importorskip("torch")
    rows = [{k: (torch.tensor(v[i]) if not isinstance(v[i], str) else v[i]) for k, v in data.items()}
            for i in range(len(data["city"]))]
    return torch.utils.data.DataLoader(rows, batch_size=4)


@pytest.mark.parametrize("source", ["lists", "generator", "samples", "list_of_dicts", "py_dataset", "data_loader"])
def test_adapt_sources_learn_the_same_state(source):
    data = {"city": CITY, "rooms": ROOMS, "n": [1.0, 4.0, 2.0, 8.0, 5.0, 7.0]}
    arrays = {k: np.array(v) for k, v in data.items()}
    make = {
        "lists": lambda: data,
        "generator": lambda: _dict_batches(arrays, 4),
        "samples": lambda: ({k: v[i] for k, v in arrays.items()} for i in range(6)),
        "list_of_dicts": lambda: list(_dict_batches(arrays, 2)),
        "py_dataset": lambda: _Batches(arrays),
        "data_loader": lambda: _torch_loader(data),
    }
    kinds = {"city": "string_categorical", "rooms": "integer_categorical", "n": "float_normalized"}
    reference, space = FeatureSpace(kinds), FeatureSpace(kinds)
    reference.adapt(arrays)
    space.adapt(make[source]())
    assert space.preprocessors["city"].get_vocabulary() == ["[UNK]", "Paris", "Rome", "Oslo"]
    assert space.preprocessors["rooms"].get_vocabulary() == [-1, 7, 3, 5]
    np.testing.assert_allclose(_np(space(arrays)), _np(reference(arrays)), rtol=1e-6)
    n = arrays["n"]
    np.testing.assert_allclose(_np(space(arrays))[:, 4], (n - n.mean()) / n.std(), rtol=1e-5)


def test_a_single_unbatched_sample():
    space = _categorical_space()
    space.adapt(_categorical_data())
    batch = _np(space({"city": ["Rome"], "rooms": [5], "tag": ["E"], "zone": [2]}))
    one = _np(space({"city": "Rome", "rooms": 5, "tag": "E", "zone": 2}))
    assert batch.shape == (1, 14) and one.shape == (14,)
    np.testing.assert_array_equal(one, batch[0])
    as_dict = _categorical_space("dict")
    as_dict.adapt(_categorical_data())
    out = _np(as_dict({"city": "Rome", "rooms": 5, "tag": "E", "zone": 2}))
    assert {k: v.shape for k, v in out.items()} == {"city": (4,), "rooms": (4,), "tag": (3,), "zone": (3,)}


def _adapted_space_and_columns():
    space = FeatureSpace({"city": "string_categorical", "rooms": "integer_categorical", "n": "float_normalized"},
                         crosses=[("city", "rooms")], crossing_dim=4)
    data = {"city": np.array(CITY), "rooms": np.array(ROOMS), "n": np.arange(6.0, dtype="float32")}
    space.adapt(data)
    return space, data, {k: v.reshape(-1, 1) for k, v in data.items()}


def test_functional_model_on_the_encoded_features_predicts():
    space, data, columns = _adapted_space_and_columns()
    inputs, encoded = space.get_inputs(), space.get_encoded_features()
    assert sorted(inputs) == ["city", "n", "rooms"] and tuple(encoded.shape) == (None, 13)
    encoder = keras.Model(inputs, encoded)
    np.testing.assert_allclose(_np(encoder.predict(columns, verbose=0)), _np(space(data)), rtol=1e-6)


@requires_training
def test_functional_model_on_the_encoded_features_trains_one_step():
    space, _, columns = _adapted_space_and_columns()
    model = keras.Model(space.get_inputs(), layers.Dense(1)(space.get_encoded_features()))
    before = _np(model.predict(columns, verbose=0))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(columns, np.ones((6, 1), "float32"), batch_size=6, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert not np.allclose(_np(model.predict(columns, verbose=0)), before)


def test_config_round_trip():
    space = _categorical_space(crosses=[("city", "rooms")], crossing_dim=8)
    space.adapt(_categorical_data())
    config = space.get_config()
    json.dumps(config)
    clone = FeatureSpace.from_config(config)
    assert clone.get_config() == config
    # the lookups' vocabularies are in the config, so the clone encodes as the original does
    np.testing.assert_array_equal(_np(clone(_categorical_data())), _np(space(_categorical_data())))
    floats = _float_space()
    floats.adapt(FLOATS)
    clone = FeatureSpace.from_config(floats.get_config())
    with pytest.raises(ValueError, match=r"adapt.*\['n'\].*Normalization"):
        clone(FLOATS)  # a Normalization's statistics are weights: not in the config
    clone.adapt(FLOATS)
    np.testing.assert_allclose(_np(clone(FLOATS)), _np(floats(FLOATS)), rtol=1e-6)


def test_config_has_keras_layout():
    script = """
import json, os
os.environ["KERAS_BACKEND"] = "torch"
import keras
from keras.utils import FeatureSpace
space = FeatureSpace({"f": "float", "r": FeatureSpace.float_rescaled(scale=2.0), "n": "float_normalized"})
config = keras.saving.serialize_keras_object(space)
cross = keras.saving.serialize_keras_object(FeatureSpace.cross(("f", "r"), crossing_dim=8))
print(json.dumps({"space": config, "cross": cross}))
"""
    expected = json.loads(run_keras_script(script))
    space = FeatureSpace({"f": "float", "r": FeatureSpace.float_rescaled(scale=2.0), "n": "float_normalized"})
    config = keras.saving.serialize_keras_object(space)
    reference = expected["space"]
    assert (config["module"], config["class_name"]) == (reference["module"], reference["class_name"])
    assert set(config["config"]) == set(reference["config"]) | {"name"}
    for key in ("output_mode", "crosses", "crossing_dim", "hashing_dim", "num_discretization_bins"):
        assert config["config"][key] == reference["config"][key]
    for name, feature in reference["config"]["features"].items():
        ours = config["config"]["features"][name]
        for key in ("module", "class_name", "registered_name"):
            assert ours[key] == feature[key]
        assert (ours["config"]["dtype"], ours["config"]["output_mode"]) == (
            feature["config"]["dtype"], feature["config"]["output_mode"])
        classes = {"TFDIdentity": "Identity"}
        keras_class = feature["config"]["preprocessor"]["class_name"]
        assert ours["config"]["preprocessor"]["class_name"] == classes.get(keras_class, keras_class)
    cross = keras.saving.serialize_keras_object(FeatureSpace.cross(("f", "r"), crossing_dim=8))
    assert cross == expected["cross"]


def test_save_and_load_model_round_trip(tmp_path):
    space = FeatureSpace({"city": "string_categorical", "rooms": "integer_categorical", "tag": "string_hashed",
                          "zone": "integer_hashed", "n": "float_normalized",
                          "d": FeatureSpace.float_discretized(num_bins=3), "r": FeatureSpace.float_rescaled(scale=0.5),
                          "f": "float"},
                         crosses=[FeatureSpace.cross(("city", "rooms"), crossing_dim=6)], hashing_dim=3)
    data = {**_categorical_data(), "n": np.arange(6.0), "d": np.arange(6.0) ** 2, "r": np.ones(6), "f": -np.ones(6)}
    space.adapt(data)
    path = tmp_path / "space.keras"
    space.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, FeatureSpace)
    np.testing.assert_allclose(_np(loaded(data)), _np(space(data)), rtol=1e-6)
    assert tuple(loaded.get_encoded_features().shape) == tuple(space.get_encoded_features().shape)


_KERAS_SAVES = """
from keras.utils import FeatureSpace
columns = {k: data[k].reshape(-1, 1) for k in ("f", "r", "n")}
space = FeatureSpace({"f": "float", "r": FeatureSpace.float_rescaled(scale=0.5, offset=-1.0), "n": "float_normalized"})
space.preprocessors["n"].adapt(columns["n"])
space._is_adapted = True  # FeatureSpace.adapt itself needs tf.data
out["expected"] = keras.ops.convert_to_numpy(keras.Model(space.get_inputs(), space.get_encoded_features())(columns))
space.save("space.keras")
out["archive"] = np.frombuffer(open("space.keras", "rb").read(), dtype=np.uint8)
"""

_KERAS_LOADS = """
import io, json, zipfile
with zipfile.ZipFile("space.keras", "w") as archive:
    archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
    archive.writestr("config.json", data["config"].tobytes())
    archive.writestr("model.weights.h5", data["weights"].tobytes())
space = keras.saving.load_model("space.keras")
columns = {k: data[k].reshape(-1, 1) for k in ("f", "r", "n")}
out["result"] = keras.ops.convert_to_numpy(keras.Model(space.get_inputs(), space.get_encoded_features())(columns))
"""


def test_a_file_saved_by_keras_loads(tmp_path):
    floats = {k: FLOATS[k] for k in ("f", "r", "n")}
    reference = run_keras(_KERAS_SAVES, **floats)
    path = tmp_path / "keras_space.keras"
    path.write_bytes(reference["archive"].tobytes())
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(_np(loaded(floats)), reference["expected"], rtol=1e-5, atol=1e-6)


def test_a_file_saved_here_loads_in_keras(tmp_path):
    floats = {k: FLOATS[k] for k in ("f", "r", "n")}
    space = FeatureSpace({"f": "float", "r": FeatureSpace.float_rescaled(scale=0.5, offset=-1.0),
                          "n": "float_normalized"})
    space.adapt(floats)
    space.save(tmp_path / "space.keras")
    with zipfile.ZipFile(io.BytesIO((tmp_path / "space.keras").read_bytes())) as archive:
        config, weights = archive.read("config.json"), archive.read("model.weights.h5")
    result = run_keras(_KERAS_LOADS, config=np.frombuffer(config, np.uint8), weights=np.frombuffer(weights, np.uint8),
                       **floats)["result"]
    np.testing.assert_allclose(result, _np(space(floats)), rtol=1e-5, atol=1e-6)


def test_errors_name_the_feature_and_what_was_expected():
    with pytest.raises(ValueError, match=r"feature 'age' has an unknown kind 'float_normalised'.*'float_normalized'"):
        FeatureSpace({"age": "float_normalised"})
    with pytest.raises(ValueError, match="output_mode"):
        FeatureSpace({"age": "float"}, output_mode="stack")
    with pytest.raises(ValueError, match=r"cross \('age', 'city'\).*unknown: \['city'\]"):
        FeatureSpace({"age": "float"}, crosses=[("age", "city")])
    with pytest.raises(ValueError, match="output_mode"):
        FeatureSpace.integer_categorical(output_mode="multi_hot")
    space = FeatureSpace({"age": "float_normalized", "city": "string_categorical"})
    with pytest.raises(ValueError, match=r"adapt\(data\).*\['age', 'city'\]"):
        space({"age": [1.0], "city": ["Rome"]})
    with pytest.raises(ValueError, match=r"adapt\(data\)"):
        space.get_inputs()
    with pytest.raises(ValueError, match=r"no feature 'city'.*\['age', 'city'\].*\['age'\]"):
        space.adapt({"age": [1.0, 2.0]})
    space.adapt({"age": [1.0, 2.0], "city": ["Rome", "Oslo"]})
    with pytest.raises(ValueError, match=r"no feature 'age'"):
        space({"city": ["Rome"]})
    with pytest.raises(TypeError, match=r"feature 'age' takes float32 values, received strings"):
        space({"age": ["old"], "city": ["Rome"]})
    with pytest.raises(TypeError, match=r"feature 'city' takes strings"):
        space({"age": [1.0], "city": [3]})
    with pytest.raises(ValueError, match="dict"):
        space([1.0, "Rome"])
    with pytest.raises(ValueError, match="dict"):
        space.adapt(np.ones((2, 2)))


def test_errors_for_encodings_that_cannot_work():
    one_hot_float = FeatureSpace({"x": FeatureSpace.feature("float32", layers.Rescaling(2.0), "one_hot")})
    with pytest.raises(ValueError, match=r"feature 'x' has output_mode='one_hot'.*integer.*float32"):
        one_hot_float.get_encoded_features()
    unencoded = FeatureSpace({"c": FeatureSpace.string_hashed(num_bins=4, output_mode="int")})
    with pytest.raises(ValueError, match=r"cannot concatenate feature 'c'.*output_mode='dict'"):
        unencoded.get_encoded_features()
    float_cross = FeatureSpace({"a": "float", "c": "string_hashed"}, crosses=[("a", "c")])
    with pytest.raises(ValueError, match=r"cross 'a_X_c'.*feature 'a'.*float32"):
        float_cross.get_encoded_features()
