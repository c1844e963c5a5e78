"""``value_and_grad``: the gradient helper for a custom ``train_step`` written once for every engine.

Keras asks for one ``train_step`` per engine: ``loss.backward()`` and ``zero_grad`` on torch, a pure
``train_step(self, state, data)`` threading every variable on jax. brickwork adds a third form that
runs unchanged on both: ``train_step(self, data)`` that computes gradients with ``value_and_grad``
and applies them with ``optimizer.apply``. On torch it runs as written; on jax the trainer runs the
first batch eagerly (building the optimizer's and metrics' variables), then compiles the step as a
pure function of every variable the model reaches: its weights, its metrics, its seed generators and
each optimizer set as its attribute. Keras's per-engine forms keep working beside it.

Example:

```python
import numpy as np
import brickwork as keras
from brickwork.trainers import value_and_grad

class MyModel(keras.Model):
    def train_step(self, data):
        x, y = data

        def loss_fn():
            y_pred = self(x, training=True)
            return self.compute_loss(x=x, y=y, y_pred=y_pred), y_pred

        (loss, y_pred), grads = value_and_grad(loss_fn, self.trainable_variables, has_aux=True)
        self.optimizer.apply(grads, self.trainable_variables)
        return self.compute_metrics(x, y, y_pred)

inputs = keras.Input((4,))
model = MyModel(inputs, keras.layers.Dense(1)(inputs))
model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
model.fit(np.ones((16, 4)), np.ones((16, 1)), epochs=2, verbose=0)
```
"""

from __future__ import annotations

from brickwork import backend


def value_and_grad(fn, variables, has_aux=False):
    """Call ``fn()`` and return its value with the gradients of it against ``variables``.

    Args:
        fn: a function of no arguments that reads brickwork variables (calls the model, computes a loss)
            and returns a scalar loss, or ``(loss, aux)`` with ``has_aux=True``.
        variables: the variables to differentiate against (``model.trainable_variables``).
        has_aux: whether ``fn`` returns ``(loss, aux)``; ``aux`` (predictions, say) is returned beside the loss.

    Returns:
        ``(loss, grads)``, or ``((loss, aux), grads)`` with ``has_aux=True``: one gradient per variable, in
            order, zeros for a variable the loss does not depend on. Variables ``fn`` assigns on the way (a
            metric, a BatchNormalization moving mean, a seed state) keep their new values, on both engines.

    Example:
        >>> layer = brickwork.layers.Dense(1)
        >>> x = np.ones((2, 3), "float32")
        >>> layer.build(x.shape)
        >>> loss, grads = value_and_grad(lambda: brickwork.ops.mean(layer(x)), layer.trainable_variables)
        >>> [tuple(g.shape) for g in grads]
        [(3, 1), (1,)]
    """
    return backend.active.gradients.value_and_grad(fn, variables, has_aux=has_aux)
