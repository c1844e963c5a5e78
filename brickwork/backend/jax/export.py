"""Export on the jax backend: not available; exporting traces the model with torch (see backend/torch/export.py).

Written once in ``common/export_ops.py`` and included here (see ``common/binding.py``).
"""

from __future__ import annotations

from brickwork.backend.common.binding import include

include("export_ops", globals())
