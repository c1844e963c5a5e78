"""Layers around a model written for the engine itself: a ``torch.nn.Module``, a pure jax function, a Flax module,
a TensorFlow SavedModel.

Each layer file holds the engine-neutral part; what needs the engine's own library is in
``backend/<engine>/`` (``module_wrapper.py`` for torch, ``jax_layer.py`` for jax, ``tfsm_layer.py`` for
tensorflow), reached through
``engine.engine_module``, which names the backend to choose on the others.
"""

from brickwork.layers.native.flax_layer import FlaxLayer  # noqa: F401
from brickwork.layers.native.jax_layer import JaxLayer  # noqa: F401
from brickwork.layers.native.tfsm_layer import TFSMLayer  # noqa: F401
from brickwork.layers.native.torch_module_wrapper import TorchModuleWrapper  # noqa: F401
