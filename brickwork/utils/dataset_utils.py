"""What the ``*_dataset_from_directory`` utilities share — listing the files of class folders,
checking the common arguments, the training/validation split, label encodings — and
``split_dataset``."""

from __future__ import annotations

import os

import numpy as np

from brickwork.utils.dataset import Dataset

LABEL_MODES = ("int", "categorical", "binary", None)


def check_labels_args(labels, label_mode, class_names, what: str) -> None:
    """Validate ``labels``, ``label_mode`` and ``class_names``; ``what`` names the files ("image")."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError(
                f'The `labels` argument should be "inferred", None, or a list/tuple of integer labels, one per '
                f"{what} file in the directory (in the alphanumeric order of their paths). Received: labels={labels!r}"
            )
        if class_names:
            raise ValueError(
                f'You can only pass `class_names` if `labels="inferred"`. Received: labels={labels!r}, '
                f"class_names={class_names!r}"
            )
    if label_mode not in LABEL_MODES:
        raise ValueError(
            f'The `label_mode` argument must be one of "int", "categorical", "binary" or None. '
            f"Received: label_mode={label_mode!r}"
        )


def check_validation_split_arg(validation_split, subset, shuffle, seed) -> None:
    """Validate ``validation_split`` / ``subset`` (and that a shuffled split has a ``seed``)."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1. Received: validation_split={validation_split!r}")
    if bool(validation_split) != bool(subset):
        raise ValueError(
            "If `subset` is set, `validation_split` must be set, and the other way round. "
            f"Received: validation_split={validation_split!r}, subset={subset!r}"
        )
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both". Received: subset={subset!r}')
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "With `validation_split` and `shuffle=True` you must provide a `seed`, so that the training and "
            "validation subsets (made by two calls) do not overlap."
        )


def _valid_files(directory: str, follow_links: bool, formats: tuple[str, ...]) -> list[str]:
    """The paths (relative to ``directory``) of the files with an allowed extension, walked in
    alphanumeric order."""
    found = []
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
                found.append(os.path.relpath(os.path.join(root, name), directory))
    return found


def index_directory(directory, labels, formats: tuple[str, ...], class_names=None, shuffle: bool = True,
                    seed: int | None = None, follow_links: bool = False, verbose: bool = True):
    """List the files of ``directory`` with their labels.

    With ``labels="inferred"`` each subfolder is a class (in alphanumeric order, or the order of
    ``class_names``) and its files, at any depth, get its index; otherwise every file below
    ``directory`` is listed, and ``labels`` (a list) gives one label per file.

    Returns:
        ``(file_paths, labels, class_names)``: labels an int32 array (None without labels),
            shuffled together with the paths when ``shuffle``.
    """
    if not os.path.isdir(directory):
        raise ValueError(f"`directory` must be an existing folder. Received: directory={directory!r}")
    if labels == "inferred":
        subdirs = sorted(name for name in os.listdir(directory)
                         if os.path.isdir(os.path.join(directory, name)) and not name.startswith("."))
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(
                    f"The `class_names` passed did not match the subfolders of {directory!r}: expected a subset of "
                    f"{subdirs}. Received: class_names={list(class_names)}"
                )
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError(
                'You can only pass `class_names` if `labels="inferred"` (with a list of labels, the class '
                f"names are the sorted labels). Received: labels={labels!r}, class_names={class_names!r}"
            )
        subdirs = [""]
    file_paths, inferred = [], []
    for class_index, subdir in enumerate(subdirs):
        folder = os.path.join(directory, subdir)
        for relative in _valid_files(folder, follow_links, formats):
            file_paths.append(os.path.join(folder, relative))
            inferred.append(class_index)
    if labels == "inferred":
        labels = np.asarray(inferred, dtype="int32")
        class_names = list(subdirs)
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(file_paths):
            raise ValueError(
                f"Expected the lengths of `labels` to match the number of files: len(labels) is {len(labels)}, "
                f"but {len(file_paths)} files were found in directory {directory!r}."
            )
        class_names = [str(label) for label in sorted(set(np.asarray(labels).tolist()))]
        labels = np.asarray(labels, dtype="int32")
    if verbose:
        if labels is None:
            print(f"Found {len(file_paths)} files.")
        else:
            print(f"Found {len(file_paths)} files belonging to {len(class_names)} classes.")
    if shuffle:
        order = np.random.RandomState(np.random.randint(1e6) if seed is None else seed).permutation(len(file_paths))
        file_paths = [file_paths[i] for i in order]
        if labels is not None:
            labels = labels[order]
    return file_paths, labels, class_names


def split_for_subset(samples: list, labels, validation_split, subset):
    """``samples`` (and ``labels``) restricted to ``subset``: validation is the last
    ``int(validation_split * len(samples))`` samples, training the others."""
    if not validation_split:
        return samples, labels
    num_validation = int(validation_split * len(samples))
    num_training = len(samples) - num_validation
    if subset == "training":
        print(f"Using {num_training} files for training.")
        part = slice(0, num_training)
    elif subset == "validation":
        print(f"Using {num_validation} files for validation.")
        part = slice(num_training, len(samples))
    else:
        raise ValueError(f'`subset` must be "training" or "validation". Received: subset={subset!r}')
    return samples[part], None if labels is None else labels[part]


def encode_labels(labels: np.ndarray, label_mode: str, num_classes: int) -> np.ndarray:
    """Integer class indices as ``label_mode`` asks: int32 ``(n,)``, float32 ``(n, 1)`` for
    ``"binary"``, float32 one-hot ``(n, num_classes)`` for ``"categorical"``."""
    labels = np.asarray(labels, dtype="int32")
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels


