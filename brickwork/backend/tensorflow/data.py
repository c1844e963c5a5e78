"""The dataset utilities' result on TensorFlow: a ``tf.data.Dataset``, as Keras's utilities return on this engine.

``image_dataset_from_directory``, ``text_dataset_from_directory``, ``audio_dataset_from_directory`` and
``timeseries_dataset_from_array`` build a brickwork ``Dataset`` (samples read on demand, on threads); here it
is served through ``tf.data.Dataset.from_generator``, so that code written for Keras on TensorFlow
(``ds.map(...)``, ``ds.cache().prefetch(tf.data.AUTOTUNE)``, ``ds.unbatch()``) runs unchanged. Every pass
over the result is a pass over the brickwork dataset, which reshuffles as ``tf.data`` does.
"""

from __future__ import annotations

import numpy as np
import optree
import tensorflow as tf


def _spec(value, batched: bool) -> tf.TensorSpec:
    array = np.asarray(value)
    shape = array.shape
    if batched:
        shape = (None,) + shape[1:]
    dtype = tf.string if array.dtype.kind in "USO" else tf.as_dtype(array.dtype)
    return tf.TensorSpec(shape=shape, dtype=dtype)


def from_dataset(dataset) -> tf.data.Dataset:
    """``dataset`` (a brickwork ``Dataset``) as a ``tf.data.Dataset`` of the same elements, with its
    ``class_names`` and ``file_paths`` (and a known cardinality, so ``len()`` works). The first element is
    read once, for its structure, shapes and dtypes (an empty dataset is returned as it is).

    Example:
        train_ds = keras.utils.image_dataset_from_directory("flowers/", image_size=(180, 180))
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)  # on the tensorflow engine
    """
    if len(dataset) == 0:
        return dataset  # nothing to learn the element's structure from: the (empty) brickwork dataset itself
    first = dataset[0]
    batched = dataset.batch_size is not None
    signature = optree.tree_map(lambda value: _spec(value, batched), first)
    if isinstance(first, list):
        signature = tuple(signature)
    result = tf.data.Dataset.from_generator(lambda: iter(dataset), output_signature=signature)
    result = result.apply(tf.data.experimental.assert_cardinality(len(dataset)))
    result.class_names = dataset.class_names
    result.file_paths = dataset.file_paths
    return result
