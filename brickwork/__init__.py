"""brickwork: the Keras API, written anew, on PyTorch, JAX and NumPy.

Write Keras 3 programs with ``import brickwork as keras``; the engine is chosen by
``BRICKWORK_BACKEND`` (or ``KERAS_BACKEND``): ``torch`` (default), ``jax`` or ``numpy``.
"""

__version__ = "0.1.0"


def version() -> str:
    """brickwork's version string.

    Returns:
        The installed version, as ``brickwork.__version__``.

    Example:
        >>> brickwork.version() == brickwork.__version__
        True
    """
    return __version__


import gc as _gc  # noqa: E402

# Importing brickwork makes some 100,000 objects, almost none of them garbage; the collections they would
# set off walk the engine's whole heap (torch's, jax's) each time, which cost more than the import itself.
# The collector is off while brickwork imports and back as it was after, error or not.
_collecting = _gc.isenabled()
_gc.disable()
try:
    from brickwork import backend, ops  # noqa: E402,F401
    from brickwork import (  # noqa: E402,F401
        activations,
        callbacks,
        config,
        constraints,
        distribution,
        dtype_policies,
        initializers,
        layers,
        losses,
        metrics,
        mixed_precision,
        models,
        optimizers,
        random,
        regularizers,
        saving,
        tree,
        utils,
    )
    from brickwork.utils.module_utils import lazy_namespace as _lazy_namespace  # noqa: E402

    # What a training program seldom needs loads on first use (``brickwork.applications.ResNet50`` works as ever):
    # the model zoo, dataset loaders, export, plotting, scikit-learn wrappers, distillation, legacy preprocessing.
    __getattr__, __dir__ = _lazy_namespace(globals(), {}, submodules=(
        "applications", "datasets", "distillation", "export", "preprocessing", "visualization", "wrappers"))
    from brickwork.compat import alias_keras  # noqa: E402,F401
    from brickwork.backend import KerasTensor, StatelessScope, Variable, device, name_scope  # noqa: E402,F401
    from brickwork.backend import RematScope, SymbolicScope, remat  # noqa: E402,F401
    from brickwork.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: E402,F401
    from brickwork.initializers import Initializer  # noqa: E402,F401
    from brickwork.quantizers import Quantizer  # noqa: E402,F401
    from brickwork.regularizers import Regularizer  # noqa: E402,F401
    from brickwork.layers import Input, InputSpec, Layer  # noqa: E402,F401
    from brickwork.losses import Loss  # noqa: E402,F401
    from brickwork.metrics import Metric  # noqa: E402,F401
    from brickwork.models import Functional, Model, Sequential  # noqa: E402,F401
    from brickwork.ops.function import Function  # noqa: E402,F401
    from brickwork.ops.operation import Operation  # noqa: E402,F401
    from brickwork.optimizers import Optimizer  # noqa: E402,F401

finally:
    if _collecting:
        _gc.enable()
    del _gc, _collecting
