"""Activation layers: ``ELU``, ``LeakyReLU``, ``PReLU``, ``ReLU``, ``Softmax``."""

from brickwork.layers.activations.elu import ELU  # noqa: F401
from brickwork.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from brickwork.layers.activations.prelu import PReLU  # noqa: F401
from brickwork.layers.activations.relu import ReLU  # noqa: F401
from brickwork.layers.activations.softmax import Softmax  # noqa: F401
