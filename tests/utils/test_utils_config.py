"""keras.utils.Config: attribute and item access, freezing."""

import json

import pytest

from brickwork.utils import Config


def test_attributes_items_and_dict_methods():
    config = Config(learning_rate=0.1, layers=[8, 4])
    config.epochs = 3
    config["seed"] = 1
    assert config.learning_rate == 0.1 and config["epochs"] == 3 and "seed" in config
    assert list(config) == ["epochs", "layers", "learning_rate", "seed"] and len(config) == 4
    assert config.as_dict() == {"learning_rate": 0.1, "layers": [8, 4], "epochs": 3, "seed": 1}
    assert json.loads(config.to_json())["epochs"] == 3
    assert config.get("missing", 5) == 5 and config.pop("seed") == 1
    config.update(epochs=4)
    del config["layers"]
    assert dict(config.items()) == {"learning_rate": 0.1, "epochs": 4}


def test_freeze_blocks_every_change():
    config = Config(a=1)
    config.freeze()
    assert config.frozen
    for change in (lambda: setattr(config, "a", 2), lambda: config.__setitem__("b", 1), lambda: config.pop("a"),
                   lambda: config.update(a=3), lambda: config.__delitem__("a")):
        with pytest.raises(ValueError, match="frozen"):
            change()
    config.unfreeze()
    config.a = 2
    assert config.a == 2


def test_unknown_attribute_suggests_a_key():
    with pytest.raises(AttributeError, match="Did you mean 'learning_rate'"):
        _ = Config(learning_rate=0.1).learning_rat
