"""text_dataset_from_directory on text files written in class folders."""

import os

import numpy as np
import pytest

from brickwork.utils import text_dataset_from_directory
from tests.conftest import BACKEND

# On tensorflow the utility returns a tf.data.Dataset, as Keras does (no indexing, strings as bytes); the brickwork
# Dataset behind it is checked here on the other engines, and against the tf.data one in
# tests/backend/tensorflow/test_data.py.
returns_tf_data = pytest.mark.skipif(BACKEND == "tensorflow", reason="tensorflow returns a tf.data.Dataset, as Keras")

TEXTS = {"neg": ["bad movie", "awful, really", "meh"], "pos": ["great film", "loved it ✓", "wonderful", "fine"]}


@pytest.fixture
def text_dir(tmp_path):
    for folder, texts in TEXTS.items():
        (tmp_path / folder).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / folder / f"{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "neg" / "readme.md").write_text("ignored")
    return tmp_path


def _all(ds):
    batches = list(ds)
    return np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])


@returns_tf_data
def test_texts_and_labels_follow_the_files(text_dir, capsys):
    ds = text_dataset_from_directory(text_dir, batch_size=3, seed=0)
    assert "Found 7 files belonging to 2 classes." in capsys.readouterr().out
    texts, labels = _all(ds)
    assert ds.class_names == ["neg", "pos"] and len(ds) == 3
    assert texts.dtype == object and labels.dtype == np.int32
    for path, text, label in zip(ds.file_paths, texts, labels):
        folder, name = os.path.relpath(path, text_dir).split(os.sep)
        assert text == TEXTS[folder][int(name[0])]
        assert label == ["neg", "pos"].index(folder)


@returns_tf_data
def test_max_length_label_modes_and_no_labels(text_dir):
    ds = text_dataset_from_directory(text_dir, max_length=4, shuffle=False, label_mode="binary", verbose=False)
    texts, labels = _all(ds)
    assert list(texts) == [t[:4] for t in TEXTS["neg"] + TEXTS["pos"]]
    np.testing.assert_array_equal(labels, np.array([0] * 3 + [1] * 4, dtype="float32")[:, None])
    categorical = _all(text_dataset_from_directory(text_dir, label_mode="categorical", shuffle=False,
                                                   verbose=False))[1]
    np.testing.assert_array_equal(categorical, np.eye(2, dtype="float32")[[0] * 3 + [1] * 4])
    unlabeled = text_dataset_from_directory(text_dir, labels=None, batch_size=None, shuffle=False, verbose=False)
    assert unlabeled[0] == "bad movie" and len(unlabeled) == 7


def test_validation_split(text_dir):
    train, val = text_dataset_from_directory(text_dir, validation_split=0.3, subset="both", seed=1, verbose=False)
    assert len(train.file_paths) == 5 and len(val.file_paths) == 2
    assert set(train.file_paths).isdisjoint(val.file_paths)


def test_errors(text_dir, tmp_path_factory):
    with pytest.raises(ValueError, match="No text files found"):
        text_dataset_from_directory(tmp_path_factory.mktemp("empty"), verbose=False)
    with pytest.raises(ValueError, match="label_mode='ints'"):
        text_dataset_from_directory(text_dir, label_mode="ints")
    with pytest.raises(ValueError, match=r"len\(labels\) is 2.*7 files"):
        text_dataset_from_directory(text_dir, labels=[0, 1], verbose=False)
