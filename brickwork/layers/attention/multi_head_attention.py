"""``MultiHeadAttention``: scaled dot-product attention over projected heads (Vaswani et al., 2017)."""

from __future__ import annotations

import math
import string

from brickwork import backend, constraints, initializers, ops, regularizers
from brickwork.layers import masking
from brickwork.layers.activations.softmax import Softmax
from brickwork.layers.core.einsum_dense import EinsumDense
from brickwork.layers.core.wrapper import build_inner_layer
from brickwork.layers.layer import Layer
from brickwork.layers.layer_call import ShapesByArgument
from brickwork.layers.regularization.dropout import Dropout


class MultiHeadAttention(Layer):
    """Multi-head attention: project ``query``, ``key`` and ``value`` into heads, attend, project back.

    With ``query``, ``key`` and ``value`` the same tensor this is self-attention. The weights are
    Keras 3's: ``EinsumDense`` sublayers named ``query``, ``key``, ``value`` (kernels
    ``(dim, num_heads, key_dim)``) and ``attention_output`` (kernel ``(num_heads, value_dim, dim)``), and with
    ``use_gate`` a ``gate`` between ``key`` and ``value``.

    Args:
        num_heads: the number of attention heads.
        key_dim: the size of each head for query and key.
        value_dim: the size of each head for value (default ``key_dim``).
        dropout: the dropout rate on the attention probabilities, while training.
        use_bias: whether the projections have biases.
        output_shape: the output shape besides the batch and sequence axes (an int or a tuple);
            default the query's last axis.
        attention_axes: the axes attention runs over (default all but batch, heads and features).
        sliding_window: a positive int ``w`` lets each query attend only to keys fewer than ``w`` positions
            away, on either side; with ``use_causal_mask=True`` that is the causal sliding window
            (Mistral, Phi-3). ``None`` (default): no band.
        flash_attention: accepted for Keras compatibility; the engine picks its fused kernel itself.
            ``True`` refuses ``dropout`` and ``return_attention_scores``, as Keras does.
        kernel_initializer, bias_initializer: initializers of the projections' weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties for the projections.
        kernel_constraint, bias_constraint: constraints on the projections' weights.
        use_gate: gated attention (Qiu et al., 2025): a fifth projection of the query, ``gate`` (kernel
            ``(dim, num_heads, value_dim)``, sigmoid), multiplies the heads before ``attention_output``.
        seed: an integer seed for the dropout.

    Call arguments:
        query: ``(batch, T, dim)``; value: ``(batch, S, dim)``; key: optional, default ``value``.
        attention_mask: boolean ``(batch, T, S)``, ``True`` where a query may attend to a key.
        return_attention_scores: also return the attention probabilities ``(batch, heads, T, S)``.
        use_causal_mask: mask out keys after each query (decoder self-attention).
        Keras masks on ``query``, ``value`` and ``key`` (e.g. from ``Embedding(mask_zero=True)``)
        are used automatically; the output carries the query's mask.

    Example:
    >>> layer = MultiHeadAttention(num_heads=2, key_dim=8)
    >>> layer(np.zeros((4, 6, 16)), np.zeros((4, 3, 16))).shape   # (4, 6, 16)
    """

    def __init__(self, num_heads: int, key_dim: int, value_dim: int | None = None, dropout: float = 0.0,
                 use_bias: bool = True, output_shape=None, attention_axes=None, sliding_window: int | None = None,
                 flash_attention=None, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, use_gate: bool = False, seed: int | None = None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim), ("value_dim", value_dim)):
            if (value is not None or arg != "value_dim") and (
                    isinstance(value, bool) or not isinstance(value, int) or value <= 0):
                raise ValueError(f"MultiHeadAttention: Invalid value for argument `{arg}`: expected a positive "
                                 f"integer. Received: {arg}={value!r}")
        if not 0 <= dropout < 1:
            raise ValueError(f"MultiHeadAttention: `dropout` must be in [0, 1), received {dropout!r}.")
        check_sliding_window("MultiHeadAttention", sliding_window)
        if flash_attention and dropout > 0:
            raise ValueError("MultiHeadAttention: Dropout is not supported when flash attention is enabled. "
                             f"Received: flash_attention=True and dropout={dropout}")
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = bool(use_bias)
        self._use_gate = bool(use_gate)
        self._sliding_window = sliding_window
        self._output_shape = _as_shape_tuple(output_shape)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"MultiHeadAttention: `attention_axes` must be an int, list or tuple, "
                             f"received {attention_axes!r}.")
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    # ------------------------------------------------------------------ building
    def build(self, query_shape, value_shape, key_shape=None):
        """Create the projections for these input shapes (``key_shape`` defaults to ``value_shape``)."""
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"MultiHeadAttention {self.name!r}: All dimensions of `value` and `key`, except the last "
                             f"one, must be equal. Received: value shape {tuple(value_shape)} and key shape "
                             f"{tuple(key_shape)}")
        # Attributes named as Keras's `query_dense`… properties, so weight files use Keras's paths.
        self.query_dense = self._projection(query_shape, self._key_dim, "query")
        self.key_dense = self._projection(key_shape, self._key_dim, "key")
        if self._use_gate:  # built between key and value: Keras's weight order
            # Private as in Keras, whose weight files then name it `_gate_dense`.
            self._gate_dense = self._projection(query_shape, self._value_dim, "gate", activation="sigmoid")
        self.value_dense = self._projection(value_shape, self._value_dim, "value")
        rank = len(query_shape) + 1  # of the projected tensors: (batch, ..., heads, head_dim)
        self._build_attention(rank)
        output_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes, output_rank = _projection_equation(len(query_shape) - 1, 2, len(output_shape))
        self.output_dense = EinsumDense(
            equation, output_shape=[None] * (output_rank - 1 - len(output_shape)) + list(output_shape),
            bias_axes=bias_axes if self._use_bias else None, name="attention_output",
            **self._get_common_kwargs_for_sublayer())
        heads_shape = tuple(query_shape[:-1]) + (self._num_heads, self._value_dim)
        build_inner_layer(self.output_dense, heads_shape)
        self.built = True

    def _projection(self, input_shape, head_dim: int, name: str, activation=None) -> EinsumDense:
        equation, bias_axes, output_rank = _projection_equation(len(input_shape) - 1, 1, 2)
        layer = EinsumDense(equation, output_shape=[None] * (output_rank - 3) + [self._num_heads, head_dim],
                            bias_axes=bias_axes if self._use_bias else None, activation=activation, name=name,
                            **self._get_common_kwargs_for_sublayer())
        build_inner_layer(layer, tuple(input_shape))
        return layer

    def _get_common_kwargs_for_sublayer(self) -> dict:
        # Keras's name: subclasses written against Keras (KerasHub's Whisper attention) build projections with it.
        # A fresh initializer each: one stateless instance would give every projection the same values.
        def clone(initializer):
            return type(initializer).from_config(initializer.get_config())

        return {"kernel_initializer": clone(self._kernel_initializer),
                "bias_initializer": clone(self._bias_initializer),
                "kernel_regularizer": self._kernel_regularizer, "bias_regularizer": self._bias_regularizer,
                "activity_regularizer": self._activity_regularizer, "kernel_constraint": self._kernel_constraint,
                "bias_constraint": self._bias_constraint, "dtype": self.dtype_policy}

    def _build_attention(self, rank: int) -> None:
        """The einsum equations, softmax and dropout of the attention for projected tensors of ``rank``."""
        if self._attention_axes is None:
            axes = tuple(range(1, rank - 2))
        else:
            axes = tuple(axis if axis >= 0 else rank - 1 + axis for axis in self._attention_axes)
        self._attn_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = _attention_equations(rank, axes)
        self._softmax = Softmax(axis=tuple(range(scores_rank - len(axes), scores_rank)), dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)
        # The engine's fused kernel covers the common layout: (batch, length, heads, head_dim).
        self._fusable = rank == 4 and axes == (1,)

    # Keras's private names, for subclasses written against Keras (KerasHub's cached attention, …).
    _query_dense = property(lambda self: self.query_dense, lambda self, v: setattr(self, "query_dense", v))
    _key_dense = property(lambda self: self.key_dense, lambda self, v: setattr(self, "key_dense", v))
    _value_dense = property(lambda self: self.value_dense, lambda self, v: setattr(self, "value_dense", v))
    _output_dense = property(lambda self: self.output_dense, lambda self, v: setattr(self, "output_dense", v))

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

    # ------------------------------------------------------------------ calling
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
        gate = self._gate_dense(query) if self._use_gate else None  # (B, T, N, value_dim)
        query = self.query_dense(query)   # (B, T, N, key_dim)
        key = self.key_dense(key)         # (B, S, N, key_dim)
        value = self.value_dense(value)   # (B, S, N, value_dim)
        output, scores = self._compute_attention(query, key, value, attention_mask, training, return_attention_scores)
        output = self.output_dense(output if gate is None else ops.multiply(output, gate))
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """``(output, scores)`` from projected heads ``(B, T, N, dim)``; ``scores`` is ``None`` on the fused
        path. ``use_causal_mask`` also masks keys after each query, on top of ``attention_mask`` (Keras's hook,
        which subclasses may call with both)."""
        attention_mask = with_causal_mask(attention_mask, query, key, use_causal_mask)
        if self._flash_attention and return_attention_scores:
            raise ValueError(f"MultiHeadAttention {self.name!r}: Returning attention scores is not supported when "
                             "flash attention is enabled. Please disable flash attention to access attention scores "
                             "(flash_attention=False).")
        dropping = self._dropout > 0 and training is True
        if self._fusable and not dropping and not return_attention_scores:
            if attention_mask is not None:
                attention_mask = _expand_mask(attention_mask, 4, -3)
            return fused_attention(query, key, value, attention_mask, self._inverse_sqrt_key_dim), None
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_key_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def _masked_softmax(self, attention_scores, attention_mask=None):
        if attention_mask is not None:
            # Broadcast over the heads axis, which sits before the query and key attention axes.
            attention_mask = _expand_mask(attention_mask, len(attention_scores.shape),
                                          -len(self._attn_axes) * 2 - 1)
        return self._softmax(attention_scores, mask=attention_mask)

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None, key_mask=None,
                                attention_mask=None, use_causal_mask=False):
        """The boolean ``(B, T, S)`` mask merging the inputs' masks, the causal and sliding-window masks and
        ``attention_mask``."""
        return merge_attention_masks(query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask,
                                     self._sliding_window)

    def _compute_causal_mask(self, query, value=None):
        """``(1, T, S)``: query ``i`` may attend to keys ``j <= i``."""
        return causal_mask(ops.shape(query)[1], ops.shape(query if value is None else value)[1])

    def _compute_sliding_window_mask(self, query, value=None):
        """``(1, T, S)``: query ``i`` may attend to keys ``j`` with ``|i - j| < sliding_window``."""
        return sliding_window_mask(ops.shape(query)[1], ops.shape(query if value is None else value)[1],
                                   self._sliding_window)

    # ------------------------------------------------------------------ shapes and config
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None and key_shape is not None and tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"MultiHeadAttention {self.name!r}: All dimensions of `value` and `key`, except the last "
                             f"one, must be equal. Received: value shape {tuple(value_shape)} and key shape "
                             f"{tuple(key_shape)}")
        return query_shape[:-1] + (self._output_shape or query_shape[-1:])

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        shape = self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape)
        output = backend.KerasTensor(shape, dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        # Scores: (batch dims and heads, query attention axes, key attention axes).
        rank = len(query.shape) + 1
        axes = getattr(self, "_attn_axes", None) or tuple(range(1, rank - 2))
        heads_q = tuple(query.shape[:-1]) + (self._num_heads,)
        heads_v = tuple(value.shape[:-1]) + (self._num_heads,)
        batch = [heads_q[i] for i in range(rank - 1) if i not in axes]
        scores = tuple(batch + [heads_q[i] for i in axes] + [heads_v[i] for i in axes])
        return output, backend.KerasTensor(scores, dtype=self.compute_dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }


# ---------------------------------------------------------------------- shared with GroupedQueryAttention
_QKV = ("query", "value", "key")


def qkv_positional(args, kwargs) -> tuple:
    """Move ``query=``/``value=``/``key=`` keywords to positions, so symbolic calls by keyword record a node."""
    if len(args) >= 3 or not any(name in kwargs for name in _QKV[len(args):]):
        return args
    args = list(args)
    for name in _QKV[len(args):]:
        if name not in kwargs:
            break
        args.append(kwargs.pop(name))
    return tuple(args)


def qkv_shapes(args, kwargs) -> dict:
    """``{"query_shape": …, "value_shape": …[, "key_shape": …]}`` of the tensors given, as Keras names them."""
    shapes = {}
    for index, name in enumerate(_QKV):
        tensor = args[index] if index < len(args) else kwargs.get(name)
        if tensor is not None:
            shapes[f"{name}_shape"] = tuple(tensor.shape)
    return shapes


def build_from_shapes_dict(layer: Layer, config: dict) -> None:
    """Build ``layer`` from a Keras build config ``{"shapes_dict": {"query_shape": …, …}}``."""
    shapes = (config or {}).get("shapes_dict")
    if shapes is None:
        return Layer.build_from_config(layer, config)
    if not layer.built:
        shapes = {k: tuple(None if d is None else int(d) for d in v) for k, v in shapes.items()}
        with layer._open_name_scope():
            layer._build_with_shapes(shapes)
        layer.built = True


def check_sliding_window(layer_name: str, sliding_window) -> None:
    """Refuse a ``sliding_window`` that is neither ``None`` nor a positive int."""
    if sliding_window is not None and (
            isinstance(sliding_window, bool) or not isinstance(sliding_window, int) or sliding_window <= 0):
        raise ValueError(f"{layer_name}: `sliding_window` must be `None` or a positive integer. "
                         f"Received: sliding_window={sliding_window!r}")


def merge_attention_masks(query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask,
                          sliding_window: int | None = None):
    """AND of the query mask ``(B, T, 1)``, value and key masks ``(B, 1, S)``, the causal and sliding-window
    masks ``(1, T, S)`` and ``attention_mask``; ``None`` when there is none."""
    merged = None
    for mask, axis in ((query_mask, -1), (value_mask, -2), (key_mask, -2)):
        if mask is not None:
            mask = ops.expand_dims(ops.cast(mask, "bool"), axis)
            merged = mask if merged is None else ops.logical_and(merged, mask)
    if use_causal_mask:
        mask = causal_mask(ops.shape(query)[1], ops.shape(value)[1])
        merged = mask if merged is None else ops.logical_and(merged, mask)
    if sliding_window is not None:
        mask = sliding_window_mask(ops.shape(query)[1], ops.shape(value)[1], sliding_window)
        merged = mask if merged is None else ops.logical_and(merged, mask)
    if attention_mask is not None:
        attention_mask = ops.cast(attention_mask, "bool")
        merged = attention_mask if merged is None else ops.logical_and(attention_mask, merged)
    return merged


def causal_mask(query_length: int, key_length: int):
    """Boolean ``(1, T, S)``, ``True`` where key ``j <= i`` for query ``i``."""
    rows = ops.expand_dims(ops.arange(query_length, dtype="int32"), -1)
    return ops.expand_dims(ops.greater_equal(rows, ops.arange(key_length, dtype="int32")), 0)


def sliding_window_mask(query_length: int, key_length: int, window: int):
    """Boolean ``(1, T, S)``, ``True`` where ``|i - j| < window`` for query ``i`` and key ``j``."""
    rows = ops.expand_dims(ops.arange(query_length, dtype="int32"), -1)
    distance = ops.abs(ops.subtract(rows, ops.arange(key_length, dtype="int32")))
    return ops.expand_dims(ops.less(distance, window), 0)


def with_causal_mask(attention_mask, query, key, use_causal_mask: bool):
    """``attention_mask`` AND the causal mask of projected ``query`` and ``key`` when ``use_causal_mask``."""
    if not use_causal_mask:
        return attention_mask
    mask = causal_mask(ops.shape(query)[1], ops.shape(key)[1])
    return mask if attention_mask is None else ops.logical_and(ops.cast(attention_mask, "bool"), mask)


def fused_attention(query, key, value, mask, scale: float):
    """``ops.dot_product_attention`` for ``(B, T, N, H)`` heads; a query with no key to attend to gives zeros.

    Such rows (padded queries) make some engines' fused kernels return NaN; they attend everywhere
    here and are zeroed afterwards, as the explicit softmax path gives.
    """
    if mask is None:
        return ops.dot_product_attention(query, key, value, mask=None, scale=scale)
    has_key = ops.any(mask, axis=-1, keepdims=True)  # (B, N|1, T, 1)
    mask = ops.logical_or(mask, ops.logical_not(has_key))
    output = ops.dot_product_attention(query, key, value, mask=mask, scale=scale)
    return ops.multiply(output, ops.cast(ops.swapaxes(has_key, 1, 2), output.dtype))


def _expand_mask(mask, rank: int, axis: int):
    for _ in range(rank - len(mask.shape)):
        mask = ops.expand_dims(mask, axis)
    return mask


def _as_shape_tuple(output_shape):
    if not output_shape:
        return None
    if isinstance(output_shape, int):
        return (output_shape,)
    try:
        return tuple(output_shape)
    except TypeError:
        raise ValueError(f"MultiHeadAttention: Invalid `output_shape`: expected an int, tuple or list. "
                         f"Received: output_shape={output_shape!r}") from None


def _projection_equation(free_dims: int, bound_dims: int, output_dims: int):
    """``(equation, bias_axes, output_rank)`` of a projection contracting ``bound_dims`` axes into ``output_dims``."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims:free_dims + bound_dims]
    out = letters[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out, free_dims + output_dims


def _attention_equations(rank: int, attn_axes: tuple):
    """``(dot_product, combine, scores_rank)`` einsum equations for projected tensors of ``rank``.

    Query ``(batch dims, query attention dims, heads, channels)`` and key likewise give scores
    ``(batch dims, heads, query attention dims, key attention dims)``.
    """
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_dims = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    source, offset = "", rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += letters[offset]
            offset += 1
    product = ("".join(target[i] for i in batch_dims) + "".join(target[i] for i in attn_axes)
               + "".join(source[i] for i in attn_axes))
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)
