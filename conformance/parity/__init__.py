"""Cross-engine parity: every public layer, loss and optimizer on torch and jax, same numbers in, the
differences out (``python -m conformance.parity``; the table is ``docs/parity.md``)."""
