"""``SpectralNormalization``: divide a wrapped layer's kernel by its largest singular value."""

from __future__ import annotations

from brickwork import initializers, ops
from brickwork.layers.core.wrapper import Wrapper
from brickwork.layers.input_spec import InputSpec


class SpectralNormalization(Wrapper):
    """Keep the wrapped layer's kernel at spectral norm 1 (Miyato et al., 2018), for stable GAN training.

    While training, each call runs ``power_iterations`` steps of power iteration (from the persistent
    vector ``vector_u``) to estimate the kernel's largest singular value ``sigma``, then assigns
    ``kernel / sigma`` to the kernel before calling the layer. Inference uses the kernel as it is.

    Args:
        layer: a layer with a ``kernel`` (Dense, Conv2D, …) or ``embeddings`` (Embedding) weight.
        power_iterations: the number of power-iteration steps per training call (positive).

    Example:
    >>> layer = SpectralNormalization(Dense(10))
    >>> layer(np.random.rand(2, 4), training=True).shape   # (2, 10)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(f"SpectralNormalization: `power_iterations` should be greater than zero. Received: "
                             f"power_iterations={power_iterations!r}")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(f"SpectralNormalization {self.name!r}: {type(self.layer).__name__!r} object has no "
                             "attribute 'kernel' nor 'embeddings': wrap a layer with a `kernel` or `embeddings` "
                             "weight.")
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(shape=(1, self.kernel_shape[-1]),
                                        initializer=initializers.TruncatedNormal(stddev=0.02), trainable=False,
                                        name="vector_u", dtype=self.kernel.dtype)
        self.built = True

    def call(self, inputs, training=False):
        if training:
            vector_u, kernel = self.normalized_weights()
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """``(vector_u, kernel / sigma)`` after power iteration; an all-zero kernel is left as it is."""
        weights = ops.reshape(self.kernel, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=-1)
            vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=-1)
        vector_u, vector_v = ops.stop_gradient(vector_u), ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        # A select rather than a branch: no host sync on torch, and no 0/0 in either path.
        all_zero = ops.all(ops.equal(weights, 0))
        sigma = ops.where(all_zero, ops.ones_like(sigma), sigma)
        vector_u = ops.where(all_zero, self.vector_u.value, vector_u)
        kernel = ops.reshape(ops.divide(weights, sigma), self.kernel_shape)
        return ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "power_iterations": self.power_iterations}
