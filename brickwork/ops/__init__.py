"""``brickwork.ops``: the public op namespace, Keras 3's names and semantics on every backend."""

from brickwork.ops import core, einops, image, linalg, math, nn, numpy  # noqa: F401
from brickwork.ops.core import *  # noqa: F401,F403
from brickwork.ops.einops import rearrange  # noqa: F401
from brickwork.ops.linalg import *  # noqa: F401,F403
from brickwork.ops.math import *  # noqa: F401,F403
from brickwork.ops.nn import *  # noqa: F401,F403
from brickwork.ops.numpy import *  # noqa: F401,F403
from brickwork import random  # noqa: F401,E402 - keras.src.ops.random, which Keras's own tests call

for _helper in ("backend_op", "annotations"):  # brought in by star imports; not ops
    globals().pop(_helper, None)
del _helper

# Each op as an Operation class in its family module (``ops.numpy.Add()(x, y)``), made from the functions
# after the star imports above, so that ``brickwork.ops`` itself holds only functions, as Keras's does.
from brickwork.ops.operation import add_operation_classes as _add_operation_classes  # noqa: E402

for _module in (core, einops, image, linalg, math, nn, numpy):
    _add_operation_classes(vars(_module))
del _module, _add_operation_classes
