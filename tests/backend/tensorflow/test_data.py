"""The dataset utilities on the tensorflow engine (brickwork/backend/tensorflow/data.py) return a
``tf.data.Dataset``, as Keras does: its batches are those of the brickwork ``Dataset`` the same call gives with
``format="grain"`` (and, for windows of an array, those NumPy slicing gives), and ``fit`` takes it."""

import numpy as np
import pytest

import brickwork as keras
from brickwork.utils import (
    image_dataset_from_directory,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "tensorflow", reason="tf.data.Dataset results are the tensorflow engine's")

if BACKEND == "tensorflow":
    import tensorflow as tf


def _batches(dataset):
    return [tuple(np.asarray(part) for part in batch) if isinstance(batch, tuple) else np.asarray(batch)
            for batch in dataset]


def test_timeseries_windows_are_a_tf_dataset_of_the_numpy_windows():
    data = np.arange(40, dtype="float32").reshape(20, 2)
    targets = np.arange(20, dtype="int32") * 10
    dataset = timeseries_dataset_from_array(data, targets, sequence_length=4, sequence_stride=2, batch_size=3)
    assert isinstance(dataset, tf.data.Dataset) and len(dataset) == 3
    assert dataset.element_spec[0].shape.as_list() == [None, 4, 2]
    starts = list(range(0, 17, 2))
    got = _batches(dataset)
    windows = np.concatenate([x for x, _ in got])
    np.testing.assert_array_equal(windows, np.stack([data[s:s + 4] for s in starts]))
    np.testing.assert_array_equal(np.concatenate([y for _, y in got]), targets[starts])
    scaled = dataset.map(lambda x, y: (x * 2.0, y))  # tf.data code runs on it
    np.testing.assert_array_equal(next(iter(scaled))[0].numpy(), 2 * np.stack([data[s:s + 4] for s in starts[:3]]))


def test_images_match_the_brickwork_dataset_and_keep_class_names(tmp_path):
    from PIL import Image

    rng = np.random.default_rng(0)
    for folder in ("cats", "dogs"):
        (tmp_path / folder).mkdir()
        for i in range(3):
            Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)).save(tmp_path / folder / f"{i}.png")
    kwargs = {"image_size": (4, 4), "batch_size": 4, "shuffle": False, "verbose": False}
    dataset = image_dataset_from_directory(tmp_path, **kwargs)
    reference = image_dataset_from_directory(tmp_path, format="grain", **kwargs)
    assert isinstance(dataset, tf.data.Dataset) and not isinstance(reference, tf.data.Dataset)
    assert dataset.class_names == ["cats", "dogs"] and len(dataset) == len(reference) == 2
    for (x, y), (x_ref, y_ref) in zip(_batches(dataset), _batches(reference)):
        np.testing.assert_array_equal(x, x_ref)
        np.testing.assert_array_equal(y, y_ref)
    model = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(dataset.map(lambda x, y: (x / 255.0, tf.one_hot(y, 2))), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_texts_come_as_bytes_like_keras(tmp_path):
    for folder, texts in {"neg": ["bad", "meh"], "pos": ["great film", "fine ✓"]}.items():
        (tmp_path / folder).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / folder / f"{i}.txt").write_text(text, encoding="utf-8")
    dataset = text_dataset_from_directory(tmp_path, batch_size=2, shuffle=False, verbose=False)
    reference = text_dataset_from_directory(tmp_path, batch_size=2, shuffle=False, verbose=False, format="grain")
    assert dataset.element_spec[0].dtype == tf.string
    texts = [t.decode("utf-8") for x, _ in dataset for t in x.numpy()]
    assert texts == [str(t) for x, _ in reference for t in x] == ["bad", "meh", "great film", "fine ✓"]
