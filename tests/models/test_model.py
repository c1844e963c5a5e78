"""``Model``: subclasses that pass ``(inputs, outputs)`` up become Functional models, as in Keras."""

import numpy as np

import brickwork as keras
from brickwork import backend, layers, models, saving
from brickwork.models.functional import Functional
from tests.conftest import requires_training


class _Classifier(models.Model):
    """A KerasHub-style model: builds its graph in ``__init__`` and overrides ``train_step``."""

    def __init__(self, units=2, **kwargs):
        inputs = keras.Input((3,))
        outputs = layers.Dense(units)(inputs)
        super().__init__(inputs, outputs, **kwargs)
        self.units = units
        self.steps_seen = 0

    def train_step(self, *args, **kwargs):
        self.steps_seen += 1
        return super().train_step(*args, **kwargs)

    def get_config(self):
        return {"units": self.units, "name": self.name}


class _PlainSubclass(models.Model):
    pass


def test_subclass_passing_inputs_and_outputs_positionally_is_functional():
    model = _Classifier(units=4, name="clf")
    assert isinstance(model, Functional) and isinstance(model, _Classifier)
    assert model.name == "clf" and model.output_shape == (None, 4)
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense"]
    x = np.ones((5, 3), "float32")
    dense = model.layers[1]
    np.testing.assert_allclose(backend.convert_to_numpy(model(x)), backend.convert_to_numpy(dense(x)), rtol=1e-6)


def test_subclass_passing_inputs_and_outputs_by_keyword():
    class ByKeyword(models.Model):
        def __init__(self):
            inputs = keras.Input((3,))
            super().__init__(inputs=inputs, outputs=layers.Dense(2)(inputs))

    model = ByKeyword()
    assert isinstance(model, Functional) and model.output_shape == (None, 2)
    assert model.get_config() == {"name": model.name, "trainable": True}  # Keras's rule: not graph-revivable


@requires_training
def test_custom_train_step_of_a_functional_subclass_runs_in_fit():
    model = _Classifier()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 3), "float32"), np.ones((8, 2), "float32"), batch_size=4, epochs=1, verbose=0)
    assert model.steps_seen >= 1  # jax traces the step once; torch runs it per batch


def test_subclass_config_round_trip_through_its_own_get_config(tmp_path):
    model = _Classifier(units=5, name="clf")
    rebuilt = _Classifier.from_config(model.get_config())
    assert isinstance(rebuilt, Functional) and rebuilt.output_shape == (None, 5) and rebuilt.name == "clf"
    model.save(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras", custom_objects={"_Classifier": _Classifier})
    x = np.random.rand(2, 3).astype("float32")
    np.testing.assert_allclose(backend.convert_to_numpy(loaded(x)), backend.convert_to_numpy(model(x)), rtol=1e-6)


def test_subclass_without_init_keeps_the_graph_config(tmp_path):
    inputs = keras.Input((3,))
    model = _PlainSubclass(inputs, layers.Dense(2)(inputs))
    assert isinstance(model, Functional) and "layers" in model.get_config()
    model.save(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras", custom_objects={"_PlainSubclass": _PlainSubclass})
    assert type(loaded) is _PlainSubclass
    x = np.random.rand(2, 3).astype("float32")
    np.testing.assert_allclose(backend.convert_to_numpy(loaded(x)), backend.convert_to_numpy(model(x)), rtol=1e-6)


def test_plain_subclass_without_inputs_stays_subclassed():
    class Custom(models.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Custom()
    assert not isinstance(model, Functional)
    assert backend.convert_to_numpy(model(np.ones((1, 3), "float32"))).shape == (1, 2)
