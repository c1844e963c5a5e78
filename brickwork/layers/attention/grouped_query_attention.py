"""``GroupedQueryAttention`` (public name ``GroupQueryAttention``): query heads share key/value heads."""

from __future__ import annotations

import math

from brickwork import backend, constraints, initializers, ops, regularizers
from brickwork.layers import masking
from brickwork.layers.activations.softmax import Softmax
from brickwork.layers.attention.multi_head_attention import (
    build_from_shapes_dict,
    causal_mask,
    check_sliding_window,
    fused_attention,
    merge_attention_masks,
    qkv_positional,
    qkv_shapes,
    sliding_window_mask,
    with_causal_mask,
)
from brickwork.layers.core.einsum_dense import EinsumDense
from brickwork.layers.core.wrapper import build_inner_layer
from brickwork.layers.layer import Layer
from brickwork.layers.layer_call import ShapesByArgument
from brickwork.layers.regularization.dropout import Dropout


class GroupedQueryAttention(Layer):
    """Grouped-query attention (Ainslie et al., 2023): ``num_query_heads`` query heads attend with
    ``num_key_value_heads`` key/value heads, each shared by ``num_query_heads // num_key_value_heads``
    query heads (1 key/value head: multi-query attention; as many as query heads: multi-head attention).

    Weights, as in Keras 3: ``EinsumDense`` sublayers ``query`` (kernel ``(dim, num_query_heads, head_dim)``),
    ``key`` and ``value`` (``(dim, num_key_value_heads, head_dim)``), ``attention_output``
    (``(num_query_heads, head_dim, dim)``); with ``use_gate`` also ``gate`` (as ``query``), built after ``key``.

    Args:
        head_dim: the size of each head.
        num_query_heads: the number of query heads.
        num_key_value_heads: the number of key and value heads; must divide ``num_query_heads``.
        dropout: the dropout rate on the attention probabilities, while training.
        use_bias: whether the projections have biases.
        sliding_window: a positive int ``w`` lets each query attend only to keys fewer than ``w`` positions
            away, on either side; with ``use_causal_mask=True`` that is the causal sliding window.
            ``None`` (default): no band.
        flash_attention: accepted for Keras compatibility; ``True`` refuses ``dropout`` and
            ``return_attention_scores``, as Keras does.
        kernel_initializer, bias_initializer: initializers of the projections' weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties for the projections.
        kernel_constraint, bias_constraint: constraints on the projections' weights.
        use_gate: gated attention (Qiu et al., 2025): a sigmoid projection of the query, ``gate``, multiplies
            the heads before ``attention_output``.
        seed: an integer seed for the dropout.

    Call arguments: as ``MultiHeadAttention`` (``query``, ``value``, ``key``, ``attention_mask``,
    ``return_attention_scores``, ``training``, ``use_causal_mask``); scores are
    ``(batch, num_query_heads, T, S)``.

    Example:
    >>> layer = GroupQueryAttention(head_dim=8, num_query_heads=4, num_key_value_heads=2)
    >>> layer(np.zeros((2, 5, 16)), np.zeros((2, 7, 16))).shape   # (2, 5, 16)
    """

    # Keras exports this class only as `keras.layers.GroupQueryAttention` and writes that name in a config.
    _keras_class_name = "GroupQueryAttention"


    def __init__(self, head_dim: int, num_query_heads: int, num_key_value_heads: int, dropout: float = 0.0,
                 use_bias: bool = True, sliding_window: int | None = None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate: bool = False, seed: int | None = None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for arg, value in (("head_dim", head_dim), ("num_query_heads", num_query_heads),
                           ("num_key_value_heads", num_key_value_heads)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"GroupQueryAttention: `{arg}` must be a positive integer, received {value!r}.")
        if num_query_heads % num_key_value_heads:
            raise ValueError(f"GroupQueryAttention: `num_query_heads` ({num_query_heads}) must be divisible by "
                             f"`num_key_value_heads` ({num_key_value_heads}).")
        if not 0 <= dropout < 1:
            raise ValueError(f"GroupQueryAttention: `dropout` must be in [0, 1), received {dropout!r}.")
        check_sliding_window("GroupQueryAttention", sliding_window)
        if flash_attention and dropout > 0:
            raise ValueError("GroupQueryAttention: Dropout is not supported when flash attention is enabled. "
                             f"Received: flash_attention=True and dropout={dropout}")
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = bool(use_bias)
        self.use_gate = bool(use_gate)
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def build(self, query_shape, value_shape, key_shape=None):
        """Create the projections (einsum letters: b batch, q/k lengths, m model dim, u/v heads, h head dim)."""
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        # Keras's private attribute names: weight files then use Keras's paths (`_query_dense`, …).
        self._query_dense = self._projection("bqm,muh->bquh", self.num_query_heads, "uh", "query", query_shape)
        self._key_dense = self._projection("bkm,mvh->bkvh", self.num_key_value_heads, "vh", "key", key_shape)
        if self.use_gate:  # built between key and value: Keras's weight order
            self._gate_dense = self._projection("bqm,muh->bquh", self.num_query_heads, "uh", "gate", query_shape,
                                                activation="sigmoid")
        self._value_dense = self._projection("bkm,mvh->bkvh", self.num_key_value_heads, "vh", "value", value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = EinsumDense("bquh,uhm->bqm", output_shape=(None, self.feature_dim),
                                         bias_axes="m" if self.use_bias else None, name="attention_output",
                                         **self._get_common_kwargs_for_sublayer())
        build_inner_layer(self._output_dense, (None, None, self.num_query_heads, self.head_dim))
        self.built = True

    def _projection(self, equation, heads, bias_axes, name, input_shape, activation=None) -> EinsumDense:
        layer = EinsumDense(equation, output_shape=(None, heads, self.head_dim),
                            bias_axes=bias_axes if self.use_bias else None, activation=activation, name=name,
                            **self._get_common_kwargs_for_sublayer())
        build_inner_layer(layer, tuple(input_shape))
        return layer

    def _get_common_kwargs_for_sublayer(self) -> dict:
        def clone(initializer):  # a fresh instance each, so the projections start different
            return type(initializer).from_config(initializer.get_config())

        return {"kernel_initializer": clone(self.kernel_initializer), "bias_initializer": clone(self.bias_initializer),
                "kernel_regularizer": self.kernel_regularizer, "bias_regularizer": self.bias_regularizer,
                "activity_regularizer": self._activity_regularizer, "kernel_constraint": self.kernel_constraint,
                "bias_constraint": self.bias_constraint, "dtype": self.dtype_policy}

    # Keras builds from every tensor argument's shape and stores them as {"shapes_dict": …}.
    def _shapes_for_build(self, args, kwargs):
        return qkv_shapes(args, kwargs)

    def _build_with_shapes(self, shapes) -> None:
        self._build_shapes = ShapesByArgument(shapes)
        self.build(**shapes)

    def get_build_config(self):
        return None if self._build_shapes is None else {"shapes_dict": self._build_shapes}

    def build_from_config(self, config: dict) -> None:
        build_from_shapes_dict(self, config)

    def __call__(self, *args, **kwargs):
        return super().__call__(*qkv_positional(args, kwargs), **kwargs)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        key_given = key is not None
        key = value if key is None else key
        query_mask = masking.get_mask(query) if query_mask is None else query_mask
        value_mask = masking.get_mask(value) if value_mask is None else value_mask
        if key_mask is None and key_given:
            key_mask = masking.get_mask(key)
        attention_mask = self._compute_attention_mask(query, value, query_mask=query_mask, value_mask=value_mask,
                                                      key_mask=key_mask, attention_mask=attention_mask,
                                                      use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self.use_gate else None  # (B, T, num_query_heads, head_dim)
        query = self._query_dense(query)  # (B, T, num_query_heads, head_dim)
        key = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)
        value = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        # Keras's GQA hook reads the flag from the layer, not from an argument.
        self._return_attention_scores = return_attention_scores
        output, scores = self._compute_attention(query, key, value, attention_mask, training)
        output = self._output_dense(output if gate is None else ops.multiply(output, gate))
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None, use_causal_mask=False):
        """``(output, scores)`` from projected heads; ``scores`` is ``None`` on the fused path. As Keras's hook,
        whether scores are wanted is ``self._return_attention_scores`` (set by ``call``). ``use_causal_mask``
        also masks keys after each query, on top of ``attention_mask``."""
        return_attention_scores = getattr(self, "_return_attention_scores", False)
        attention_mask = with_causal_mask(attention_mask, query, key, use_causal_mask)
        if self._flash_attention and return_attention_scores:
            raise ValueError(f"GroupQueryAttention {self.name!r}: Returning attention scores is not supported when "
                             "flash attention is enabled. Please disable flash attention to access attention scores "
                             "(flash_attention=False).")
        if attention_mask is not None:
            attention_mask = _expand_to_rank4(attention_mask)
        dropping = self.dropout > 0 and training is True
        if not dropping and not return_attention_scores:
            return fused_attention(query, key, value, attention_mask, self._inverse_sqrt_head_dim), None
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_head_dim, query.dtype))
        scores = self._masked_softmax(ops.einsum(self._dot_product_equation, query, key), attention_mask)
        # As in the Transformer paper: dropping attention probabilities drops whole tokens attended to.
        dropped = self._dropout_layer(scores, training=training) if self.dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def _masked_softmax(self, scores, attention_mask=None):
        """Softmax over the keys of ``scores`` ``(B, N, T, S)``, masked where ``attention_mask`` is False."""
        if attention_mask is not None:
            attention_mask = _expand_to_rank4(attention_mask)
        return self._softmax(scores, mask=attention_mask)

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None, key_mask=None,
                                attention_mask=None, use_causal_mask=False):
        """The boolean ``(B, T, S)`` mask merging the inputs' masks, the causal and sliding-window masks and
        ``attention_mask``."""
        return merge_attention_masks(query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask,
                                     self.sliding_window)

    def _compute_causal_mask(self, query, value=None):
        """``(1, T, S)``: query ``i`` may attend to keys ``j <= i``."""
        return causal_mask(ops.shape(query)[1], ops.shape(query if value is None else value)[1])

    def _compute_sliding_window_mask(self, query, value=None):
        """``(1, T, S)``: query ``i`` may attend to keys ``j`` with ``|i - j| < sliding_window``."""
        return sliding_window_mask(ops.shape(query)[1], ops.shape(query if value is None else value)[1],
                                   self.sliding_window)

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        # Before `key_shape` is read: Keras reports this mismatch whatever `key_shape` holds.
        if query_shape[-1] is not None and value_shape[-1] is not None and query_shape[-1] != value_shape[-1]:
            raise ValueError(f"GroupQueryAttention {self.name!r}: the last axes of query and value must be equal, "
                             f"received query shape {query_shape} and value shape {value_shape}.")
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(f"GroupQueryAttention {self.name!r}: All dimensions of `value` and `key`, except the "
                             f"last one, must be equal. Received: value shape {value_shape} and key shape {key_shape}")
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        shape = self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape)
        output = backend.KerasTensor(shape, dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        scores = (query.shape[0], self.num_query_heads, query.shape[1], value.shape[1])
        return output, backend.KerasTensor(scores, dtype=self.compute_dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }


GroupQueryAttention = GroupedQueryAttention  # Keras 3's public name for the class


def _expand_to_rank4(mask):
    """``(B, T, S)`` or ``(T, S)`` to ``(B, 1, T, S)``: the same mask for every head."""
    while len(mask.shape) < 4:
        mask = ops.expand_dims(mask, -3)
    return mask
