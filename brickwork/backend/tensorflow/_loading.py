"""Import TensorFlow without letting it import the ``keras`` package.

``import tensorflow`` eagerly imports ``keras.src.optimizers`` when a ``keras`` package is installed (and
``tensorflow-cpu`` installs one). Under ``brickwork run`` / ``alias_keras()`` ``keras`` must be brickwork, and
a real Keras imported first would make the alias refuse. So while TensorFlow itself loads, ``keras`` is
reported as not importable (TensorFlow catches that and goes on); afterwards ``import keras`` and
``tf.keras`` work as usual, and resolve to brickwork under the alias. A program that imported Keras or
TensorFlow before brickwork is left as it is.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys


class _NoKerasWhileTensorFlowLoads(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "keras" or fullname.startswith("keras."):
            # No origin: TensorFlow's module_util reads that as "keras is not installed".
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise ImportError("keras is not imported while brickwork loads TensorFlow", name=module.__name__)


def import_tensorflow():
    """``import tensorflow``, with ``keras`` kept out of it unless the program already imported either."""
    if "tensorflow" in sys.modules or "keras" in sys.modules:
        import tensorflow

        return tensorflow
    blocker = _NoKerasWhileTensorFlowLoads()
    sys.meta_path.insert(0, blocker)
    try:
        import tensorflow
    finally:
        sys.meta_path.remove(blocker)
        for name in [n for n in sys.modules if n == "keras" or n.startswith("keras.")]:
            if sys.modules[name] is None or getattr(sys.modules[name], "__spec__", None) is not None \
                    and isinstance(sys.modules[name].__spec__.loader, _NoKerasWhileTensorFlowLoads):
                del sys.modules[name]
    return tensorflow
