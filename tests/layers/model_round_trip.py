"""One check for a new layer inside a model: it trains with ``fit`` and survives a ``.keras`` save and load."""

from __future__ import annotations

import os

import numpy as np

from brickwork import backend, layers, models, saving


def check_fit_and_reload(layer, x, y, tmp_path, head=None, loss="mse"):
    """Put ``layer`` in a Functional model (then ``head`` layers, default Flatten and Dense(1)), ``fit`` it
    where the backend trains, save it to a ``.keras`` file and check the reloaded model predicts the same."""
    inputs = layers.Input(np.shape(x)[1:], dtype=str(np.asarray(x).dtype))
    outputs = layer(inputs)
    for step in head if head is not None else [layers.Flatten(), layers.Dense(1)]:
        outputs = step(outputs)
    model = models.Model(inputs, outputs)
    if backend.SUPPORTS_TRAINING:
        model.compile(optimizer="adam", loss=loss)
        history = model.fit(x, y, epochs=2, batch_size=len(x) // 2 or 1, verbose=0)
        assert np.isfinite(history.history["loss"]).all()
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    again = saving.load_model(path)
    np.testing.assert_allclose(backend.convert_to_numpy(again.predict(x, verbose=0)),
                               backend.convert_to_numpy(model.predict(x, verbose=0)), rtol=1e-5, atol=1e-5)
    return model, again
