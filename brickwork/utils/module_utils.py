"""Optional packages, imported on first use: ``module_utils.grain.MapDataset`` imports grain only then.

Each lazy module says whether it can be had (``available``) and, when it cannot, its first use raises an
ImportError that names the package to install.

Example:
    >>> from brickwork.utils.module_utils import scipy
    >>> scipy.available
    True
    >>> scipy.special.erf(0.0)
    0.0
"""

from __future__ import annotations

import importlib


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


tensorflow = LazyModule("tensorflow")
gfile = LazyModule("tensorflow.io.gfile", pip_name="tensorflow")
tensorflow_io = LazyModule("tensorflow_io")
scipy = LazyModule("scipy")
jax = LazyModule("jax")
optree = LazyModule("optree")
dmtree = LazyModule("tree", pip_name="dm-tree")
grain = LazyModule("grain")
orbax = LazyModule("orbax.checkpoint", pip_name="orbax-checkpoint")
