"""The quickstart demo: the seed's Sequential MLP learns handwritten digits.

Run it with ``python -m brickwork.examples.digits`` (set ``BRICKWORK_BACKEND=jax`` for JAX).
The data is scikit-learn's ``load_digits`` (1,797 8x8 images of digits, shipped inside the
package, so no download): 64 pixel features instead of MNIST's 784, the same model otherwise.
"""

from __future__ import annotations

import argparse

import numpy as np

from brickwork.layers import Dense
from brickwork.models import Sequential
from brickwork.utils import set_random_seed, to_categorical


def load_data(test_fraction: float = 0.2, seed: int = 0):
    """Digits as float32 pixels in [0, 1] and one-hot labels, split into train and test."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    y = to_categorical(digits.target, num_classes=10)
    order = np.random.default_rng(seed).permutation(len(x))
    split = int(len(x) * (1 - test_fraction))
    train, test = order[:split], order[split:]
    return (x[train], y[train]), (x[test], y[test])


def build_model(input_dim: int) -> Sequential:
    """The seed's example, with the input size of this dataset."""
    model = Sequential()
    model.add(Dense(32, activation="relu", input_shape=(input_dim,)))
    model.add(Dense(10, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def main(argv=None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--verbose", type=int, default=1)
    args = parser.parse_args(argv)

    set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_data()
    model = build_model(x_train.shape[1])
    model.summary()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_split=0.1,
              verbose=args.verbose)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test loss: {loss:.4f} - test accuracy: {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    main()
