"""brickwork.ops.core."""

from __future__ import annotations

from brickwork.ops._dispatch import backend_op  # noqa: F401
