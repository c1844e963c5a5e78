"""NumPy recurrence (inference): a Python loop over the time axis.

``rnn`` loops any cell. ``lstm``/``gru`` run the Keras default cells (tanh/sigmoid) with the
input projections of every step computed in one matmul before the loop.

Written once in ``common/rnn_ops.py`` against ``xp`` and included here with ``xp = numpy`` (see
``common/binding.py``); what follows the include is how NumPy runs the steps.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor  # noqa: F401 - bound for the include
from brickwork.backend.numpy.nn import sigmoid  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/rnn_ops.py runs on
include("rnn_ops", globals())

_rnn = _fused = _loop  # every cell steps through time in the Python loop
