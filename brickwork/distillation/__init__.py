"""``brickwork.distillation``: train a small student model from a large teacher model (Keras's
``keras.distillation``).

Example:
    distiller = keras.distillation.Distiller(
        teacher=teacher, student=student,
        distillation_losses=[keras.distillation.LogitsDistillation(temperature=3.0),
                             keras.distillation.FeatureDistillation(teacher_layer_name="t_dense",
                                                                    student_layer_name="s_dense")],
        distillation_loss_weights=[1.0, 0.5])
    distiller.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    distiller.fit(x, y)
"""

from brickwork.distillation.distillation_loss import DistillationLoss
from brickwork.distillation.distiller import Distiller
from brickwork.distillation.feature_distillation import FeatureDistillation
from brickwork.distillation.logits_distillation import LogitsDistillation

__all__ = ["DistillationLoss", "Distiller", "FeatureDistillation", "LogitsDistillation"]
