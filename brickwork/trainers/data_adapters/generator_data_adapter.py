"""``GeneratorDataAdapter``: batches from a Python generator yielding ``(x,)``, ``(x, y)`` or
``(x, y, sample_weight)``."""

from __future__ import annotations

import itertools

from brickwork.trainers.data_adapters import data_adapter_utils
from brickwork.trainers.data_adapters.data_adapter import DataAdapter


class GeneratorDataAdapter(DataAdapter):
    """Adapter for a Python generator (or iterator); its size is unknown and it runs only once."""

    one_shot = True

    def __init__(self, generator):
        try:
            first = next(generator)
        except StopIteration:
            raise ValueError("The generator passed as `x` yielded no data.") from None
        if not isinstance(first, tuple):
            raise ValueError(
                "When passing a Python generator, it must yield a tuple: (inputs,), (inputs, targets) or "
                f"(inputs, targets, sample_weights). Received an item of type {type(first).__name__}."
            )
        # Put the inspected batch back in front of the rest.
        self._generator = itertools.chain([first], generator)

    @property
    def num_batches(self) -> None:
        return None

    def get_iterator(self):
        convert = data_adapter_utils.convert_structure
        unpack = data_adapter_utils.unpack_x_y_sample_weight
        for batch in self._generator:
            yield convert(unpack(batch))
