"""``brickwork.ops``: the public op namespace, Keras 3's names and semantics on every backend."""

from brickwork.ops import core, linalg, math, nn, numpy  # noqa: F401
from brickwork.ops.core import *  # noqa: F401,F403
from brickwork.ops.linalg import *  # noqa: F401,F403
from brickwork.ops.math import *  # noqa: F401,F403
from brickwork.ops.nn import *  # noqa: F401,F403
from brickwork.ops.numpy import *  # noqa: F401,F403

del backend_op, annotations  # noqa: F821 — helpers of the star imports, not ops
