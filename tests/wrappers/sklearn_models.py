"""Model builders shared by the wrapper tests: small, fast, picklable (module-level) callables.

They compile without ``jit_compile`` by default: the tests build many tiny models, and on jax compiling each
one's step costs more than running it; one test per class asks for the compiled step."""

import brickwork as keras


def build_mlp(X, y, hidden=8, loss="categorical_crossentropy", activation="softmax", learning_rate=0.01,
              jit_compile=False, seed=None):
    """One hidden layer; one output per target column (``y`` arrives one-hot for classifiers).

    With a ``seed`` the initial weights are the same on every build, so that ``fit`` (with ``shuffle=False``)
    is reproducible, which several of scikit-learn's checks assume."""
    model = keras.Sequential([
        keras.Input((X.shape[1],)),
        keras.layers.Dense(hidden, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed)),
        keras.layers.Dense(y.shape[1], activation=activation,
                           kernel_initializer=keras.initializers.GlorotUniform(None if seed is None else seed + 1)),
    ])
    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate), jit_compile=jit_compile)
    return model


def build_linear(X, y, loss="mse", activation=None, learning_rate=0.1, jit_compile=False):
    """A single Dense layer: a linear (or logistic, with softmax) model, as scikit-learn's linear models."""
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1], activation=activation)])
    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate), jit_compile=jit_compile)
    return model
