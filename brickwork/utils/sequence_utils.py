"""``pad_sequences``: sequences of different lengths as one rectangular NumPy array."""

from __future__ import annotations

import numpy as np


def pad_sequences(sequences, maxlen: int | None = None, dtype="int32", padding: str = "pre",
                  truncating: str = "pre", value=0.0) -> np.ndarray:
    """Pad (or truncate) every sequence to the same length.

    Sequences longer than ``maxlen`` are cut (at the start with ``truncating="pre"``, at the end
    with ``"post"``); shorter ones are filled with ``value`` (before with ``padding="pre"``, after
    with ``"post"``). Each item may itself be an array: the trailing shape of the first non-empty
    sequence is the one every sequence must have.

    Args:
        sequences: a list of sequences (lists or arrays).
        maxlen: the length of the result; default the longest sequence.
        dtype: dtype of the result; a string dtype (``"str"``, ``object``) pads text.
        padding: ``"pre"`` or ``"post"``: where the filling goes.
        truncating: ``"pre"`` or ``"post"``: which end of a long sequence is cut.
        value: the filling value (a string for a string dtype).

    Returns:
        An array of shape ``(len(sequences), maxlen) + item_shape``.

    Example:
        >>> keras.utils.pad_sequences([[1], [2, 3], [4, 5, 6]])
        array([[0, 0, 1],
               [0, 2, 3],
               [4, 5, 6]], dtype=int32)
        >>> keras.utils.pad_sequences([[1, 2, 3]], maxlen=2, padding="post", truncating="post")
        array([[1, 2]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be a list of sequences; received {type(sequences).__name__}.")
    if padding not in ("pre", "post"):
        raise ValueError(f'`padding` must be "pre" or "post"; received padding={padding!r}.')
    if truncating not in ("pre", "post"):
        raise ValueError(f'`truncating` must be "pre" or "post"; received truncating={truncating!r}.')
    lengths, item_shape = [], None
    for position, sequence in enumerate(sequences):
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(
                f"`sequences` must be a list of sequences; the item at position {position} is "
                f"{sequence!r}, which has no length."
            ) from error
        if item_shape is None and len(sequence):
            item_shape = np.asarray(sequence).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with the string `value` {value!r}: use `dtype=object` (or a "
            "string dtype) to pad strings."
        )
    padded = np.full((len(sequences), maxlen) + tuple(item_shape), value, dtype=dtype)
    if maxlen == 0:
        return padded
    for position, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = np.asarray(sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen], dtype=dtype)
        if kept.shape[1:] != item_shape:
            raise ValueError(
                f"The sequence at position {position} has items of shape {kept.shape[1:]}; expected "
                f"{item_shape} (the shape of the items of the first non-empty sequence)."
            )
        if padding == "post":
            padded[position, :len(kept)] = kept
        else:
            padded[position, maxlen - len(kept):] = kept
    return padded
