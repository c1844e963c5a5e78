"""The docstrings of the engine functions ``brickwork.backend`` binds (``backend.cast``, ``backend.scan``, …).

Each engine (``backend/torch``, ``backend/jax``, ``backend/numpy``) defines these functions in its own
``core.py``; what they do for a user is the same on every engine, so it is written once, here, and
``brickwork/backend/__init__.py`` gives it to the active engine's function when it binds it.
"""

from __future__ import annotations

ENGINE_DOCS = {
    "associative_scan": """Inclusive scan with an associative ``f``: ``[a, f(a, b), f(f(a, b), c), …]``.

    Args:
        f: an associative function ``(a, b) -> c`` on slices (nested structures of tensors that keep
            the ``axis`` dimension), applied element-wise.
        elems: a tensor, or nested structure of tensors of one length along ``axis``.
        reverse: if ``True``, scan from the last element to the first; default ``False``.
        axis: the axis to scan along (default 0).

    Returns:
        The running combinations, of the structure, shapes and dtypes of ``elems``.

    Example:
    >>> keras.backend.associative_scan(lambda a, b: a + b, ops.convert_to_tensor([1, 2, 3, 4]))   # [1, 3, 6, 10]
    """,
    "compute_output_spec": """The shape and dtype ``fn`` gives on symbolic inputs, found without computing on data.

    Args:
        fn: the function to describe.
        *args: its positional arguments; ``KerasTensor`` objects among them stand for tensors of their
            shape and dtype (``None`` sizes included).
        **kwargs: its keyword arguments, read the same way.

    Returns:
        ``fn``'s result with each tensor replaced by a ``KerasTensor`` of its shape and dtype.

    Example:
    >>> keras.backend.compute_output_spec(lambda x: x[:, :2] * 2, keras.KerasTensor((None, 5)))
    ... # KerasTensor shape=(None, 2), dtype=float32
    """,
    "convert_to_numpy": """A NumPy array holding the value of ``x``.

    Args:
        x: a tensor of the engine (on any device), a variable, or an array-like.

    Returns:
        A NumPy array of the shape, dtype and values of ``x``.

    Example:
    >>> keras.backend.convert_to_numpy(ops.ones((2,)))   # array([1., 1.], dtype=float32)
    """,
    "convert_to_tensor": """A tensor of the active engine from ``x``.

    Args:
        x: a NumPy array, Python number, nested list, variable or tensor.
        dtype: the dtype of the result; ``None`` (default) infers it (Python ints give ``int32``,
            floats floatx, NumPy arrays keep theirs).
        sparse: ``False`` densifies a sparse input; ``None`` or ``True`` keeps it as it is.
        ragged: accepted for Keras compatibility; brickwork has no ragged tensors.

    Returns:
        A tensor of the engine (``torch.Tensor`` on the current device, ``jax.Array``, NumPy array).

    Example:
    >>> keras.backend.convert_to_tensor([1, 2, 3]).dtype   # int32
    """,
    "custom_gradient": """Decorate ``fun(*args) -> (output, grad_fn)`` to give it a custom gradient.

    Args:
        fun: a function of tensors returning its output and ``grad_fn``, which maps the upstream
            gradient to one gradient per input. Write ``grad_fn`` as ``def grad(*args, upstream=None)``:
            jax passes the upstream gradient positionally, torch as the keyword ``upstream``.

    Returns:
        A function with the signature of ``fun`` that returns ``output`` and whose gradient is
            ``grad_fn``'s.

    Example:
    >>> @keras.backend.custom_gradient
    ... def clipped_identity(x):
    ...     def grad(*args, upstream=None):
    ...         upstream = args[0] if upstream is None else upstream
    ...         return ops.clip(upstream, -1.0, 1.0)
    ...     return x, grad
    """,
    "device_scope": """A context manager placing tensors created inside it on ``device_name``.

    Args:
        device_name: ``"cpu"``, ``"gpu"`` or a numbered device such as ``"gpu:0"`` (torch also takes
            ``"cuda:0"``, jax a ``jax.Device``).

    Returns:
        A context manager.

    Example:
    >>> with keras.backend.device_scope("cpu"):
    ...     x = ops.ones((2,))
    """,
    "get_device": """The device new tensors are placed on.

    Returns:
        The device's name, such as ``"cpu"`` or ``"cuda"`` (a GPU when one is available, else the CPU).

    Example:
    >>> keras.backend.get_device()   # 'cpu' on a machine without a GPU
    """,
    "saturate_cast": """Clip ``x`` to ``[lower, upper]``, then cast it to ``dtype``.

    ``ops.saturate_cast`` works out the bounds from the two dtypes and calls this.

    Args:
        x: the tensor.
        dtype: the target dtype.
        lower: the lowest value to keep, representable in both dtypes.
        upper: the highest value to keep, representable in both dtypes.

    Returns:
        A tensor of the shape of ``x`` and dtype ``dtype``.

    Example:
    >>> keras.backend.saturate_cast(ops.convert_to_tensor([-1.0, 300.0]), "uint8", 0, 255)   # [0, 255]
    """,
    "shape": """The static shape of ``x`` as a tuple.

    Args:
        x: a tensor of the engine (or anything with a ``shape``).

    Returns:
        A tuple of ints.

    Example:
    >>> keras.backend.shape(ops.ones((2, 3)))   # (2, 3)
    """,
    "cast": """Convert ``x`` to ``dtype``, returning it unchanged when it already has that dtype.

    Args:
        x: a tensor, NumPy array, Python number or nested list.
        dtype: the target dtype, by name (``"int32"``, ``"bfloat16"``) or as a NumPy or engine dtype.

    Returns:
        A tensor of the engine with the shape of ``x`` and dtype ``dtype``; floats cast to an integer
            dtype are truncated toward zero.

    Example:
    >>> keras.backend.cast([1.7, -2.5], "int32")   # [1, -2]
    """,
    "cond": """Call ``true_fn()`` if ``pred`` is true, else ``false_fn()``, and return its result.

    Args:
        pred: a Python bool or a scalar boolean tensor.
        true_fn: a function of no arguments, called when ``pred`` is true.
        false_fn: a function of no arguments, called when ``pred`` is false. Under jax tracing both
            branches are traced, so they must return the same structure, shapes and dtypes.

    Returns:
        What the chosen function returns.

    Example:
    >>> keras.backend.cond(ops.convert_to_tensor(3) > 2, lambda: 1.0, lambda: -1.0)   # 1.0
    """,
    "fori_loop": """Run ``value = body_fun(i, value)`` for ``i`` from ``lower`` up to, not including, ``upper``.

    Args:
        lower: the first loop index (an int or scalar integer tensor).
        upper: the loop stops before this index.
        body_fun: ``(i, value) -> value``; the value keeps its structure, shapes and dtypes.
        init_val: the value before the first step (any nested structure of tensors).

    Returns:
        The value after the last step (``init_val`` when ``upper <= lower``).

    Example:
    >>> keras.backend.fori_loop(0, 5, lambda i, total: total + i, 0)   # 10
    """,
    "scan": """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``, stacking the ``y``.

    Args:
        f: ``(carry, x) -> (carry, y)``; the carry keeps its structure, shapes and dtypes.
        init: the carry before the first step.
        xs: the values to loop over (a tensor or nested structure of tensors sharing a leading
            axis), or ``None`` to loop ``length`` times with ``x=None``.
        length: the number of steps; needed when ``xs`` is ``None``.
        reverse: if ``True``, loop from the last element to the first (the stacked ``y`` keep the
            order of ``xs``).
        unroll: steps unrolled per loop iteration on jax; the eager engines ignore it.

    Returns:
        ``(final_carry, ys)``: ``ys`` stacks each step's ``y`` along a new leading axis.

    Example:
    >>> keras.backend.scan(lambda c, x: (c + x, c * x), 0, ops.convert_to_tensor([1, 2, 3]))   # (6, [0, 2, 9])
    """,
    "map": """Apply ``f`` to each slice of ``xs`` along its leading axis and stack the results.

    Args:
        f: a function of one slice, returning a tensor or nested structure of tensors of the same
            shape for every slice.
        xs: a tensor, or nested structure of tensors sharing a leading axis.

    Returns:
        ``f``'s outputs stacked along a new leading axis of the length of ``xs``.

    Example:
    >>> keras.backend.map(lambda x: x * x, ops.convert_to_tensor([1, 2, 3]))   # [1, 4, 9]
    """,
    "scatter": """A zero tensor of ``shape`` with ``values`` added at ``indices``.

    Args:
        indices: integer tensor of shape ``(n, depth)``: each row indexes the first ``depth`` axes
            of the output.
        values: tensor of shape ``(n,) + shape[depth:]``, the values to place; values at a repeated
            index add up.
        shape: the output shape (a tuple of ints).

    Returns:
        A tensor of ``shape`` with the dtype of ``values``.

    Example:
    >>> keras.backend.scatter([[0, 1], [2, 0]], [5.0, 7.0], (3, 2))   # [[0, 5], [0, 0], [7, 0]]
    """,
    "scatter_update": """A copy of ``inputs`` with ``updates`` written (or combined) at ``indices``.

    Args:
        inputs: the tensor to update; it is not modified.
        indices: integer tensor of shape ``(n, depth)``: each row indexes the first ``depth`` axes
            of ``inputs``.
        updates: tensor of shape ``(n,) + inputs.shape[depth:]``, cast to the dtype of ``inputs``.
        reduction: ``None`` (default) to overwrite, or ``"add"``, ``"max"``, ``"min"``, ``"mul"``
            to combine each update with the value already there.

    Returns:
        A tensor of the shape and dtype of ``inputs``.

    Example:
    >>> x = ops.zeros((2, 3))
    >>> keras.backend.scatter_update(x, [[0, 2], [1, 0]], [1.0, 2.0])   # [[0, 0, 1], [2, 0, 0]]
    """,
    "slice": """The block of ``inputs`` of size ``shape`` starting at ``start_indices``.

    Args:
        inputs: the tensor to slice.
        start_indices: one start index per axis (ints or an integer tensor); a start that would
            make the block run past the end is moved back so it fits.
        shape: the size of the block along each axis.

    Returns:
        A tensor of shape ``shape`` and the dtype of ``inputs``.

    Example:
    >>> x = ops.reshape(ops.arange(12), (3, 4))
    >>> keras.backend.slice(x, (1, 1), (2, 2))   # [[5, 6], [9, 10]]
    """,
    "slice_update": """A copy of ``inputs`` with the block starting at ``start_indices`` replaced by ``updates``.

    Args:
        inputs: the tensor to update; it is not modified.
        start_indices: one start index per axis (ints or an integer tensor); a start that would
            make the block run past the end is moved back so it fits.
        updates: the new block, cast to the dtype of ``inputs``; its shape is the block's size.

    Returns:
        A tensor of the shape and dtype of ``inputs``.

    Example:
    >>> y = keras.backend.slice_update(ops.zeros((3, 4)), (1, 2), ops.ones((2, 2)))
    >>> y[1]   # [0, 0, 1, 1]
    """,
    "stop_gradient": """``x``'s value, through which no gradient flows back.

    Args:
        x: a tensor (or a value converted to one).

    Returns:
        A tensor equal to ``x``, treated as a constant when differentiating.

    Example:
    >>> keras.backend.stop_gradient(ops.convert_to_tensor([1.0, 2.0]))   # [1.0, 2.0], no gradient
    """,
    "switch": """Call ``branches[index](*operands)`` and return its result.

    Args:
        index: an int or scalar integer tensor; values below 0 or past the last branch are
            clamped to the first or last branch.
        branches: a list of functions taking ``operands``; under jax tracing they must return the
            same structure, shapes and dtypes.
        *operands: the arguments passed to the chosen branch.

    Returns:
        What the chosen branch returns.

    Example:
    >>> keras.backend.switch(1, [lambda a: a + 1, lambda a: a * 10], 3)   # 30
    """,
    "unstack": """Split ``x`` along ``axis`` into a list of tensors, one per index.

    Args:
        x: the tensor to split.
        num: the length of ``axis``, for engines that need it known ahead; may be ``None``.
        axis: the axis to split along (default 0); it is removed from each piece.

    Returns:
        A list of ``x.shape[axis]`` tensors of the rank of ``x`` less one.

    Example:
    >>> keras.backend.unstack(ops.convert_to_tensor([[1, 2], [3, 4]]), axis=1)   # [[1, 3], [2, 4]]
    """,
    "vectorized_map": """Apply ``function`` to each slice of ``elements`` along the leading axis, as one batched call.

    Args:
        function: a function of one slice (``torch.vmap`` / ``jax.vmap`` traces it once).
        elements: a tensor, or nested structure of tensors sharing a leading axis.

    Returns:
        ``function``'s outputs stacked along a new leading axis of the length of ``elements``.

    Example:
    >>> keras.backend.vectorized_map(lambda row: ops.sum(row), ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    ... # [3.0, 7.0]
    """,
    "while_loop": """Run ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` is true.

    Args:
        cond: a function of the loop variables returning a Python bool or scalar boolean tensor.
        body: a function of the loop variables returning new values of the same structure,
            shapes and dtypes.
        loop_vars: a tuple or list of loop variables (unpacked into ``cond`` and ``body``), or a
            single value.
        maximum_iterations: stop after this many steps even if ``cond`` is still true; ``None``
            (default) for no limit.

    Returns:
        The loop variables after the last step, as a tuple if ``loop_vars`` was a tuple or list,
            else as a single value.

    Example:
    >>> keras.backend.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (0, 0))   # (4, 6)
    """,
    "is_tensor": """Whether ``x`` is a tensor of the active engine (``torch.Tensor``, ``jax.Array``, …).

    Args:
        x: any object.

    Returns:
        ``True`` for a tensor of the engine; ``False`` for Python values, variables, symbolic
            ``KerasTensor`` objects and NumPy arrays (except on the numpy engine, whose tensors they are).

    Example:
    >>> keras.backend.is_tensor(ops.ones((2,)))   # True
    >>> keras.backend.is_tensor([1.0, 2.0])   # False
    """,
}
