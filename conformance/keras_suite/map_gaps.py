"""Which Keras-internal modules brickwork now has under the same path but the map does not name yet.

    python -m conformance.keras_suite.map_gaps

Reads the module list of Keras's wheel (the suite's download) and brickwork's tree, and prints the
``SAME_PATH`` entries to review and add to ``brickwork/compat/keras_src_map.py``; exits 1 if any.
"""

from __future__ import annotations

import importlib.util
import sys
import zipfile

from brickwork.compat.keras_src_map import RENAMED, SAME_PATH
from conformance.keras_suite.run import CACHE, KERAS_VERSION, suite_folder


def keras_module_paths() -> list[str]:
    suite_folder()
    wheel = next((CACHE / "wheels").glob(f"keras-{KERAS_VERSION}-*.whl"))
    paths = set()
    for name in zipfile.ZipFile(wheel).namelist():
        if name.startswith("keras/src/") and name.endswith(".py") and not name.endswith("_test.py"):
            path = name[len("keras/src/"):-3].replace("/", ".")
            path = path.removesuffix(".__init__").removesuffix("__init__")
            if path:
                paths.add(path)
    return sorted(paths)


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, AttributeError):  # a parent is a plain module, or is missing
        return False


def main() -> int:
    gaps = [p for p in keras_module_paths() if p not in SAME_PATH and p not in RENAMED and _exists("brickwork." + p)]
    for path in gaps:
        print(f'    "{path}",')
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
