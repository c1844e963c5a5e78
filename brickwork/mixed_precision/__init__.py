"""``brickwork.mixed_precision``: compute in float16 / bfloat16 while keeping float32 variables.

Example:
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10),
                              keras.layers.Activation("softmax", dtype="float32")])
    model.compile("adam", "sparse_categorical_crossentropy")   # wrapped in a LossScaleOptimizer

Layers created after ``set_global_policy`` compute in the policy's compute dtype; their
variables stay float32 (see ``autocast.py``). With ``"mixed_float16"``, ``compile`` wraps the
optimizer in a ``LossScaleOptimizer`` so that small gradients do not underflow.
"""

from __future__ import annotations

from brickwork.dtype_policies.dtype_policy import DTypePolicy, dtype_policy, set_dtype_policy
from brickwork.mixed_precision.autocast import AutocastScope  # noqa: F401

Policy = DTypePolicy


def set_global_policy(policy) -> None:
    """Set the dtype policy of layers created from now on.

        Args:
            policy: ``"mixed_float16"``, ``"mixed_bfloat16"``, a dtype name such as ``"float32"``, or a
                ``DTypePolicy``. ``keras.backend.clear_session()`` goes back to the default (``floatx()``).

        Returns:
            ``None``; ``global_policy()`` gives the new policy.

        Example:
        >>> keras.mixed_precision.set_global_policy("mixed_bfloat16")
        >>> keras.layers.Dense(2).compute_dtype   # 'bfloat16'
    """
    set_dtype_policy(policy)


def global_policy() -> DTypePolicy:
    """The policy layers get when created without ``dtype=`` (``floatx()`` unless set).

        Returns:
            A ``DTypePolicy``.

        Example:
        >>> keras.mixed_precision.global_policy().name   # 'float32'
    """
    return dtype_policy()


def __getattr__(name: str):
    # Imported on first use: the optimizers package imports layers, which import this package.
    if name == "LossScaleOptimizer":
        from brickwork.optimizers.loss_scale_optimizer import LossScaleOptimizer

        return LossScaleOptimizer
    raise AttributeError(f"module 'brickwork.mixed_precision' has no attribute {name!r}")


__all__ = ["DTypePolicy", "Policy", "LossScaleOptimizer", "dtype_policy", "global_policy",
           "set_dtype_policy", "set_global_policy"]
