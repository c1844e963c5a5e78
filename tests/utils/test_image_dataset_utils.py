"""image_dataset_from_directory on image files written in a tmp dir, against Pillow decoding and a
half-pixel bilinear resize (torch's) as the reference."""

import os

import numpy as np
import pytest
import torch

import brickwork as keras
from brickwork.utils import image_dataset_from_directory
from tests.conftest import BACKEND, requires_training

# On tensorflow the utility returns a tf.data.Dataset, as Keras does (no indexing, strings as bytes); the brickwork
# Dataset behind it is checked here on the other engines, and against the tf.data one in
# tests/backend/tensorflow/test_data.py.
returns_tf_data = pytest.mark.skipif(BACKEND == "tensorflow", reason="tensorflow returns a tf.data.Dataset, as Keras")

Image = pytest.importorskip("PIL.Image")

# (class folder, file name, (height, width)): several formats and sizes.
FILES = [
    ("cats", "c0.png", (8, 8)), ("cats", "c1.jpg", (6, 10)), ("cats", "c2.bmp", (9, 5)), ("cats", "c3.gif", (7, 7)),
    ("dogs", "d0.png", (10, 6)), ("dogs", "d1.jpeg", (8, 8)), ("dogs", "sub/d2.bmp", (5, 5)), ("dogs", "d3.PNG", (4, 12)),
]


@pytest.fixture
def image_dir(tmp_path):
    rng = np.random.default_rng(0)
    for folder, name, (height, width) in FILES:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8)).save(path)
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    return tmp_path


def _expected_image(path, size, mode="RGB"):
    pixels = np.asarray(Image.open(path).convert(mode), dtype="float32").reshape(*Image.open(path).size[::-1], -1)
    tensor = torch.tensor(pixels).permute(2, 0, 1)[None]
    resized = torch.nn.functional.interpolate(tensor, size=size, mode="bilinear", align_corners=False)
    return resized[0].permute(1, 2, 0).numpy()


def _all(dataset):
    batches = list(dataset)
    if isinstance(batches[0], tuple):
        return tuple(np.concatenate(part) for part in zip(*batches))
    return np.concatenate(batches)


def test_images_labels_and_order(image_dir, capsys):
    ds = image_dataset_from_directory(image_dir, image_size=(4, 5), batch_size=3, seed=1)
    assert "Found 8 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["cats", "dogs"] and len(ds) == 3 and len(ds.file_paths) == 8
    images, labels = _all(ds)
    assert images.shape == (8, 4, 5, 3) and images.dtype == np.float32 and labels.dtype == np.int32
    for path, image, label in zip(ds.file_paths, images, labels):  # the first pass follows file_paths
        assert label == ("dogs" in os.path.relpath(path, image_dir))
        np.testing.assert_allclose(image, _expected_image(path, (4, 5)), atol=1e-3)
    assert not (image_dir / "cats" / "notes.txt").as_posix() in ds.file_paths


def test_shuffle_is_seeded_and_reshuffled_each_epoch(image_dir):
    first = image_dataset_from_directory(image_dir, image_size=(2, 2), batch_size=2, seed=3, verbose=False)
    again = image_dataset_from_directory(image_dir, image_size=(2, 2), batch_size=2, seed=3, verbose=False)
    assert first.file_paths == again.file_paths
    epoch_1, epoch_2 = _all(first), _all(first)
    np.testing.assert_array_equal(epoch_1[0], _all(again)[0])
    assert not np.array_equal(epoch_1[0], epoch_2[0])  # another order ...
    np.testing.assert_allclose(np.sort(epoch_1[0].ravel()), np.sort(epoch_2[0].ravel()))  # ... same images


def test_no_shuffle_is_alphanumeric(image_dir):
    ds = image_dataset_from_directory(image_dir, image_size=(2, 2), shuffle=False, verbose=False)
    relative = [os.path.relpath(path, image_dir) for path in ds.file_paths]
    assert relative == ["cats/c0.png", "cats/c1.jpg", "cats/c2.bmp", "cats/c3.gif",
                        "dogs/d0.png", "dogs/d1.jpeg", "dogs/d3.PNG", "dogs/sub/d2.bmp"]


@pytest.mark.parametrize("label_mode", ["int", "categorical", "binary", None])
def test_label_modes(image_dir, label_mode):
    ds = image_dataset_from_directory(image_dir, image_size=(3, 3), label_mode=label_mode, shuffle=False,
                                      verbose=False)
    index = np.array([0] * 4 + [1] * 4)
    if label_mode is None:
        assert _all(ds).shape == (8, 3, 3, 3)
        return
    labels = _all(ds)[1]
    expected = {"int": index.astype("int32"), "categorical": np.eye(2, dtype="float32")[index],
                "binary": index.astype("float32")[:, None]}[label_mode]
    assert labels.dtype == expected.dtype
    np.testing.assert_array_equal(labels, expected)


