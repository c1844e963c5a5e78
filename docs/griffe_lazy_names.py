"""A griffe extension for the API pages: the names a namespace loads on first use, as griffe's aliases.

``brickwork.layers`` and other namespaces bind most of their names through
``brickwork.utils.module_utils.lazy_namespace`` (PEP 562 ``__getattr__``) rather than ``from ... import``,
so that ``import brickwork`` stays cheap. griffe reads source and would not find ``brickwork.layers.Dense``
there; this extension imports such a namespace and adds each lazy name as an alias of the object where
it is defined, exactly as an import statement would have, so the pages keep their ``brickwork.layers.Dense``
headings and anchors.
"""

from __future__ import annotations

import importlib

import griffe


class LazyNames(griffe.Extension):
    """Adds a module's ``_LAZY_NAMES`` (written by ``lazy_namespace``) to its griffe members."""

    def on_module_members(self, *, mod: griffe.Module, **kwargs) -> None:
        if "_lazy_namespace" not in mod.members:  # the namespaces that call it import it under this name
            return
        for name, target in importlib.import_module(mod.path)._LAZY_NAMES.items():
            if name not in mod.members:
                mod.set_member(name, griffe.Alias(name, target, parent=mod))
