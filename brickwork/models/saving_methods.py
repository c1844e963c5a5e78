"""``SavingMethods``: ``save``, ``save_weights``, ``load_weights`` and ``export`` on ``Model``.

Each is a thin door into ``brickwork.saving`` / ``brickwork.export``, so that the formats live in
one place.
"""

from __future__ import annotations


class SavingMethods:
    """The saving API of ``Model`` (mixed into it)."""

    def save(self, filepath, overwrite: bool = True, zipped=None, **kwargs) -> None:
        """Save the whole model (architecture, weights, compile configuration, optimizer state) to ``.keras``
        (or to the legacy ``.h5`` format, with a warning; ``include_optimizer=False`` leaves out the compile state).

        Example:
            model.save("model.keras")
            model = brickwork.models.load_model("model.keras")
        """
        from brickwork.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite: bool = True, **kwargs) -> None:
        """Save the model's variables (and its optimizer's) to a ``.weights.h5`` file (``objects_to_skip=[...]``
        leaves those layers out)."""
        from brickwork.saving import saving_api

        saving_api.save_weights(self, filepath, overwrite=overwrite, **kwargs)

    def load_weights(self, filepath, skip_mismatch: bool = False, **kwargs) -> None:
        """Load variables from a ``.weights.h5``, ``.keras`` or legacy ``.h5`` file into this (built) model.

        Args:
            filepath: the file.
            skip_mismatch: warn and skip layers whose variables do not match, instead of raising.
            by_name: (legacy ``.h5`` only) match layers by name instead of by order.
            objects_to_skip: (``.weights.h5`` only) layers that keep their current values.
        """
        from brickwork.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def export(self, filepath, format: str | None = None, verbose: bool = True, input_signature=None, **kwargs):
        """Export the model for serving without brickwork.

        Args:
            filepath: where to write it.
            format: on the torch engine ``"onnx"`` (through ``torch.onnx``, the default there) or ``"torch"``
                (a self-contained ``torch.export`` program, loaded with ``torch.export.load``); on the
                tensorflow engine ``"tf_saved_model"`` (the default there: a SavedModel folder whose ``serve``
                endpoint is the forward pass, loaded with ``tf.saved_model.load``).
            input_signature: ``KerasTensor``/shape specs of the inputs; by default the model's inputs.
        """
        from brickwork.export import export_model

        return export_model(self, filepath, format=format, verbose=verbose, input_signature=input_signature,
                            **kwargs)
