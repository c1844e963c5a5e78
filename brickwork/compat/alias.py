"""``import keras`` that yields brickwork: the import hook behind ``brickwork run`` and ``alias_keras()``.

Once installed, ``keras`` is the ``brickwork`` package itself, ``keras.layers`` is ``brickwork.layers``
and so on for every public namespace, and ``keras.src.*`` resolves through the one reviewed map in
``keras_src_map.py``. The hook hands out the modules brickwork already has: no module is loaded
twice, so ``keras.layers.Dense is brickwork.layers.Dense``.

Example:
    >>> import brickwork
    >>> brickwork.alias_keras()
    >>> import keras
    >>> keras is brickwork
    True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types

from brickwork.compat.keras_src_map import PREFIX, brickwork_module_for, renamed_children

_SRC_DOC = "Keras's internal modules, each resolved to brickwork's through brickwork/compat/keras_src_map.py."


class _ExistingModuleLoader(importlib.abc.Loader):
    """Returns an already-importable brickwork module under a ``keras`` name, leaving its identity alone."""

    def __init__(self, target: str, keras_name: str = ""):
        self.target = target
        self.keras_name = keras_name
        self._own_spec = None

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self._own_spec = module.__spec__
        return module

    def exec_module(self, module):
        # The import system stamped the alias's spec on the module; brickwork's own name stays its name.
        module.__spec__ = self._own_spec
        # ``from keras.src.X import child`` finds a child mapped elsewhere as an attribute of X's module.
        for child, target in renamed_children(self.keras_name).items():
            if not hasattr(module, child):
                setattr(module, child, importlib.import_module(target))


# The names Keras's ``keras/src/__init__.py`` itself binds (``from keras.src import Sequential``).
_SRC_NAMES = {"KerasTensor": "brickwork.backend", "Input": "brickwork.layers", "Layer": "brickwork.layers",
              "Functional": "brickwork.models", "Model": "brickwork.models", "Sequential": "brickwork.models",
              "__version__": "brickwork"}


def _src_attribute(name: str):
    if name in _SRC_NAMES:
        return getattr(importlib.import_module(_SRC_NAMES[name]), name)
    # Keras's package imports its submodules, so ``keras.src.optimizers`` works without importing it first.
    if not name.startswith("_") and brickwork_module_for(f"{PREFIX}.{name}") is not None:
        return importlib.import_module(f"{PREFIX}.{name}")
    raise AttributeError(f"module {PREFIX!r} has no attribute {name!r}")


class _SourcePackageLoader(importlib.abc.Loader):
    """``keras.src``: a package whose submodules come from the map, and the few names Keras binds in it."""

    def create_module(self, spec):
        module = types.ModuleType(PREFIX, _SRC_DOC)
        module.__path__ = []
        module.__getattr__ = _src_attribute
        return module

    def exec_module(self, module):
        pass


class _EmptyPackageLoader(importlib.abc.Loader):
    """A package with nothing in it but its submodules (the folders above ``keras.api._v2.keras``)."""

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


# Where TensorFlow's ``tf.keras`` looks for Keras's public API: ``keras._tf_keras.keras`` for a Keras 3 and
# ``keras.api._v2.keras`` otherwise (brickwork's version is its own, so TensorFlow takes it for the latter).
# Under the alias both are brickwork's public namespace, so ``tf.keras.layers.Layer`` (tensorflow_text
# subclasses it at import) is brickwork's Layer.
_TF_KERAS_ROOTS = ("keras._tf_keras.keras", "keras.api._v2.keras")
_TF_KERAS_FOLDERS = {"keras._tf_keras", "keras.api", "keras.api._v2"}


def _public_name(fullname: str) -> str:
    """``keras.X`` -> ``brickwork.X``, with TensorFlow's ``tf.keras`` roots read as ``keras``."""
    for root in _TF_KERAS_ROOTS:
        if fullname == root or fullname.startswith(root + "."):
            return "brickwork" + fullname[len(root):]
    return "brickwork" + fullname[len("keras"):]


class KerasAliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``keras`` and ``keras.*`` to brickwork's modules."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "keras" and not fullname.startswith("keras."):
            return None
        if fullname == PREFIX:
            return importlib.machinery.ModuleSpec(fullname, _SourcePackageLoader(), is_package=True)
        if fullname in _TF_KERAS_FOLDERS:
            return importlib.machinery.ModuleSpec(fullname, _EmptyPackageLoader(), is_package=True)
        if fullname.startswith(PREFIX + "."):
            target_name = brickwork_module_for(fullname)
            if target_name is None:
                raise ModuleNotFoundError(
                    f"No module named {fullname!r}: brickwork has no equivalent of this Keras-internal module "
                    "(the map of keras.src modules is brickwork/compat/keras_src_map.py)", name=fullname)
        else:
            target_name = _public_name(fullname)
            if importlib.util.find_spec(target_name) is None:
                return None
        is_package = hasattr(importlib.import_module(target_name), "__path__")
        loader = _ExistingModuleLoader(target_name, fullname)
        return importlib.machinery.ModuleSpec(fullname, loader, is_package=is_package)


_FINDER = KerasAliasFinder()


def alias_keras() -> None:
    """Make ``import keras`` (and ``keras.X``, ``keras.src.X``) resolve to brickwork in this process.

    Call it before anything imports Keras, e.g. first thing in a notebook; ``brickwork run`` calls it for
    a whole program and every library it imports. Calling it twice is harmless. If real Keras was
    already imported, it raises rather than mixing two libraries.

    Returns:
        ``None``; ``sys.modules`` maps ``keras`` and its submodules to brickwork's.

    Example:
        >>> import brickwork
        >>> brickwork.alias_keras()
        >>> from keras import layers
        >>> layers.Dense is brickwork.layers.Dense
        True
    """
    loaded = sys.modules.get("keras")
    if loaded is not None and not _is_brickwork(loaded):
        raise RuntimeError(
            f"alias_keras(): Keras is already imported here (from {getattr(loaded, '__file__', '?')}); "
            "call alias_keras() before anything imports keras, or run the program with `brickwork run`.")
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    # Importing Keras registers ml_dtypes' names with NumPy, and Keras programs rely on it
    # (`np.array(0, dtype="bfloat16")`); `import brickwork` alone leaves it for first use (0.4 s).
    import ml_dtypes  # noqa: F401


def remove_keras_alias() -> None:
    """Undo ``alias_keras()``: drop the hook and the ``keras`` names it put in ``sys.modules``."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n in sys.modules if n == "keras" or n.startswith("keras.")]:
        if _is_brickwork(sys.modules[name]) or name == PREFIX:
            del sys.modules[name]


def _is_brickwork(module) -> bool:
    name = getattr(module, "__name__", "")
    return name == "brickwork" or name.startswith("brickwork.") or name == PREFIX or name in _TF_KERAS_FOLDERS
