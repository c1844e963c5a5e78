"""LazyModule: imported on first attribute, a clear ImportError naming the package when missing."""

import sys

import pytest

from brickwork.utils.module_utils import LazyModule


def test_imports_on_first_attribute_only():
    sys.modules.pop("colorsys", None)
    lazy = LazyModule("colorsys")
    assert "colorsys" not in sys.modules
    assert lazy.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    assert lazy.available and "colorsys" in sys.modules


def test_missing_package_names_what_to_install():
    lazy = LazyModule("no_such_package_xyz", pip_name="xyz-pkg")
    assert lazy.available is False
    with pytest.raises(ImportError, match="pip install xyz-pkg"):
        lazy.anything
