"""LazyModule: imported on first attribute, a clear ImportError naming the package when missing."""

import importlib
import sys
import types

import pytest

from brickwork.utils.module_utils import LazyModule, lazy_namespace


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


def test_lazy_namespace_loads_a_name_on_first_read_and_lists_it_before():
    sys.modules.pop("colorsys", None)
    namespace = {"__name__": "brickwork_test_namespace"}
    getattr_, dir_ = lazy_namespace(namespace, {"rgb_to_hsv": "colorsys", "to_hsv": "colorsys:rgb_to_hsv"},
                                    submodules=("child",))
    assert {"rgb_to_hsv", "to_hsv", "child"} <= set(dir_())
    assert "colorsys" not in sys.modules  # listing loads nothing
    import colorsys

    assert getattr_("rgb_to_hsv") is colorsys.rgb_to_hsv and getattr_("to_hsv") is colorsys.rgb_to_hsv
    assert namespace["rgb_to_hsv"] is colorsys.rgb_to_hsv  # stored: later reads skip __getattr__
    assert namespace["_LAZY_NAMES"]["to_hsv"] == "colorsys.rgb_to_hsv"
    assert namespace["_LAZY_NAMES"]["child"] == "brickwork_test_namespace.child"
    with pytest.raises(AttributeError, match="'brickwork_test_namespace' has no attribute 'nope'"):
        getattr_("nope")


def test_lazy_names_of_the_public_namespaces_all_resolve():
    import brickwork
    from brickwork import callbacks, layers, utils

    for namespace in (brickwork, callbacks, layers, utils):
        listed = dir(namespace)
        for name, target in namespace._LAZY_NAMES.items():
            assert name in listed
            value = getattr(namespace, name)
            if isinstance(value, types.ModuleType):
                assert value.__name__ == target
            else:
                module, _, attribute = target.rpartition(".")
                assert getattr(importlib.import_module(module), attribute) is value, name


def test_star_import_of_a_lazy_namespace_gives_its_lazy_names():
    for namespace, expected in (("brickwork.layers", {"Dense", "Layer"}), ("brickwork.utils", {"FeatureSpace"})):
        scope: dict = {}
        exec(f"from {namespace} import *", scope)
        assert expected <= set(scope)
