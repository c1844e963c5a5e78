"""One custom ``train_step`` for torch and jax: a regression model with a custom metric, and a GAN.

Keras asks for a different ``train_step`` per engine (``loss.backward()`` on torch, a pure function of
the state on jax). Written with ``brickwork.trainers.value_and_grad`` and ``optimizer.apply``, the same
code runs on both; on jax brickwork compiles it, threading the variables through for you.

    BRICKWORK_BACKEND=torch python examples/portable_train_step.py
    BRICKWORK_BACKEND=jax python examples/portable_train_step.py

With ``--save-weights FILE`` it writes the GAN's final weights (an ``.npz``) to compare across engines.
"""

import argparse

import numpy as np

import brickwork as keras
from brickwork import layers, ops
from brickwork.trainers import value_and_grad


class MeanAbsoluteResidual(keras.metrics.Metric):
    """A custom metric: the mean of ``|y - y_pred|`` over everything seen since the last reset."""

    def __init__(self, name="mean_abs_residual", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        residual = ops.abs(ops.convert_to_tensor(y_true, "float32") - y_pred)
        self.total.assign_add(ops.sum(residual))
        self.count.assign_add(ops.cast(ops.size(residual), "float32"))

    def result(self):
        return self.total / ops.maximum(self.count, 1.0)

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)


class Regressor(keras.Model):
    """``train_step`` and ``test_step`` written once, with the loss tracked by hand as in Keras's guides."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.residual = MeanAbsoluteResidual()

    @property
    def metrics(self):
        return [self.loss_tracker, self.residual]

    def train_step(self, data):
        x, y = data

        def loss_fn():
            y_pred = self(x, training=True)
            return self.compute_loss(x=x, y=y, y_pred=y_pred), y_pred

        (loss, y_pred), grads = value_and_grad(loss_fn, self.trainable_variables, has_aux=True)
        self.optimizer.apply(grads, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.residual.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(self.compute_loss(x=x, y=y, y_pred=y_pred))
        self.residual.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


class GAN(keras.Model):
    """Two networks, two optimizers, two gradient steps per batch. The data is ``(real, noise)``: the
    latent vectors come with the batch so that runs on different engines can be compared number for number
    (draw them with ``keras.random.normal(..., seed=self.seed_generator)`` inside the step just as well)."""

    def __init__(self, discriminator, generator, **kwargs):
        super().__init__(**kwargs)
        self.discriminator = discriminator
        self.generator = generator
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def call(self, images):
        return self.discriminator(images)  # fit builds a model by calling it on a batch's x, as Keras does

    def train_step(self, data):
        real, noise = data
        batch = ops.shape(real)[0]
        fake = self.generator(noise)
        images = ops.concatenate([fake, real], axis=0)
        labels = ops.concatenate([ops.ones((batch, 1)), ops.zeros((batch, 1))], axis=0)

        def d_loss_fn():
            return self.loss_fn(labels, self.discriminator(images))

        d_loss, d_grads = value_and_grad(d_loss_fn, self.discriminator.trainable_variables)
        self.d_optimizer.apply(d_grads, self.discriminator.trainable_variables)

        misleading = ops.zeros((batch, 1))  # "all real": the generator learns to fool the discriminator

        def g_loss_fn():
            return self.loss_fn(misleading, self.discriminator(self.generator(noise)))

        g_loss, g_grads = value_and_grad(g_loss_fn, self.generator.trainable_variables)
        self.g_optimizer.apply(g_grads, self.generator.trainable_variables)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def set_weights_from(model, rng):
    """Give every weight a value drawn from NumPy, the same on every engine."""
    model.set_weights([rng.normal(scale=0.3, size=w.shape).astype("float32") for w in model.get_weights()])


def regression():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0]], "float32") + 0.3).astype("float32")
    inputs = keras.Input((4,))
    model = Regressor(inputs, layers.Dense(1)(layers.Dense(16, activation="relu")(inputs)))
    set_weights_from(model, rng)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    history = model.fit(x, y, batch_size=32, epochs=20, verbose=0)
    after = model.evaluate(x, y, verbose=0, return_dict=True)
    expected = np.abs(y - model.predict(x, verbose=0)).mean()
    assert np.isclose(after["mean_abs_residual"], expected, rtol=1e-4), (after, expected)
    assert after["loss"] < 0.5 * before["loss"], (before, after)
    print(f"regression: loss {before['loss']:.3f} -> {after['loss']:.3f}, "
          f"last epoch {history.history['loss'][-1]:.3f}")


def gan(save_weights=None):
    rng = np.random.default_rng(1)
    latent, features = 4, 6
    discriminator = keras.Sequential([keras.Input((features,)), layers.Dense(16), layers.LeakyReLU(0.2),
                                      layers.Dense(1)], name="discriminator")
    generator = keras.Sequential([keras.Input((latent,)), layers.Dense(16), layers.LeakyReLU(0.2),
                                  layers.Dense(features)], name="generator")
    set_weights_from(discriminator, rng)
    set_weights_from(generator, rng)
    real = (rng.normal(size=(64, features)) * 0.5 + 1.0).astype("float32")
    noise = rng.normal(size=(64, latent)).astype("float32")
    model = GAN(discriminator, generator)
    model.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    history = model.fit(real, noise, batch_size=16, epochs=3, shuffle=False, verbose=0)
    losses = history.history
    assert all(np.isfinite(losses[k]).all() for k in ("d_loss", "g_loss")), losses
    print(f"gan: d_loss {losses['d_loss'][0]:.4f} -> {losses['d_loss'][-1]:.4f}, "
          f"g_loss {losses['g_loss'][0]:.4f} -> {losses['g_loss'][-1]:.4f}")
    if save_weights:
        weights = [*discriminator.get_weights(), *generator.get_weights()]
        np.savez(save_weights, *weights, d_loss=losses["d_loss"], g_loss=losses["g_loss"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save-weights", help="write the GAN's final weights and losses to this .npz file")
    args = parser.parse_args()
    regression()
    gan(args.save_weights)
    print(f"portable_train_step: ok ({keras.backend.backend()})")
