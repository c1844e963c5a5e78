"""``keras.src.ops``: Keras's internal ops package, which holds more than the public ``keras.ops``.

Keras's package star-imports its op modules, so besides every public op function it carries each op's
``Operation`` class (``ops.Map()(f, xs)``, ``ops.Unstack(axis=0)(x)``) and ``KerasTensor``. Code written against
``keras.src.ops`` (Keras's own tests, some libraries) reads those names there; brickwork's public ``ops`` keeps
only the functions, as ``keras.ops`` does, and this module adds the rest.

Example:
    >>> import brickwork
    >>> brickwork.alias_keras()
    >>> from keras.src import ops
    >>> tuple(ops.Unstack(axis=0)(ops.ones((2, 3)))[0].shape)
    (3,)
"""

from brickwork.backend import KerasTensor  # noqa: F401
from brickwork.ops import *  # noqa: F401,F403
from brickwork.ops import core, einops, image, linalg, math, nn, numpy, operation, operation_utils  # noqa: F401
from brickwork.ops.operation import Operation

__path__: list = []  # a package, so that ``from keras.src.ops import numpy`` finds the submodules


def _operation_classes(module) -> dict:
    return {name: value for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, Operation) and value is not Operation
            and not name.startswith("_")}


for _module in (core, linalg, math, nn, numpy):  # Keras's package star-imports these five
    globals().update({name: cls for name, cls in _operation_classes(_module).items() if name not in globals()})
del _module
