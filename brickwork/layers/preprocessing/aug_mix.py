"""``AugMix``: mix several chains of random augmentations with the original image (Hendrycks et al., 2020)."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.augmentation_choices import build_augmentations
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)

_ALL_OPS = ["random_shear", "random_translation", "random_rotation", "random_posterization", "solarization",
            "auto_contrast", "equalization", "random_brightness", "random_color_degeneration", "random_contrast",
            "random_sharpness"]
_GEOMETRIC_AND_TONE_OPS = _ALL_OPS[:7]


class AugMix(BaseImageAugmentation):
    """``m * x + (1 - m) * sum_i w_i chain_i(x)``, clipped to ``value_range``.

    Each of ``num_chains`` chains applies ``chain_depth`` steps, each step one augmentation drawn uniformly
    from the list, or none (one more choice); ``w ~ Dirichlet(alpha)`` and ``m ~ Beta(alpha, alpha)`` are drawn
    per call. The choices are tensors and every candidate is computed, so the layer runs under ``jit``
    (Keras draws them in Python). Identity when not training.

    Args:
        value_range: the ``(min, max)`` range of the pixel values.
        num_chains: the number of augmentation chains mixed.
        chain_depth: the number of steps of each chain.
        factor: the augmentations' strength, a float ``f`` in ``[0, 1]`` (``(0, f)``) or a ``(lower, upper)`` pair.
        alpha: the Dirichlet and Beta parameter.
        all_ops: use all eleven augmentations; ``False`` leaves out brightness, colour degeneration,
            contrast and sharpness (which overlap common test-set corruptions).
        interpolation: ``"bilinear"`` or ``"nearest"``, for the geometric augmentations.
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> AugMix(num_chains=2, chain_depth=2, seed=1)(np.random.rand(2, 16, 16, 3) * 255).shape   # (2, 16, 16, 3)
    """

    def __init__(self, value_range=(0, 255), num_chains: int = 3, chain_depth: int = 3, factor=0.3,
                 alpha: float = 1.0, all_ops: bool = True, interpolation: str = "bilinear", seed: int | None = None,
                 data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        for name, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"AugMix: `{name}` must be a positive int, received {value!r}.")
        if not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(f"AugMix: `alpha` must be a positive number, received {alpha!r}.")
        self.value_range = check_value_range(value_range, "AugMix")
        self.strength = factor_range(factor, (0, 1), "AugMix")
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = factor
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        names = _ALL_OPS if all_ops else _GEOMETRIC_AND_TONE_OPS
        self.augmentations = build_augmentations(names, self.strength, self.value_range, interpolation, seed,
                                                 self.data_format)

    def get_random_transformation(self, data, training: bool = True, seed=None):
        seed = self._seed(seed)
        gammas = random.gamma((self.num_chains,), self.alpha, dtype=self.compute_dtype, seed=seed)
        # Index len(augmentations) means "no augmentation at this step".
        choices = random.randint((self.num_chains, self.chain_depth), 0, len(self.augmentations) + 1, seed=seed)
        return {"chain_mixing_weights": gammas / ops.sum(gammas),
                "weight_sample": random.beta((), self.alpha, self.alpha, dtype=self.compute_dtype, seed=seed),
                "choices": choices}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        weights = ops.cast(transformation["chain_mixing_weights"], self.compute_dtype)
        choices = transformation["choices"]
        mixed = ops.zeros_like(images)
        for chain in range(self.num_chains):
            chained = images
            for step in range(self.chain_depth):
                chosen = chained  # the "no augmentation" choice
                for index, layer in enumerate(self.augmentations):
                    candidate = ops.cast(layer(chained, training=True), self.compute_dtype)
                    chosen = ops.where(choices[chain, step] == index, candidate, chosen)
                chained = chosen
            mixed = mixed + weights[chain] * chained
        keep = ops.cast(transformation["weight_sample"], self.compute_dtype)
        return ops.clip(keep * images + (1.0 - keep) * mixed, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": list(self.value_range), "num_chains": self.num_chains,
                "chain_depth": self.chain_depth, "factor": self.factor, "alpha": self.alpha,
                "all_ops": self.all_ops, "interpolation": self.interpolation}
