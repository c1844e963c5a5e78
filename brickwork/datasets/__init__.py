"""``brickwork.datasets``: Keras's small datasets, downloaded once, checksum-verified, cached.

Each module's ``load_data`` has Keras's signature and return values. Files are cached in
``~/.brickwork/datasets`` (``$BRICKWORK_HOME/datasets``, or a ``cache_dir`` argument) and read from
there offline; ``$BRICKWORK_DATASETS_ORIGIN`` points every download at a mirror.

Example:
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
"""

from brickwork.datasets import (  # noqa: F401
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)
