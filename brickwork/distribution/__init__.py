"""``brickwork.distribution``: Keras 3's distribution API on jax.sharding (jax) and torch.distributed (torch).

See ``distribution_lib.py`` and docs/distributed.md.
"""

from brickwork.distribution.distribution_lib import (  # noqa: F401
    DataParallel,
    DeviceMesh,
    Distribution,
    LayoutMap,
    ModelParallel,
    TensorLayout,
    distribute_tensor,
    distribution,
    get_device_count,
    initialize,
    list_devices,
    set_distribution,
)

__all__ = ["DataParallel", "DeviceMesh", "Distribution", "LayoutMap", "ModelParallel", "TensorLayout",
           "distribute_tensor", "distribution", "get_device_count", "initialize", "list_devices", "set_distribution"]
