"""Console output: messages to stdout, or to the log once interactive logging is off (absl's where absl-py is
installed, as in Keras, else the ``brickwork`` logger).

Example:
    io_utils.print_msg("Epoch 3: saving model")
    keras.config.disable_interactive_logging()   # the same message now goes to absl.logging.info
"""

from __future__ import annotations

import logging

from brickwork.config import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from brickwork.utils.progbar import write_message

_LEVELS = {"FATAL": logging.FATAL, "ERROR": logging.ERROR, "WARNING": logging.WARNING, "INFO": logging.INFO,
           "DEBUG": logging.DEBUG}


def print_msg(message, line_break: bool = True) -> None:
    """Write ``message`` (a newline after it with ``line_break``) where progress output goes."""
    message = str(message)
    write_message(f"{message}\n" if line_break else message)


def set_logging_verbosity(level: str) -> None:
    """Set the ``brickwork`` logger's level and absl's verbosity (where installed).

    Args:
        level: ``"FATAL"``, ``"ERROR"``, ``"WARNING"``, ``"INFO"`` or ``"DEBUG"``.
    """
    if level not in _LEVELS:
        raise ValueError(f"set_logging_verbosity: Please pass a valid level for logging verbosity. Expected one of: "
                         f"{set(_LEVELS)}. Received: {level!r}")
    logging.getLogger("brickwork").setLevel(_LEVELS[level])
    try:
        from absl import logging as absl_logging
    except ImportError:  # absl-py is optional
        return
    absl_logging.set_verbosity(level.lower())


def ask_to_proceed_with_overwrite(filepath: str) -> bool:
    """Ask on the console whether to overwrite ``filepath``; ``True`` for "y", ``False`` for "n"."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    return answer == "y"


__all__ = ["ask_to_proceed_with_overwrite", "disable_interactive_logging", "enable_interactive_logging",
           "is_interactive_logging_enabled", "print_msg", "set_logging_verbosity"]
