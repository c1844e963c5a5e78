"""``python -m conformance.keras_suite``: see run.py."""

import sys

from conformance.keras_suite.run import main

sys.exit(main())
