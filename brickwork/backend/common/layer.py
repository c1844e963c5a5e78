"""The engine's part of every layer, where the engine has none: a plain base class.

On torch the base is ``torch.nn.Module`` (``backend/torch/layer.py``); ``layers/layer.py`` picks the active
engine's ``EngineLayer`` once, so a layer's engine-native face is decided in one place.
"""

from __future__ import annotations


class EngineLayer:
    """No engine-native state: the hooks ``Layer`` calls do nothing."""

    _engine_attributes: frozenset = frozenset()  # attributes the engine keeps on a layer (not sublayers or state)
    _engine_hooked = False  # whether calls go through the engine's hooks (``_call_with_engine_hooks``)

    def _init_engine_state(self) -> None:
        """Set up the engine's per-layer state; runs in ``Layer.__new__``, before any ``__init__``."""
