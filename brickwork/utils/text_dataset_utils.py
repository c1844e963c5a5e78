"""``text_dataset_from_directory``: a folder of ``.txt`` files (one subfolder per class) as a
dataset of string batches."""

from __future__ import annotations

import numpy as np

from brickwork.utils import dataset_utils
from brickwork.utils.dataset import Dataset, engine_datasets

ALLOWED_FORMATS = (".txt",)


class TextLoader:
    """The text of file ``i`` (its first ``max_length`` characters; a ``np.str_``, so it has a
    ``shape`` of ``()`` like an array), with its label if any."""

    def __init__(self, file_paths, labels, max_length: int | None):
        self.file_paths, self.labels, self.max_length = file_paths, labels, max_length

    def __call__(self, i: int):
        with open(self.file_paths[i], encoding="utf-8") as file:
            text = np.str_(file.read() if self.max_length is None else file.read(self.max_length))
        return text if self.labels is None else (text, self.labels[i])


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    batch_size: int | None = 32,
    max_length: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    format: str = "tf",
    verbose: bool = True,
) -> Dataset | list[Dataset]:
    """A dataset of texts (and labels) from the ``.txt`` files of a directory.

    With ``labels="inferred"``, ``directory/class_a/*.txt`` and ``directory/class_b/*.txt`` give
    labels 0 and 1.

    Args:
        directory: the folder of the text files (one subfolder per class for inferred labels).
        labels: ``"inferred"``, None (texts only), or a list of integer labels, one per file in
            the alphanumeric order of the paths.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None (see
            ``image_dataset_from_directory``).
        class_names: with inferred labels, the subfolders to use, in this order.
        batch_size: texts per batch; None yields single texts.
        max_length: keep at most this many characters of each text.
        shuffle: shuffle the files (else alphanumeric order); reshuffled every epoch.
        seed: seed of the shuffling.
        validation_split: fraction of the files held out for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"``.
        follow_links: walk into subfolders that are symbolic links.
        format: ``"tf"`` (every pass draws a new order) or ``"grain"`` (one fixed order); the
            result is a brickwork ``Dataset``, except for ``"tf"`` on the tensorflow engine: a
            ``tf.data.Dataset`` (of byte strings), as Keras returns.
        verbose: print how many files and classes were found.

    Returns:
        A ``Dataset`` of texts (a NumPy object array of ``str`` per batch), or of
            ``(texts, labels)``; it has ``class_names`` and ``file_paths``.

    Example:
        train_ds = keras.utils.text_dataset_from_directory("aclImdb/train", batch_size=32,
                                                           validation_split=0.2, subset="training", seed=1)
        vectorize = keras.layers.TextVectorization(max_tokens=20000)
        vectorize.adapt(np.concatenate([texts for texts, _ in train_ds]))
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, "text")
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be "tf" or "grain". Received: format={format!r}')
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = dataset_utils.index_directory(
        directory, labels, formats=ALLOWED_FORMATS, class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose)

    def make_dataset(paths, part_labels, is_training):
        return Dataset(len(paths), TextLoader(paths, part_labels, max_length), batch_size=batch_size,
                       shuffle=shuffle and is_training and format == "tf", seed=seed)

    return engine_datasets(dataset_utils.build_datasets(directory, file_paths, labels, class_names, label_mode,
                                                        validation_split, subset, "text files", ALLOWED_FORMATS,
                                                        make_dataset), format)
