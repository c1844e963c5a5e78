"""Test ids comparable across runs and processes.

pytest builds parametrized ids from argument reprs, and some of Keras's hold memory addresses
(``model=<function dynamic_model at 0x7fb6b43c6200>``): every process gives them a new id. Addresses
become ``0x?`` so that Keras's run, brickwork's run and the ratchet name the same test alike.

Example:
    >>> normalize("t.py::test[<functionfat0x7fb6b43c6200>]")
    't.py::test[<functionfat0x?>]'
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


def normalize(test_id: str) -> str:
    """``test_id`` with memory addresses replaced by ``0x?``."""
    return _ADDRESS.sub("0x?", test_id)
