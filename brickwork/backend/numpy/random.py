"""numpy backend: random ops."""
