"""``Embedding``: map integer ids to dense vectors (rows of a trainable matrix)."""

from __future__ import annotations

from brickwork import backend, constraints, initializers, ops, regularizers
from brickwork.backend.common.name_scope import name_scope
from brickwork.quantizers.quantized_embedding import EmbeddingQuantization


class Embedding(EmbeddingQuantization):
    """Turn non-negative integer ids into vectors of size ``output_dim``.

    Args:
        input_dim: the vocabulary size (largest id + 1).
        output_dim: the size of each vector.
        embeddings_initializer, embeddings_regularizer, embeddings_constraint: for the
            ``(input_dim, output_dim)`` weight named ``embeddings``.
        mask_zero: whether id 0 is padding; the output then carries the mask ``ids != 0``
            (so id 0 cannot be a real token: use ``input_dim = vocabulary + 1``).
        lora_rank, lora_alpha: enable LoRA with this rank (and ``lora_alpha / lora_rank`` scale) once built
            (see ``enable_lora``).
        weights: optional initial ``(input_dim, output_dim)`` matrix.
        quantization_config: the ``QuantizationConfig`` of a quantized layer (its policy names the mode:
            ``dtype="int8_from_float32"``); ``layer.quantize("int8")`` quantizes a trained one.

    Example:
    >>> layer = Embedding(input_dim=10, output_dim=4)
    >>> layer(np.array([[1, 2, 0]])).shape   # (1, 3, 4)
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"Embedding: `{name}` must be a positive integer, received {value!r}.")
        self._init_lora(lora_rank, lora_alpha)
        self.quantization_config = quantization_config
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False
        if weights is not None:
            with name_scope(self.name, caller=self):
                self.build()
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1 else [weights])

    def build(self, input_shape=None):
        if self.built:
            return
        shape = (self.input_dim, self.output_dim)
        if self.quantization_mode is not None:
            self.quantized_build(shape, mode=self.quantization_mode, config=self.quantization_config)
        if self.quantization_mode not in ("int8", "int4"):  # their table is the quantized one
            self._embeddings = self.add_weight(shape=shape, initializer=self.embeddings_initializer,
                                               name="embeddings", regularizer=self.embeddings_regularizer,
                                               constraint=self.embeddings_constraint, trainable=True)
        self.built = True
        self._build_lora()

    def get_build_config(self) -> dict | None:
        # The table's shape comes from the arguments, not the input: a built layer always rebuilds on load.
        return super().get_build_config() or ({"input_shape": None} if self.built else None)

    def build_from_config(self, config: dict) -> None:
        if not self.built and config and "input_shape" in config:
            self.build(config["input_shape"])

    def call(self, inputs):
        if self._is_quantized:
            return self.quantized_call(inputs)
        if backend.standardize_dtype(inputs.dtype) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        outputs = ops.take(self.embeddings if self.lora_enabled else self._embeddings, inputs, axis=0)
        return ops.cast(outputs, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": self._quantization_config_json(),
            **self._lora_config(),
        }
