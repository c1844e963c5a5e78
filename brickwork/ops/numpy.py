"""``brickwork.ops.numpy``: the NumPy-like ops, assembled from their files."""

from brickwork.ops.numpy_arrays import *  # noqa: F401,F403
from brickwork.ops.numpy_math import *  # noqa: F401,F403
from brickwork.ops.numpy_numerics import *  # noqa: F401,F403
from brickwork.ops.numpy_shapes import *  # noqa: F401,F403
