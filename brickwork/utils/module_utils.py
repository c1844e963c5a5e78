"""What is imported on first use: optional packages, and the names of a public namespace.

``module_utils.grain.MapDataset`` imports grain only then. Each lazy module says whether it can be had
(``available``) and, when it cannot, its first use raises an ImportError that names the package to install.
``lazy_namespace`` gives a package's ``__init__.py`` the ``__getattr__`` and ``__dir__`` (PEP 562) that
load its names on first use, so that ``import brickwork`` does not pay for what a program never touches.

Example:
    >>> from brickwork.utils.module_utils import scipy
    >>> scipy.available
    True
    >>> scipy.special.erf(0.0)
    0.0
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable


class LazyModule:
    """A module imported the first time one of its attributes is read."""

    def __init__(self, name: str, pip_name: str | None = None, import_error_msg: str | None = None):
        self.name = name
        self.pip_name = pip_name or name.split(".")[0]
        self.import_error_msg = import_error_msg or (
            f"This requires the {self.name!r} module; install it with `pip install {self.pip_name}`.")
        self.module = None
        self._available = None

    @property
    def available(self) -> bool:
        if self._available is None:
            try:
                self.initialize()
                self._available = True
            except ImportError:
                self._available = False
        return self._available

    def initialize(self) -> None:
        try:
            self.module = importlib.import_module(self.name)
        except ImportError as error:
            raise ImportError(self.import_error_msg) from error

    def __getattr__(self, name):
        if name == "_api_export_path":  # what a tool walking module attributes asks first
            raise AttributeError(name)
        if self.module is None:
            self.initialize()
        return getattr(self.module, name)

    def __repr__(self) -> str:
        return f"LazyModule({self.name})"


def lazy_namespace(namespace: dict, names: dict[str, str], submodules: Iterable[str] = ()
                   ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of a namespace whose names load on first use.

    Args:
        namespace: the package's ``globals()``; a name, once loaded, is stored there (later reads cost nothing).
        names: public name -> the module defining it (``"brickwork.utils.feature_space"``), or
            ``"module:attribute"`` when the module calls it otherwise.
        submodules: the package's submodules that are public names (``"applications"``).

    Returns:
        ``(__getattr__, __dir__)``, to bind under those names in the package.

    Example:
        __getattr__, __dir__ = lazy_namespace(globals(), {"FeatureSpace": "brickwork.utils.feature_space"})
    """
    package = namespace["__name__"]
    submodules = frozenset(submodules)
    # Where each name is defined, for tools that read the source rather than run it (docs/griffe_lazy_names.py).
    namespace["_LAZY_NAMES"] = {
        **{name: f"{package}.{name}" for name in submodules},
        **{name: ".".join(filter(None, (target.partition(":")[0], target.partition(":")[2] or name)))
           for name, target in names.items()},
    }

    def __getattr__(name: str):
        if name in names:
            module, _, attribute = names[name].partition(":")
            value = getattr(importlib.import_module(module), attribute or name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names) | submodules)

    return __getattr__, __dir__


tensorflow = LazyModule("tensorflow")
gfile = LazyModule("tensorflow.io.gfile", pip_name="tensorflow")
tensorflow_io = LazyModule("tensorflow_io")
scipy = LazyModule("scipy")
jax = LazyModule("jax")
optree = LazyModule("optree")
dmtree = LazyModule("tree", pip_name="dm-tree")
grain = LazyModule("grain")
orbax = LazyModule("orbax.checkpoint", pip_name="orbax-checkpoint")