def test_explicit_labels_and_no_labels(image_dir):
    given = [3, 1, 4, 1, 5, 9, 2, 6]
    ds = image_dataset_from_directory(image_dir, labels=given, image_size=(2, 2), shuffle=False, verbose=False)
    np.testing.assert_array_equal(_all(ds)[1], given)
    assert ds.class_names == ["1", "2", "3", "4", "5", "6", "9"]
    unlabeled = image_dataset_from_directory(image_dir, labels=None, image_size=(2, 2), verbose=False)
    assert unlabeled.class_names is None and _all(unlabeled).shape == (8, 2, 2, 3)


def test_class_names_choose_and_order(image_dir):
    ds = image_dataset_from_directory(image_dir, class_names=["dogs"], image_size=(2, 2), shuffle=False,
                                      verbose=False)
    assert len(ds.file_paths) == 4 and all("dogs" in path for path in ds.file_paths)
    flipped = image_dataset_from_directory(image_dir, class_names=["dogs", "cats"], image_size=(2, 2),
                                           shuffle=False, verbose=False)
    np.testing.assert_array_equal(_all(flipped)[1], [0] * 4 + [1] * 4)


@pytest.mark.parametrize("color_mode, pil_mode, channels", [("grayscale", "L", 1), ("rgba", "RGBA", 4)])
def test_color_modes(image_dir, color_mode, pil_mode, channels):
    ds = image_dataset_from_directory(image_dir, image_size=(3, 4), color_mode=color_mode, shuffle=False,
                                      verbose=False)
    images = _all(ds)[0]
    assert images.shape == (8, 3, 4, channels)
    np.testing.assert_allclose(images[0], _expected_image(ds.file_paths[0], (3, 4), pil_mode), atol=1e-3)


@returns_tf_data
def test_unbatched_and_channels_first(image_dir):
    ds = image_dataset_from_directory(image_dir, image_size=5, batch_size=None, shuffle=False,
                                      data_format="channels_first", verbose=False)
    assert len(ds) == 8
    image, label = ds[0]
    assert image.shape == (3, 5, 5) and label.shape == ()
    np.testing.assert_allclose(image.transpose(1, 2, 0), _expected_image(ds.file_paths[0], (5, 5)), atol=1e-3)


def test_crop_and_pad_to_aspect_ratio(image_dir):
    path = image_dir / "cats" / "c1.jpg"  # 6 x 10
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype="float32")
    cropped = image_dataset_from_directory(image_dir, labels=None, image_size=(3, 3), shuffle=False,
                                           crop_to_aspect_ratio=True, verbose=False)
    index = [os.path.basename(p) for p in cropped.file_paths].index("c1.jpg")
    reference = torch.nn.functional.interpolate(torch.tensor(pixels[:, 2:8]).permute(2, 0, 1)[None], size=(3, 3),
                                                mode="bilinear", align_corners=False)[0].permute(1, 2, 0).numpy()
    np.testing.assert_allclose(_all(cropped)[index], reference, atol=1e-3)
    padded = image_dataset_from_directory(image_dir, labels=None, image_size=(10, 10), shuffle=False,
                                          pad_to_aspect_ratio=True, interpolation="nearest", verbose=False)
    image = _all(padded)[index]
    np.testing.assert_array_equal(image[:2], 0)  # 2 rows of padding above and below
    np.testing.assert_array_equal(image[2:8], pixels)
    np.testing.assert_array_equal(image[8:], 0)


