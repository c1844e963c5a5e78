"""``DistillationLoss``: the base of the losses a ``Distiller`` adds to the student's own loss."""

from __future__ import annotations

from brickwork import losses, ops, tree


class DistillationLoss:
    """How a student is pulled towards its teacher: a scalar loss between their outputs.

    Subclass it and write ``compute_loss``; override ``validate_outputs`` or
    ``validate_model_compatibility`` to check the outputs or the two models before training.

    Example:
        class MeanGap(keras.distillation.DistillationLoss):
            def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
                return keras.ops.mean(keras.ops.abs(teacher_outputs - student_outputs))
    """

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The scalar loss between ``teacher_outputs`` and ``student_outputs`` (tensors or nests of them)."""
        raise NotImplementedError(f"{type(self).__name__} must implement compute_loss(teacher_outputs, "
                                  "student_outputs, **kwargs).")

    def validate_outputs(self, teacher_outputs, student_outputs) -> None:
        """Raise ``ValueError`` unless the teacher's and the student's outputs are nested alike."""
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student) -> None:
        """Raise ``ValueError`` if this loss cannot compare ``teacher`` and ``student`` (nothing to check here)."""


def resolve_losses(loss, owner: str):
    """``loss`` with each name resolved to its loss function (``None`` entries kept); at least one must remain."""

    resolved = tree.map_structure(lambda item: losses.get(item) if isinstance(item, str) else item, loss)
    if all(item is None for item in tree.flatten(resolved)):
        raise ValueError(f"{owner}: `loss` must hold at least one loss that is not None; received {loss!r}.")
    return resolved


def sum_of(values):
    """The sum of a list of scalar tensors (or Python numbers) as one tensor."""
    return ops.sum(ops.stack(values))
