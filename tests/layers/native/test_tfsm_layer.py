"""TFSMLayer: a SavedModel's endpoint as a layer (tensorflow backend). Outputs are checked against a SavedModel that
Keras 3.15.1 wrote and ran itself, training against a hand-written tf.GradientTape step on the same SavedModel,
the config against safe mode."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers
from tests.conftest import BACKEND
from tests.layers import keras_reference

on_tensorflow = pytest.mark.skipif(BACKEND != "tensorflow", reason="TFSMLayer runs only on the tensorflow backend")


def _data(n=16):
    rng = np.random.default_rng(3)
    return rng.normal(size=(n, 5)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def _export(folder):
    """A SavedModel with ``serve`` (inference) and ``doubled`` (twice the output, standing for a training-time
    endpoint); returns the model."""
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(2)])
    archive = keras.export.ExportArchive()
    archive.track(model)
    spec = [keras.InputSpec(shape=(None, 5), dtype="float32")]
    archive.add_endpoint("serve", lambda x: model(x, training=False), input_signature=spec)
    archive.add_endpoint("doubled", lambda x: 2.0 * model(x, training=False), input_signature=spec)
    archive.write_out(folder, verbose=False)
    return model


@pytest.mark.skipif(BACKEND == "tensorflow", reason="checks the refusal on the other backends")
def test_other_backends_refuse_naming_the_tensorflow_backend(tmp_path):
    with pytest.raises(ValueError, match="TFSMLayer runs only on the tensorflow backend.*KERAS_BACKEND=tensorflow"):
        layers.TFSMLayer(tmp_path)


@on_tensorflow
def test_reproduces_a_saved_model_keras_wrote(tmp_path):
    """Keras 3.15.1 (tensorflow backend) exports a model and predicts; the layer reloads it and gives the same."""
    x, _ = _data()
    np.save(tmp_path / "x.npy", x)
    keras_reference.run_keras_in_folder("""
        import numpy as np, keras
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, activation="tanh"),
                                  keras.layers.Dense(3, activation="softmax")])
        model.export("keras_saved_model", format="tf_saved_model", verbose=False)
        np.save("expected.npy", model.predict(np.load("x.npy"), verbose=0))
    """, tmp_path, keras_backend="tensorflow")
    layer = layers.TFSMLayer(tmp_path / "keras_saved_model")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), np.load(tmp_path / "expected.npy"),
                               rtol=1e-5, atol=1e-6)
    assert sorted(tuple(w.shape) for w in layer.trainable_weights) == [(3,), (4,), (4, 3), (5, 4)]
    # a serving signature is an endpoint too; it returns its dict of outputs
    by_signature = layers.TFSMLayer(tmp_path / "keras_saved_model", call_endpoint="serving_default")(x)
    (output,) = by_signature.values()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(output), np.load(tmp_path / "expected.npy"),
                               rtol=1e-5, atol=1e-6)


@on_tensorflow
def test_weights_are_the_saved_model_variables_and_fit_trains_them(tmp_path):
    import tensorflow as tf

    _export(tmp_path / "saved")
    x, y = _data()
    layer = layers.TFSMLayer(tmp_path / "saved")
    model = keras.Sequential([keras.Input((5,)), layer])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)

    # the same step written with TensorFlow alone on a fresh reload of the SavedModel
    reference = tf.saved_model.load(str(tmp_path / "saved"))
    variables = reference.serve.concrete_functions[0].trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(reference.serve(x) - y))
    for variable, gradient in zip(variables, tape.gradient(loss, variables)):
        variable.assign_sub(0.1 * gradient)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), reference.serve(x).numpy(),
                               rtol=1e-5, atol=1e-6)
    assert not np.allclose(reference.serve(x).numpy(), tf.saved_model.load(str(tmp_path / "saved")).serve(x))


@on_tensorflow
def test_training_endpoint_and_frozen_layer(tmp_path):
    model = _export(tmp_path / "saved")
    x, _ = _data(4)
    layer = layers.TFSMLayer(tmp_path / "saved", call_training_endpoint="doubled", trainable=False)
    expected = model.predict(x, verbose=0)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x, training=True)), 2 * expected, rtol=1e-5, atol=1e-6)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4
    symbolic = layer(keras.Input((5,)))
    assert symbolic.shape == (None, 2)


@on_tensorflow
def test_config_round_trip_needs_unsafe_mode(tmp_path):
    model = _export(tmp_path / "saved")
    x, _ = _data(4)
    layer = layers.TFSMLayer(tmp_path / "saved", call_endpoint="serve", name="reloaded")
    config = layer.get_config()
    assert {key: config[key] for key in ("filepath", "call_endpoint", "call_training_endpoint", "name", "trainable")} \
        == {"filepath": str(tmp_path / "saved"), "call_endpoint": "serve", "call_training_endpoint": None,
            "name": "reloaded", "trainable": True}
    with pytest.raises(ValueError, match="Refused to rebuild the TFSMLayer 'reloaded'.*safe_mode=False"):
        layers.TFSMLayer.from_config(config)
    rebuilt = layers.TFSMLayer.from_config(config, safe_mode=False)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(rebuilt(x)), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)

    wrapper = keras.Sequential([keras.Input((5,)), layers.TFSMLayer(tmp_path / "saved")])
    wrapper.layers[0].trainable_weights[0].assign(np.zeros((5, 4), "float32"))  # differs from the SavedModel now
    wrapper.save(tmp_path / "wrapper.keras")
    with pytest.raises(ValueError, match="Refused to rebuild the TFSMLayer"):
        keras.models.load_model(tmp_path / "wrapper.keras")
    loaded = keras.models.load_model(tmp_path / "wrapper.keras", safe_mode=False)
    # the weights come from the .keras file, not from the SavedModel the config names
    np.testing.assert_allclose(loaded.predict(x, verbose=0), wrapper.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


@on_tensorflow
def test_bad_arguments_name_the_problem(tmp_path):
    _export(tmp_path / "saved")
    with pytest.raises(ValueError, match="`filepath` must be a SavedModel folder.*missing'"):
        layers.TFSMLayer(tmp_path / "missing")
    with pytest.raises(ValueError, match="`call_endpoint='predict'` is neither.*\\['doubled', 'serve'\\].*"
                                         "\\['doubled', 'serve', 'serving_default'\\]"):
        layers.TFSMLayer(tmp_path / "saved", call_endpoint="predict")
    with pytest.raises(ValueError, match="`call_training_endpoint='train'` is neither"):
        layers.TFSMLayer(tmp_path / "saved", call_training_endpoint="train")
