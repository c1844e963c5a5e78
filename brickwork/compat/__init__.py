"""Running Keras programs unchanged: the ``keras`` alias, ``brickwork run``, and the ``keras.src`` map."""

from brickwork.compat.alias import KerasAliasFinder, alias_keras, remove_keras_alias  # noqa: F401
from brickwork.compat.keras_src_map import brickwork_module_for  # noqa: F401
