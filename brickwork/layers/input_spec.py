"""``InputSpec``: what a layer accepts (rank, dtype, sizes on given axes), checked at the boundary."""

from __future__ import annotations

import optree


class InputSpec:
    """Constraints on a layer's input.

    Args:
        dtype: the expected dtype, if any.
        shape: the full expected shape (``None`` for free dimensions).
        ndim, max_ndim, min_ndim: the expected rank or its bounds.
        axes: ``{axis: size}`` for axes whose size is fixed (e.g. ``{-1: 784}`` once Dense is built).
        allow_last_axis_squeeze: kept for Keras compatibility.
        name: the input's name.

    Example:
        class NeedsPairs(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.input_spec = keras.InputSpec(ndim=2, axes={-1: 2})

            def call(self, x):
                return x

        NeedsPairs()(np.zeros((3, 2))).shape   # (3, 2); an input of shape (3, 4) raises ValueError
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes}

    def __repr__(self):
        items = [f"{k}={v}" for k, v in self.get_config().items() if v]
        return "InputSpec(" + ", ".join(items) + ")"


def assert_input_compatibility(input_spec, inputs, layer_name: str) -> None:
    """Raise a ValueError naming the layer, the expected and the received shape when they differ."""
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    flat = optree.tree_leaves(inputs, is_leaf=lambda x: hasattr(x, "shape"), none_is_leaf=True)
    if len(specs) == 1 and len(flat) > 1 and input_spec is specs[0]:
        flat = flat[:1]
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or x is None or not hasattr(x, "shape"):
            continue
        shape = tuple(x.shape)
        where = f"Input {index} of layer {layer_name!r}"
        if spec.ndim is not None and len(shape) != spec.ndim:
            raise ValueError(f"{where} is incompatible with the layer: expected ndim={spec.ndim}, "
                             f"found ndim={len(shape)}. Full shape received: {shape}")
        if spec.max_ndim is not None and len(shape) > spec.max_ndim:
            raise ValueError(f"{where} is incompatible with the layer: expected max_ndim={spec.max_ndim}, "
                             f"found ndim={len(shape)}. Full shape received: {shape}")
        if spec.min_ndim is not None and len(shape) < spec.min_ndim:
            raise ValueError(f"{where} is incompatible with the layer: expected min_ndim={spec.min_ndim}, "
                             f"found ndim={len(shape)}. Full shape received: {shape}")
        for axis, size in spec.axes.items():
            if size is None or -len(shape) > axis or axis >= len(shape):
                continue
            if shape[axis] is not None and shape[axis] != size:
                raise ValueError(
                    f"{where} is incompatible with the layer: expected axis {axis} of the input to have "
                    f"value {size}, but received input with shape {shape}"
                )
        if spec.shape is not None:
            for expected, received in zip(spec.shape, shape):
                if expected is not None and received is not None and expected != received:
                    raise ValueError(f"{where} is incompatible with the layer: expected shape={spec.shape}, "
                                     f"found shape={shape}")
