"""The engine's part of every layer: none on this engine (see ``backend/torch/layer.py`` for torch's)."""

from brickwork.backend.common.layer import EngineLayer  # noqa: F401