def test_validation_split(image_dir, capsys):
    train, val = image_dataset_from_directory(image_dir, image_size=(2, 2), validation_split=0.25, subset="both",
                                              seed=7, batch_size=2)
    assert "Using 6 files for training." in capsys.readouterr().out
    assert len(train.file_paths) == 6 and len(val.file_paths) == 2
    assert set(train.file_paths).isdisjoint(val.file_paths)
    assert val.class_names == ["cats", "dogs"]
    only_val = image_dataset_from_directory(image_dir, image_size=(2, 2), validation_split=0.25,
                                            subset="validation", seed=7, verbose=False)
    assert only_val.file_paths == val.file_paths


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_follow_links(image_dir, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    Image.fromarray(np.zeros((4, 4, 3), dtype=np.uint8)).save(outside / "x.png")
    os.symlink(outside, image_dir / "cats" / "linked")
    kwargs = {"image_size": (2, 2), "verbose": False, "shuffle": False}
    assert len(image_dataset_from_directory(image_dir, **kwargs).file_paths) == 8
    assert len(image_dataset_from_directory(image_dir, follow_links=True, **kwargs).file_paths) == 9


@returns_tf_data
def test_torch_data_loader_reads_batches(image_dir):
    ds = image_dataset_from_directory(image_dir, image_size=(4, 4), batch_size=3, shuffle=False, verbose=False)
    loader = torch.utils.data.DataLoader(ds, batch_size=None)
    batches = list(loader)
    assert [tuple(images.shape) for images, _ in batches] == [(3, 4, 4, 3), (3, 4, 4, 3), (2, 4, 4, 3)]
    np.testing.assert_allclose(torch.cat([images for images, _ in batches]).numpy(), _all(ds)[0])


# ------------------------------------------------------------------ bad input
def test_empty_folder(tmp_path):
    with pytest.raises(ValueError, match="No images found in directory"):
        image_dataset_from_directory(tmp_path, verbose=False)


def test_folder_without_allowed_images(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.tiff").write_bytes(b"...")
    with pytest.raises(ValueError, match=r"No images found.*\.png"):
        image_dataset_from_directory(tmp_path, verbose=False)


def test_missing_directory(tmp_path):
    with pytest.raises(ValueError, match="directory="):
        image_dataset_from_directory(tmp_path / "nowhere")


@returns_tf_data
def test_corrupt_image_names_the_file(image_dir):
    (image_dir / "cats" / "broken.png").write_bytes(b"not really a png")
    ds = image_dataset_from_directory(image_dir, image_size=(2, 2), batch_size=None, shuffle=False, verbose=False)
    index = [os.path.basename(p) for p in ds.file_paths].index("broken.png")
    with pytest.raises(ValueError, match="broken.png"):
        ds[index]


def test_label_list_of_wrong_length(image_dir):
    with pytest.raises(ValueError, match=r"len\(labels\) is 3.*8 files"):
        image_dataset_from_directory(image_dir, labels=[0, 1, 0], verbose=False)


@pytest.mark.parametrize("kwargs, message", [
    ({"label_mode": "sparse"}, "label_mode='sparse'"),
    ({"labels": "folders"}, "labels='folders'"),
    ({"color_mode": "cmyk"}, "color_mode='cmyk'"),
    ({"interpolation": "cubic"}, "interpolation='cubic'"),
    ({"image_size": (1, 2, 3)}, "image_size"),
    ({"labels": [0] * 8, "class_names": ["a"]}, "class_names"),
    ({"class_names": ["cats", "birds"]}, "class_names"),
    ({"validation_split": 0.2, "subset": "training"}, "seed"),
    ({"validation_split": 0.2}, "subset"),
    ({"validation_split": 1.5, "subset": "training", "seed": 1}, "validation_split"),
    ({"validation_split": 0.2, "subset": "test", "seed": 1}, "subset='test'"),
    ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True}, "pad_to_aspect_ratio"),
    ({"batch_size": 0}, "batch_size=0"),
])
def test_bad_arguments_name_the_argument(image_dir, kwargs, message):
    with pytest.raises(ValueError, match=message):
        image_dataset_from_directory(image_dir, verbose=False, **kwargs)


def test_binary_needs_two_classes(image_dir):
    (image_dir / "birds").mkdir()
    Image.fromarray(np.zeros((4, 4, 3), dtype=np.uint8)).save(image_dir / "birds" / "b.png")
    with pytest.raises(ValueError, match="exactly 2 classes"):
        image_dataset_from_directory(image_dir, label_mode="binary", verbose=False)


# ------------------------------------------------------------------ training
@requires_training
def test_fit_small_cnn(tmp_path):
    rng = np.random.default_rng(0)
    for label, folder in enumerate(["dark", "light"]):
        (tmp_path / folder).mkdir()
        for i in range(6):
            base = 30 + 190 * label
            pixels = np.clip(base + rng.integers(-10, 10, (8, 8, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(tmp_path / folder / f"{i}.png")
    train, val = image_dataset_from_directory(tmp_path, image_size=(8, 8), batch_size=4, seed=0,
                                              validation_split=0.25, subset="both", verbose=False)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((8, 8, 3)),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Conv2D(4, 3, activation="tanh"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(2),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.05),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = model.fit(train.map(lambda x, y: (x, y)), validation_data=val, epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(train, verbose=0, return_dict=True)["accuracy"] == 1.0
    assert model.predict(val, verbose=0).shape == (3, 2)


def test_grain_format_keeps_one_order(image_dir):
    ds = image_dataset_from_directory(image_dir, image_size=(2, 2), label_mode=None, seed=5, format="grain",
                                      verbose=False)
    np.testing.assert_array_equal(_all(ds), _all(ds))
