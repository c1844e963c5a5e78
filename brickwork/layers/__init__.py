"""``brickwork.layers``: every public layer, re-exported from its own file."""

from brickwork.layers.core.activation import Activation  # noqa: F401
from brickwork.layers.core.dense import Dense  # noqa: F401
from brickwork.layers.core.input_layer import Input, InputLayer  # noqa: F401
from brickwork.layers.input_spec import InputSpec  # noqa: F401
from brickwork.layers.layer import Layer  # noqa: F401
from brickwork.layers.regularization.dropout import Dropout  # noqa: F401
from brickwork.layers.reshaping.flatten import Flatten  # noqa: F401
from brickwork.layers.reshaping.reshape import Reshape  # noqa: F401
