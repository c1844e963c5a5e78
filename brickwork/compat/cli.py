"""The ``brickwork`` command: ``brickwork run SCRIPT [ARGS...]`` runs an unmodified Keras program on brickwork.

``brickwork run train.py --epochs 3`` runs ``train.py`` as ``__main__`` with ``sys.argv`` set as Python
would set it, after ``alias_keras()``: ``import keras`` in the program and in every library it imports
gives brickwork, even where real Keras is installed too. ``brickwork run -m package.module ARGS`` runs a
module the way ``python -m`` does. The engine is chosen as always, by ``BRICKWORK_BACKEND`` or
``KERAS_BACKEND``.

Example:
    $ KERAS_BACKEND=jax brickwork run my_keras_script.py
    $ python -m brickwork run my_keras_script.py
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys

from brickwork.compat.alias import alias_keras

_USAGE = "brickwork run SCRIPT [ARGS...]   |   brickwork run -m MODULE [ARGS...]"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brickwork", description="Run Keras 3 programs on brickwork.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", usage=_USAGE, help="run a Keras program unchanged, with `keras` as brickwork",
                              description="Run a Keras program unchanged: `import keras` resolves to brickwork.")
    run.add_argument("-m", dest="module", metavar="MODULE", help="run a module as `python -m MODULE` does")
    run.add_argument("target", nargs=argparse.REMAINDER, help="the script and its arguments")
    return parser


def _split_module_form(argv: list[str]) -> tuple[str, list[str]] | None:
    """``run -m MODULE ARGS...`` -> (MODULE, ARGS): everything after MODULE belongs to it, dashes included.

    argparse would read ``-q`` in ``run -m pytest -q`` as an option of ``run`` and refuse it; Python stops
    reading its own options at ``-m MODULE``, and so does this.
    """
    if len(argv) >= 3 and argv[0] == "run" and argv[1] == "-m":
        return argv[2], argv[3:]
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``brickwork`` console script; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    module_form = _split_module_form(argv)
    if module_form is not None:
        alias_keras()
        module, rest = module_form
        sys.argv = [module, *rest]
        sys.path.insert(0, os.getcwd())  # as `python -m` puts the working directory first
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    args = _parser().parse_args(argv)
    if args.command != "run":
        _parser().print_help()
        return 2
    if not args.target:
        print(f"usage: {_USAGE}\nbrickwork run: name a script to run", file=sys.stderr)
        return 2
    alias_keras()
    script, *rest = args.target
    if not os.path.isfile(script):
        print(f"brickwork run: no such script: {script!r}", file=sys.stderr)
        return 2
    sys.argv = [script, *rest]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
    return 0
