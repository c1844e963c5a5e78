"""The custom-object registry: one dict each way, public under Keras's names."""

import pytest

from brickwork import saving
from brickwork.saving import object_registration


def test_registering_fills_both_directions_of_the_one_registry():
    @saving.register_keras_serializable(package="test_registry", name="Scaled")
    class Scale:
        def get_config(self):
            return {}

    assert object_registration.GLOBAL_CUSTOM_NAMES[Scale] == "test_registry>Scaled"
    assert object_registration.GLOBAL_CUSTOM_OBJECTS["test_registry>Scaled"] is Scale
    # get_custom_objects() hands out that same dict, not a copy
    assert saving.get_custom_objects() is object_registration.GLOBAL_CUSTOM_OBJECTS
    assert saving.get_registered_name(Scale) == "test_registry>Scaled"


def test_a_class_without_get_config_cannot_be_registered():
    with pytest.raises(ValueError, match="Cannot register a class that does not have a get_config"):
        @saving.register_keras_serializable(package="test_registry")
        class NoConfig:
            pass
    assert not any(key.endswith(">NoConfig") for key in object_registration.GLOBAL_CUSTOM_OBJECTS)
