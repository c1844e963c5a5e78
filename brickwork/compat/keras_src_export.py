"""``keras.src.export``: Keras's internal export package, which holds more than the public ``keras.export``.

Keras's package carries ``TFSMLayer`` and one function per format besides ``ExportArchive``; its own tests
(``layers/core/dense_test.py`` reloads an exported model as ``export.TFSMLayer``) read them there. brickwork's
public ``export`` keeps ``ExportArchive``, as ``keras.export`` does; this module adds the rest, each format
function being ``export_model`` with that format.

Example:
    >>> import brickwork
    >>> brickwork.alias_keras()
    >>> from keras.src import export
    >>> export.TFSMLayer.__module__
    'brickwork.layers.native.tfsm_layer'
"""

import functools

from brickwork.export import ExportArchive, export_model  # noqa: F401
from brickwork.layers.native.tfsm_layer import TFSMLayer  # noqa: F401

__path__: list = []  # a package: ``keras.src.export.saved_model`` and ``.tfsm_layer`` are its submodules

export_saved_model = functools.partial(export_model, format="tf_saved_model")
export_onnx = functools.partial(export_model, format="onnx")
export_torch = functools.partial(export_model, format="torch")
