"""``brickwork.ops``: the public op namespace, Keras 3's names and semantics on every backend."""

from brickwork.ops import core, image, linalg, math, nn, numpy  # noqa: F401
from brickwork.ops.core import *  # noqa: F401,F403
from brickwork.ops.linalg import *  # noqa: F401,F403
from brickwork.ops.math import *  # noqa: F401,F403
from brickwork.ops.nn import *  # noqa: F401,F403
from brickwork.ops.numpy import *  # noqa: F401,F403

for _helper in ("backend_op", "annotations"):  # brought in by star imports; not ops
    globals().pop(_helper, None)
del _helper
