"""``brickwork.testing``: ``TestCase`` (array assertions, ``run_layer_test``) and device queries.

It also serves Keras's own test suite as ``keras.src.testing``.

Example:
    from brickwork import layers, testing

    class MyLayerTest(testing.TestCase):
        def test_dense(self):
            self.run_layer_test(layers.Dense, {"units": 3}, input_shape=(2, 4),
                                expected_output_shape=(2, 3), expected_num_trainable_weights=2)
"""

from brickwork.testing.devices import (  # noqa: F401
    jax_uses_gpu,
    jax_uses_tpu,
    tensorflow_uses_gpu,
    tensorflow_uses_tpu,
    torch_uses_gpu,
    uses_gpu,
    uses_tpu,
)
from brickwork.testing.test_case import TestCase  # noqa: F401
