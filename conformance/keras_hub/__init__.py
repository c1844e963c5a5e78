"""KerasHub 0.32 on brickwork, side by side with Keras 3.15.1 (see README.md)."""
