"""Export on the TensorFlow engine (a SavedModel is issue 22's; until then the shared refusal).

Written once in ``common/export_ops.py`` and included here (see ``common/binding.py``).
"""

from __future__ import annotations

from brickwork.backend.common.binding import include

include("export_ops", globals())
