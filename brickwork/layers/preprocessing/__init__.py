"""Preprocessing layers: numeric (Normalization, Rescaling, …) and string (StringLookup, …) ones, no TensorFlow."""