def build_datasets(directory, file_paths: list[str], labels, class_names, label_mode, validation_split, subset,
                   what: str, formats, make_dataset):
    """One dataset per requested subset (a list of two for ``subset="both"``).

    ``make_dataset(file_paths, labels, shuffle_allowed)`` builds one; ``labels`` arrive encoded
    per ``label_mode``. An empty subset is an error naming ``directory`` and the allowed formats.
    """
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f'With label_mode="binary", there must be exactly 2 classes. Received: class_names={class_names}')
    if labels is not None:
        labels = encode_labels(labels, label_mode, len(class_names))
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for name in subsets:
        paths, part_labels = split_for_subset(file_paths, labels, validation_split, name)
        if not paths:
            kind = f"{name} " if subset == "both" else ""
            raise ValueError(f"No {kind}{what} found in directory {directory!r}. Allowed formats: {formats}")
        dataset = make_dataset(paths, part_labels, name != "validation")
        dataset.class_names = class_names
        dataset.file_paths = paths
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]


# ------------------------------------------------------------------ split_dataset
class _Rows:
    """Sample ``i`` of an array, a tuple/list of arrays, a dict of arrays, or any indexable dataset."""

    def __init__(self, data):
        self.data = data

    def __len__(self) -> int:
        if isinstance(self.data, dict):
            return len(next(iter(self.data.values())))
        if isinstance(self.data, (list, tuple)):
            return len(self.data[0])
        return len(self.data)

    def __call__(self, i: int):
        if isinstance(self.data, dict):
            return {key: value[i] for key, value in self.data.items()}
        if isinstance(self.data, (list, tuple)):
            return tuple(column[i] for column in self.data)
        return self.data[i]


class _Subset:
    """Sample ``indices[i]`` of ``load_sample``."""

    def __init__(self, load_sample, indices: np.ndarray):
        self.load_sample, self.indices = load_sample, indices

    def __call__(self, i: int):
        return self.load_sample(int(self.indices[i]))


def _split_sizes(left_size, right_size, total: int) -> tuple[int, int]:
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"`{name}` must be an int, a float or None. Received: {name}={size!r}")
        if (type(size) is int and not 0 < size < total) or (type(size) is float and not 0 < size < 1):
            raise ValueError(
                f"`{name}` must be a positive integer smaller than {total} (the dataset's length) or a float "
                f"in (0, 1). Received: {name}={size!r}"
            )
    if left_size is None and right_size is None:
        raise ValueError("Pass `left_size` or `right_size` (or both). Received: left_size=None, right_size=None")
    if type(left_size) is type(right_size) is float and left_size + right_size > 1:
        raise ValueError(f"`left_size` + `right_size` is more than 1. Received: {left_size} + {right_size}")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"`left_size` + `right_size` ({left} + {right} samples) exceeds the {total} samples.")
    if left == 0 or right == 0:
        raise ValueError(
            f"With a dataset of {total} samples, left_size={left_size!r} and right_size={right_size!r} leave "
            f"the {'left' if left == 0 else 'right'} split empty."
        )
    return int(left), int(right)


def split_dataset(dataset, left_size: float | None = None, right_size: float | None = None,
                  shuffle: bool = False, seed: int | None = None, preferred_backend: str | None = None):
    """Split a dataset into a left and a right part (e.g. train / test), sample by sample.

    Args:
        dataset: a NumPy array, a list/tuple (or dict) of arrays of the same length, a
            ``torch.utils.data.Dataset`` or anything with ``len`` and indexing, or a brickwork
            ``Dataset`` (a batched one is split by samples and its parts keep its batch size).
        left_size: an int (samples) or a float (fraction) for the left part; default: the rest.
        right_size: the same for the right part; default: the rest.
        shuffle: shuffle the samples before splitting.
        seed: seed of that shuffle.
        preferred_backend: accepted for Keras compatibility; the parts work with every backend.

    Returns:
        Two ``Dataset`` objects (unbatched for arrays): map-style, so ``len``, indexing,
            ``.batch(n)``, ``fit`` (once batched) and ``torch.utils.data.DataLoader`` all take them.

    Example:
        >>> left, right = keras.utils.split_dataset(np.random.random((1000, 4)), left_size=0.8)
        >>> len(left), len(right)
        (800, 200)
    """
    batch_size = None
    if isinstance(dataset, Dataset):
        if dataset._transforms and dataset.batch_size is not None:
            raise ValueError("Split a batched Dataset before `map`: its functions apply to whole batches.")
        batch_size, total = dataset.batch_size, dataset.num_samples
        load_sample = dataset.__getitem__ if dataset._transforms else dataset._load_sample
    elif isinstance(dataset, (np.ndarray, list, tuple, dict)) or hasattr(dataset, "__getitem__"):
        rows = _Rows(dataset)
        load_sample, total = rows, len(rows)
    else:
        raise TypeError(
            "`dataset` must be an array, a list/tuple/dict of arrays, a brickwork Dataset or an indexable "
            f"dataset (such as a torch Dataset). Received: {type(dataset).__name__}"
        )
    left, right = _split_sizes(left_size, right_size, total)
    order = np.random.default_rng(seed).permutation(total) if shuffle else np.arange(total)
    return tuple(
        Dataset(len(indices), _Subset(load_sample, indices), batch_size=batch_size)
        for indices in (order[:left], order[left:left + right])
    )
