"""numpy backend: nn ops."""
