"""``python -m brickwork run SCRIPT [ARGS...]``: the ``brickwork`` command (see ``brickwork/compat/cli.py``)."""

import sys

from brickwork.compat.cli import main

sys.exit(main())
