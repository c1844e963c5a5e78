"""``FeatureDistillation``: a student layer's output pulled towards a teacher layer's."""

from __future__ import annotations

from brickwork import losses, ops, tree
from brickwork.distillation.distillation_loss import DistillationLoss, resolve_losses, sum_of


class FeatureDistillation(DistillationLoss):
    """Compares intermediate features: the output of ``teacher_layer_name`` with that of ``student_layer_name``.

    Without layer names the models' final outputs are compared. Named layers need Functional or
    Sequential models (their layers' outputs are symbolic), and the two features must have shapes the
    loss accepts (``"cosine_similarity"`` tolerates different scales, not different sizes).

    Args:
        loss: a loss name, function or ``Loss`` instance, or a nest of them matching the features,
            with ``None`` for a feature not to compare. Defaults to ``"mse"``.
        teacher_layer_name: the teacher layer whose output is the target; ``None``: the final output.
        student_layer_name: the student layer whose output is trained; ``None``: the final output.

    Example:
        keras.distillation.FeatureDistillation(
            loss="mse", teacher_layer_name="teacher_dense_1", student_layer_name="student_dense_1")
    """

    def __init__(self, loss="mse", teacher_layer_name: str | None = None, student_layer_name: str | None = None):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = resolve_losses(loss, "FeatureDistillation")

    def validate_model_compatibility(self, teacher, student) -> None:
        """Named layers must exist, in models whose layers have symbolic outputs (Functional, Sequential)."""
        named = {"teacher": (teacher, self.teacher_layer_name), "student": (student, self.student_layer_name)}
        if self.teacher_layer_name is not None or self.student_layer_name is not None:
            subclassed = [role for role, (model, _) in named.items() if getattr(model, "inputs", None) is None]
            if subclassed:
                raise ValueError(
                    f"FeatureDistillation with layer names needs Functional or Sequential models; the "
                    f"{' and '.join(subclassed)} model(s) are subclassed (no symbolic inputs). Use Functional or "
                    "Sequential models, leave the layer names out to compare final outputs, or use "
                    "LogitsDistillation."
                )
        for role, (model, layer_name) in named.items():
            if layer_name is not None:
                try:
                    model.get_layer(name=layer_name)
                except ValueError as error:
                    raise ValueError(f"In {role} model: {error}") from None

    def validate_outputs(self, teacher_outputs, student_outputs) -> None:
        """The features must be nested alike, and like ``loss``."""
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except ValueError as error:
            raise ValueError(
                f"FeatureDistillation: the loss is nested as {_nesting(self.loss)} but the features as "
                f"{_nesting(teacher_outputs)}. {error}"
            ) from None

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The sum over features of each feature's mean loss."""

        def one_feature(loss_fn, teacher_features, student_features):
            if loss_fn is None:
                return 0.0
            return ops.mean(loss_fn(teacher_features, student_features))

        return sum_of(tree.flatten(tree.map_structure(one_feature, self.loss, teacher_outputs, student_outputs)))

    def get_config(self) -> dict:
        return {"loss": losses.serialize(self.loss), "teacher_layer_name": self.teacher_layer_name,
                "student_layer_name": self.student_layer_name}

    @classmethod
    def from_config(cls, config: dict) -> FeatureDistillation:
        return cls(**{**config, "loss": losses.deserialize(config["loss"])})


def _nesting(value):
    """``value``'s containers with each leaf shown as ``*``."""
    return tree.map_structure(lambda _: "*", value)
