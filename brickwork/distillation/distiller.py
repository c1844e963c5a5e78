"""``Distiller``: a model that trains a student on its labels and on a frozen teacher's outputs."""

from __future__ import annotations

from brickwork import metrics, ops, tree
from brickwork.distillation.distillation_loss import DistillationLoss, resolve_losses, sum_of
from brickwork.models.functional import Functional
from brickwork.models.model import Model
from brickwork.models.sequential import Sequential
from brickwork.saving import serialization_lib

_FINAL_OUTPUT = "final_output"  # the key of a model's own output among the extracted features


class Distiller(Model):
    """Knowledge distillation: ``fit`` trains ``student`` towards the labels and towards ``teacher``.

    The loss of a step is ``student_loss_weight * student_loss + (1 - student_loss_weight) *
    sum(weight_i * distillation_loss_i)``, where the student loss is the one given to ``compile``.
    The teacher is frozen (``teacher.trainable = False``); calling the distiller runs the student.
    ``fit``, ``evaluate`` and the logs report ``student_loss``, ``distillation_loss`` and ``total_loss``.

    Args:
        teacher: a trained ``keras.Model``, the source of the knowledge.
        student: the ``keras.Model`` to train; same input and output shapes and dtypes as the teacher.
        distillation_losses: a ``DistillationLoss`` (``LogitsDistillation``, ``FeatureDistillation``, your
            own) or a list of them.
        distillation_loss_weights: one weight per distillation loss (a list); ``None``: all 1.0. A single
            distillation loss always has weight 1.0.
        student_loss_weight: between 0 and 1, the share of the student's own loss. Defaults to 0.5.
        name: the model's name. Defaults to ``"distiller"``.
        **kwargs: other ``Model`` arguments (``trainable``, ``dtype``).

    Example:
        teacher = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)])
        student = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        x, y = np.random.rand(32, 4), np.random.randint(0, 3, (32,))
        distiller = keras.distillation.Distiller(
            teacher=teacher, student=student,
            distillation_losses=keras.distillation.LogitsDistillation(temperature=3.0))
        distiller.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        distiller.fit(x, y, epochs=2)
        trained = distiller.student
    """

    def __init__(self, teacher, student, distillation_losses, distillation_loss_weights=None,
                 student_loss_weight: float = 0.5, name: str = "distiller", **kwargs):
        super().__init__(name=name, **kwargs)
        _check_models(teacher, student)
        self.teacher = teacher
        self.student = student
        if isinstance(student_loss_weight, bool) or not isinstance(student_loss_weight, (int, float)):
            raise ValueError(f"Distiller: `student_loss_weight` must be a number; received {student_loss_weight!r}.")
        if not 0.0 <= student_loss_weight <= 1.0:
            raise ValueError(f"Distiller: `student_loss_weight` must be between 0.0 and 1.0; received "
                             f"{student_loss_weight}.")
        self.student_loss_weight = student_loss_weight
        if distillation_losses is None:
            raise ValueError("Distiller: `distillation_losses` cannot be None. Pass a distillation loss (e.g. "
                             "LogitsDistillation or FeatureDistillation) or a list of them.")
        if isinstance(distillation_losses, (list, tuple)):
            self.distillation_losses = distillation_losses
            if distillation_loss_weights is None:
                distillation_loss_weights = [1.0] * len(distillation_losses)
            elif len(distillation_loss_weights) != len(distillation_losses):
                raise ValueError(
                    f"Distiller: {len(distillation_loss_weights)} distillation_loss_weights for "
                    f"{len(distillation_losses)} distillation_losses; give one weight per loss.")
            self.distillation_loss_weights = distillation_loss_weights
        else:
            self.distillation_losses = [distillation_losses]
            self.distillation_loss_weights = [1.0]
        for distillation_loss in self.distillation_losses:
            distillation_loss.validate_model_compatibility(teacher, student)
        self._teacher_feature_extractor = _feature_extractor(teacher, self._layer_names("teacher_layer_name"))
        self._student_feature_extractor = _feature_extractor(student, self._layer_names("student_layer_name"))
        self.teacher.trainable = False
        self.student_loss_tracker = metrics.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics.Mean(name="total_loss")

    def _layer_names(self, attribute: str) -> list:
        """The distinct layer names the distillation losses ask for (``teacher_layer_name`` or ``student_...``)."""
        names = [getattr(loss, attribute, None) for loss in self.distillation_losses]
        return list(dict.fromkeys(name for name in names if name))

    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs) -> None:
        """Configure training: ``loss`` is the student's loss on the labels (a name, function, ``Loss`` or a
        nest of them for several outputs); ``metrics`` (a list) are computed on the student's outputs."""
        if loss is None:
            raise ValueError("Distiller.compile: `loss` cannot be None; give the student's loss on the labels, "
                             "e.g. loss='sparse_categorical_crossentropy'.")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"Distiller.compile: `metrics` must be a list or tuple; received {type(metrics)}.")
        self._student_loss = tree.map_structure(_resolve_one, loss)
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def compile_from_config(self, config: dict) -> None:
        """A saved compile config holds no student loss (``compile`` kept it apart): like Keras, skip it."""
        import warnings

        warnings.warn("Distiller: compile() was not called while loading, because Distiller.compile is custom; "
                      "call distiller.compile(...) again before training.", stacklevel=2)

    def call(self, inputs, training=None, **kwargs):
        """The student's outputs."""
        return self.student(inputs, training=training, **kwargs)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The weighted sum of the student's loss and the distillation losses; updates the three trackers.

        ``sample_weight`` is not used (as in Keras).
        """
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            student_loss = sum_of(tree.flatten(
                tree.map_structure(lambda loss_fn, target, output: ops.mean(loss_fn(target, output)),
                                   self._student_loss, y, y_pred)))
        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            teacher_features = self._teacher_features(x)
            student_features = self._student_features(x, y_pred, training)
            for loss_fn, weight in zip(self.distillation_losses, self.distillation_loss_weights):
                teacher_output = _features_for(loss_fn, teacher_features, "teacher_layer_name")
                student_output = (_features_for(loss_fn, student_features, "student_layer_name")
                                  if getattr(loss_fn, "teacher_layer_name", None) is not None else y_pred)
                loss_fn.validate_outputs(teacher_output, student_output)
                value = loss_fn.compute_loss(teacher_output, student_output)
                if len(getattr(value, "shape", ())) > 0:
                    raise ValueError(f"{type(loss_fn).__name__}.compute_loss returned a loss of shape "
                                     f"{tuple(value.shape)}; it must return a scalar.")
                distillation_loss = ops.add(distillation_loss, ops.multiply(weight, value))
        total_loss = ops.add(ops.multiply(self.student_loss_weight, student_loss),
                             ops.multiply(1.0 - self.student_loss_weight, distillation_loss))
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total_loss)
        return total_loss

    def _teacher_features(self, x) -> dict:
        if self._teacher_feature_extractor is None:
            return {_FINAL_OUTPUT: self.teacher(x, training=False)}
        return self._teacher_feature_extractor(x, training=False)

    def _student_features(self, x, y_pred, training) -> dict:
        if self._student_feature_extractor is None:
            return {_FINAL_OUTPUT: y_pred}
        return self._student_feature_extractor(x, training=training)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "teacher": serialization_lib.serialize_keras_object(self.teacher),
            "student": serialization_lib.serialize_keras_object(self.student),
            "distillation_losses": [serialization_lib.serialize_keras_object(loss)
                                    for loss in self.distillation_losses],
            "distillation_loss_weights": self.distillation_loss_weights,
            "student_loss_weight": self.student_loss_weight,
        })
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> Distiller:
        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = serialization_lib.deserialize_keras_object(config[key], custom_objects)
        config["distillation_losses"] = [serialization_lib.deserialize_keras_object(loss, custom_objects)
                                         for loss in config["distillation_losses"]]
        return cls(**config)


def _resolve_one(loss):
    return resolve_losses(loss, "Distiller.compile") if isinstance(loss, str) else loss


def _check_models(teacher, student) -> None:
    """Both must be models; where their inputs and outputs are symbolic, shapes and dtypes must agree."""
    for role, model in (("teacher", teacher), ("student", student)):
        if not isinstance(model, Model):
            raise ValueError(f"Distiller: the {role} must be a keras.Model; received {type(model)}.")
    for kind in ("inputs", "outputs"):
        teacher_tensors, student_tensors = getattr(teacher, kind, None), getattr(student, kind, None)
        if teacher_tensors is None or student_tensors is None:
            continue
        context = kind[:-1]
        tree.map_structure(lambda t, s: _check_shapes(t.shape, s.shape, context), teacher_tensors, student_tensors)
        tree.map_structure(lambda t, s: _check_dtypes(t.dtype, s.dtype, context), teacher_tensors, student_tensors)


def _check_shapes(teacher_shape, student_shape, context: str) -> None:
    if len(teacher_shape) != len(student_shape):
        raise ValueError(f"Distiller: the teacher's and the student's {context} shapes have different ranks. "
                         f"Teacher: {teacher_shape}, student: {student_shape}.")
    for teacher_dim, student_dim in zip(teacher_shape, student_shape):
        if teacher_dim is not None and student_dim is not None and teacher_dim != student_dim:
            raise ValueError(f"Distiller: the teacher's and the student's {context} shapes differ. Teacher: "
                             f"{teacher_shape}, student: {student_shape}; every known dimension must match.")


def _check_dtypes(teacher_dtype, student_dtype, context: str) -> None:
    if teacher_dtype != student_dtype:
        raise ValueError(f"Distiller: the teacher's and the student's {context} dtypes must match. Teacher: "
                         f"{teacher_dtype}, student: {student_dtype}.")


def _feature_extractor(model, layer_names: list) -> Functional | None:
    """A model from ``model``'s inputs to its final output and each named layer's output (``None`` if no names),
    so one forward pass gives every feature the distillation losses compare."""
    if not layer_names:
        return None
    if getattr(model, "inputs", None) is None:
        raise ValueError(f"Distiller: cannot extract features from {model.name!r}: it has no symbolic inputs "
                         "(a subclassed model). Use a Functional or Sequential model.")
    final_output = model.layers[-1].output if isinstance(model, Sequential) else model.output
    outputs = {_FINAL_OUTPUT: final_output}
    for name in layer_names:
        outputs[name] = model.get_layer(name=name).output
    return Model(inputs=model.inputs, outputs=outputs, name=f"{model.name}_multi_feature_extractor")


def _features_for(loss_fn: DistillationLoss, features: dict, attribute: str):
    """The extracted features ``loss_fn`` compares: its named layer's output, or the final output."""
    name = getattr(loss_fn, attribute, None) or _FINAL_OUTPUT
    if name not in features:
        raise RuntimeError(f"Distiller: {type(loss_fn).__name__} asks for layer {name!r}, which was not extracted. "
                           f"Extracted: {list(features)}.")
    return features[name]
