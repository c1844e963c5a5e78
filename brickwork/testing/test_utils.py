"""Helpers for writing tests: named parameter products and small synthetic classification data.

Example:
    from absl.testing import parameterized
    from brickwork import testing
    from brickwork.testing.test_utils import named_product

    class SignTest(testing.TestCase):
        @parameterized.named_parameters(named_product(value=[-1, 1], cast=[float, int]))
        def test_sign(self, value, cast):
            self.assertEqual(cast(value) * value, 1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def get_test_data(train_samples: int, test_samples: int, input_shape: tuple, num_classes: int,
                  random_seed: int | None = None):
    """Synthetic classification data with the same number of samples in every class.

    Each class is a random template (values in ``[0, 2 * num_classes)``) plus unit Gaussian noise,
    so a small model can learn it. The split is stratified: each class gives
    ``train_samples // num_classes`` samples to the training set and the rest to the test set.

    Args:
        train_samples: how many training samples to make.
        test_samples: how many test samples to make.
        input_shape: the shape of one sample, a tuple of ints.
        num_classes: the number of classes (the labels are ``0 .. num_classes - 1``).
        random_seed: seeds NumPy's global generator (as Keras does) for repeatable data.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float32 samples and integer labels.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = get_test_data(20, 10, (4,), num_classes=2, random_seed=1)
    >>> x_train.shape, y_test.shape
    ((20, 4), (10,))
    """
    input_shape = tuple(input_shape)
    np.random.seed(random_seed)
    total = train_samples + test_samples
    per_class = total // num_classes
    # Balanced labels first, then the remainder spread over the classes in turn.
    labels = np.concatenate([
        np.repeat(np.arange(num_classes, dtype=np.int32), per_class),
        np.arange(total - per_class * num_classes, dtype=np.int64) % num_classes,
    ])
    templates = 2 * num_classes * np.random.random((num_classes,) + input_shape)
    samples = np.zeros((total,) + input_shape, dtype=np.float32)
    for index, label in enumerate(labels):
        samples[index] = templates[label] + np.random.normal(loc=0.0, scale=1.0, size=input_shape)
    order = np.random.permutation(total)
    samples, labels = samples[order], labels[order]

    train_per_class = int(train_samples / num_classes)
    train_x, train_y, test_x, test_y = [], [], [], []
    for label in range(num_classes):
        members = np.random.permutation(np.where(labels == label)[0])
        train_x.extend(samples[members[:train_per_class]])
        train_y.extend(labels[members[:train_per_class]])
        test_x.extend(samples[members[train_per_class:]])
        test_y.extend(labels[members[train_per_class:]])
    x_train, y_train = np.array(train_x), np.array(train_y)
    x_test, y_test = np.array(test_x), np.array(test_y)
    train_order = np.random.permutation(len(x_train))
    test_order = np.random.permutation(len(x_test))
    return (x_train[train_order], y_train[train_order]), (x_test[test_order], y_test[test_order])


def named_product(*args: Sequence[Mapping], **kwargs: Sequence) -> list[dict]:
    """Every combination of test parameters, each with a ``testcase_name``, for
    ``@parameterized.named_parameters``.

    Args:
        *args: each a sequence of dicts of keyword arguments, every dict holding a
            ``"testcase_name"``; a combination takes exactly one dict from each.
        **kwargs: ``name=[value, ...]``; a combination takes one value for each name, and the
            value's ``__name__`` (or ``str``), lowercased, joins the test case name.

    Returns:
        A list of dicts, the earliest argument varying fastest; names joined with ``_``.

    Example:
    >>> named_product([{"testcase_name": "neg", "x": -1}, {"testcase_name": "pos", "x": 1}],
    ...               numeral_type=[float, int])[1]
    {'testcase_name': 'pos_float', 'x': 1, 'numeral_type': <class 'float'>}
    """

    def value_name(value) -> str:
        return (value.__name__ if hasattr(value, "__name__") else str(value)).lower()

    choices = list(args) + [
        [{"testcase_name": value_name(value), key: value} for value in values] for key, values in kwargs.items()
    ]
    combinations = [{}]
    for options in choices:
        extended = []
        for option in options:
            for combination in combinations:
                previous = combination.get("testcase_name", "")
                name = previous + ("_" if previous else "") + option["testcase_name"]
                extended.append({**combination, **option, "testcase_name": name})
        combinations = extended
    return combinations
