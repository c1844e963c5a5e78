"""``LogitsDistillation``: the student's logits pulled towards the teacher's, both softened by a temperature."""

from __future__ import annotations

from brickwork import losses, ops, tree
from brickwork.distillation.distillation_loss import DistillationLoss, resolve_losses, sum_of


class LogitsDistillation(DistillationLoss):
    """Compares the teacher's and the student's final outputs after dividing both by ``temperature``.

    Each loss receives ``(teacher_logits / T, student_logits / T)``. A ``keras.losses.KLDivergence``
    *instance* is given the softmax of both instead and its mean is scaled by ``T**2`` (Hinton et al.).
    The name ``"kl_divergence"`` resolves to the loss *function*, which, as in Keras 3.15.1, receives the
    scaled logits themselves; pass ``keras.losses.KLDivergence()`` for the classic softened-probability loss.

    Args:
        temperature: a positive number; larger values soften the distributions. Defaults to 3.0.
        loss: a loss name, function or ``Loss`` instance, or a nest of them matching the models' outputs,
            with ``None`` for an output not to distill. Defaults to ``"kl_divergence"``.

    Example:
        keras.distillation.LogitsDistillation(temperature=4.0, loss=keras.losses.KLDivergence())
    """

    def __init__(self, temperature: float = 3.0, loss="kl_divergence"):
        self.temperature = temperature
        self.loss = resolve_losses(loss, "LogitsDistillation")
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
            raise ValueError(f"LogitsDistillation: `temperature` must be a number; received {temperature!r}.")
        if temperature <= 0:
            raise ValueError(f"LogitsDistillation: `temperature` must be positive; received {temperature}.")

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The sum over outputs of each output's mean loss on the temperature-scaled logits."""
        temperature = self.temperature

        def one_output(loss_fn, teacher_logits, student_logits):
            if loss_fn is None:
                return 0.0
            teacher_logits = ops.divide(teacher_logits, temperature)
            student_logits = ops.divide(student_logits, temperature)
            if isinstance(loss_fn, losses.KLDivergence):
                teacher_probs = ops.softmax(teacher_logits, axis=-1)
                student_probs = ops.softmax(student_logits, axis=-1)
                return ops.mean(loss_fn(teacher_probs, student_probs)) * (temperature ** 2)
            return ops.mean(loss_fn(teacher_logits, student_logits))

        return sum_of(tree.flatten(tree.map_structure(one_output, self.loss, teacher_outputs, student_outputs)))

    def get_config(self) -> dict:
        return {"temperature": self.temperature, "loss": losses.serialize(self.loss)}

    @classmethod
    def from_config(cls, config: dict) -> LogitsDistillation:
        return cls(**{**config, "loss": losses.deserialize(config["loss"])})
