"""What ``compile(loss=..., metrics=...)`` turns into: one loss and one metric set per model output.

``CompileLoss`` sums the (weighted) losses of all outputs; ``CompileMetrics`` updates the
metrics of each output. Both accept a single entry, a list (by output position) or a dict
(by output name), as Keras does, and resolve ``"accuracy"`` from the loss and output shape.
"""

from __future__ import annotations

import optree

from brickwork import losses as losses_module
from brickwork import metrics as metrics_module

_ACCURACY_NAMES = ("accuracy", "acc")
_CROSSENTROPY_NAMES = ("crossentropy", "ce")


def _flatten(structure) -> list:
    return optree.tree_leaves(structure, is_leaf=lambda x: not isinstance(x, (list, tuple, dict)),
                              none_is_leaf=True)


def _nested(value) -> bool:
    return isinstance(value, (list, tuple, dict))


def _predictions(y_pred, output_names) -> list:
    """The model's outputs in ``output_names`` order: a dict by key (flattening would sort its keys)."""
    if isinstance(y_pred, dict) and output_names and all(name in y_pred for name in output_names):
        return [y_pred[name] for name in output_names]
    return _flatten(y_pred)


def _per_output(spec, output_names, what: str) -> list:
    """``spec`` spread over the outputs: one entry per output, ``None`` where an output has none."""
    count = len(output_names)
    if isinstance(spec, dict):
        unknown = [k for k in spec if k not in output_names]
        if unknown:
            raise ValueError(
                f"compile: `{what}` names outputs {unknown} that the model does not have; "
                f"its outputs are {output_names}."
            )
        return [spec.get(name) for name in output_names]
    if isinstance(spec, (list, tuple)) and count > 1:
        if len(spec) != count:
            raise ValueError(
                f"compile: `{what}` has {len(spec)} entries but the model has {count} outputs {output_names}."
            )
        return list(spec)
    if count > 1 and spec is not None and what == "loss":
        return [spec] * count
    return [spec] + [None] * (count - 1)


class CompileLoss:
    """The total training loss: ``sum(loss_weight_i * loss_i(y_true_i, y_pred_i))`` over outputs."""

    def __init__(self, loss, loss_weights=None, output_names=None):
        self._spec = loss
        self._loss_weights_spec = loss_weights
        self.output_names = output_names
        self._built = False
        for item in _flatten(loss):
            if isinstance(item, str) and item.lower() not in _CROSSENTROPY_NAMES:
                losses_module.get(item)  # an unknown name fails here, at compile time

    def build(self, y_true, y_pred) -> None:
        names = self.output_names or [f"output_{i}" for i in range(len(_flatten(y_pred)))]
        if len(names) != len(_flatten(y_pred)):
            names = [f"output_{i}" for i in range(len(_flatten(y_pred)))]
        self.output_names = names
        per_output = _per_output(self._spec, names, "loss")
        y_pred_flat = _predictions(y_pred, names)
        y_true_flat = _match_outputs(y_true, names) if _nested(y_true) else [y_true] * len(names)
        y_true_flat = y_true_flat + [None] * (len(names) - len(y_true_flat))
        self.losses = [None if spec is None else _resolve_loss(spec, y_true_flat[i], y_pred_flat[i])
                       for i, spec in enumerate(per_output)]
        weights = self._loss_weights_spec
        if weights is None:
            self.loss_weights = [1.0] * len(names)
        else:
            self.loss_weights = [1.0 if w is None else float(w) for w in _per_output(weights, names, "loss_weights")]
        self._active = [(i, fn, w) for i, (fn, w) in enumerate(zip(self.losses, self.loss_weights)) if fn is not None]
        self._built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self._built:
            self.build(y_true, y_pred)
        if len(self.losses) == 1 or not (_nested(y_true) or _nested(y_pred)):
            # One tensor against one tensor takes the first loss, as in Keras, even when the loss was built for
            # several outputs (a compute_loss override passing one of them, like KerasHub's SigLIP).
            if not self._active:
                return None
            _, fn, weight = self._active[0]
            value = fn(y_true, y_pred, sample_weight=sample_weight)
            return value if weight == 1.0 else value * weight
        y_true_flat = _match_outputs(y_true, self.output_names)
        y_pred_flat = _predictions(y_pred, self.output_names)
        weights_flat = _match_outputs(sample_weight, self.output_names) if sample_weight is not None else None
        total = None
        for index, fn, weight in self._active:
            if y_true_flat[index] is None:
                continue
            sw = None if weights_flat is None else weights_flat[index]
            value = fn(y_true_flat[index], y_pred_flat[index], sample_weight=sw) * weight
            total = value if total is None else total + value
        return total

    def get_config(self) -> dict:
        return {"loss": self._spec, "loss_weights": self._loss_weights_spec}


def _resolve_loss(identifier, y_true, y_pred):
    """A ``Loss`` object: functions (``"mse"``, a callable) are wrapped to take ``sample_weight``;
    ``"crossentropy"``/``"ce"`` is the binary, sparse or categorical one the output and label shapes call for."""
    if isinstance(identifier, str) and identifier.lower() in _CROSSENTROPY_NAMES:
        pred_shape = tuple(y_pred.shape)
        true_shape = tuple(getattr(y_true, "shape", pred_shape))
        if pred_shape[-1:] == (1,):
            loss = losses_module.binary_crossentropy
        elif len(true_shape) < len(pred_shape) or true_shape[-1:] == (1,):
            loss = losses_module.sparse_categorical_crossentropy
        else:
            loss = losses_module.categorical_crossentropy
        return losses_module.LossFunctionWrapper(loss, name=identifier)
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    name = identifier if isinstance(identifier, str) else getattr(loss, "__name__", None)
    return losses_module.LossFunctionWrapper(loss, name=name)


def _match_outputs(values, output_names) -> list:
    """``values`` (one per output, as a list, dict or single tensor) in output order."""
    if isinstance(values, dict):
        return [values.get(name) for name in output_names]
    if isinstance(values, (list, tuple)):
        return list(values)
    if len(output_names) > 1:
        return [values] * len(output_names)
    return [values]


class CompileMetrics:
    """The metrics of each output, created once the loss and output shapes are known."""

    def __init__(self, metrics=None, weighted_metrics=None, output_names=None):
        self._metrics_spec = metrics
        self._weighted_spec = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._per_output = []
        for item in _flatten(metrics) + _flatten(weighted_metrics):
            if isinstance(item, str) and item.lower() not in _ACCURACY_NAMES + _CROSSENTROPY_NAMES:
                metrics_module.get(item)  # an unknown name fails here, at compile time

    @property
    def metrics(self) -> list:
        return [m for group in self._per_output for m, _ in group]

    @property
    def variables(self) -> list:
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred, loss_fns=None) -> None:
        y_pred_flat = _flatten(y_pred)
        names = self.output_names if self.output_names and len(self.output_names) == len(y_pred_flat) else (
            [f"output_{i}" for i in range(len(y_pred_flat))])
        self.output_names = names
        y_pred_flat = _predictions(y_pred, names)
        multi = len(names) > 1
        plain = _per_output(self._metrics_spec, names, "metrics")
        weighted = _per_output(self._weighted_spec, names, "weighted_metrics")
        if not isinstance(self._metrics_spec, (dict, list, tuple)) or (
                isinstance(self._metrics_spec, (list, tuple)) and not multi):
            plain = [self._metrics_spec] * len(names) if multi and self._metrics_spec else plain
        self._per_output = []
        for index, name in enumerate(names):
            loss_fn = loss_fns[index] if loss_fns else None
            group = []
            for spec, weighted_flag in ((plain[index], False), (weighted[index], True)):
                for item in _as_list(spec):
                    metric = _resolve_metric(item, y_pred_flat[index], loss_fn)
                    if multi:
                        metric.name = f"{name}_{metric.name}"
                    if weighted_flag:
                        metric.name = f"weighted_{metric.name}" if not metric.name.startswith("weighted_") else metric.name
                    group.append((metric, weighted_flag))
            self._per_output.append(group)
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if len(self._per_output) == 1:
            for metric, weighted in self._per_output[0]:
                metric.update_state(y_true, y_pred, sample_weight=sample_weight if weighted else None)
            return
        y_true_flat = _match_outputs(y_true, self.output_names)
        y_pred_flat = _predictions(y_pred, self.output_names)
        sw_flat = _match_outputs(sample_weight, self.output_names) if sample_weight is not None else None
        for index, group in enumerate(self._per_output):
            for metric, weighted in group:
                if y_true_flat[index] is None:
                    continue
                sw = sw_flat[index] if (weighted and sw_flat is not None) else None
                metric.update_state(y_true_flat[index], y_pred_flat[index], sample_weight=sw)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


def _as_list(spec) -> list:
    if spec is None:
        return []
    if isinstance(spec, (list, tuple)):
        return list(spec)
    return [spec]


def _resolve_metric(identifier, y_pred, loss_fn):
    """A metric object; ``"accuracy"``/``"crossentropy"`` chosen from the loss and output shape."""
    if isinstance(identifier, str) and identifier.lower() in _ACCURACY_NAMES + _CROSSENTROPY_NAMES:
        is_accuracy = identifier.lower() in _ACCURACY_NAMES
        loss_name = _loss_name(loss_fn)
        last_dim = y_pred.shape[-1] if len(y_pred.shape) else 1
        if "sparse_categorical" in loss_name:
            cls = metrics_module.SparseCategoricalAccuracy if is_accuracy else metrics_module.SparseCategoricalCrossentropy
        elif "binary" in loss_name or last_dim == 1:
            cls = metrics_module.BinaryAccuracy if is_accuracy else metrics_module.BinaryCrossentropy
        elif "categorical" in loss_name or (last_dim and last_dim > 1 and is_accuracy and loss_name == ""):
            cls = metrics_module.CategoricalAccuracy if is_accuracy else metrics_module.CategoricalCrossentropy
        else:
            cls = metrics_module.Accuracy if is_accuracy else metrics_module.CategoricalCrossentropy
        return cls(name=identifier)
    metric = metrics_module.get(identifier)
    if not isinstance(metric, metrics_module.Metric):
        name = getattr(metric, "__name__", None) if not isinstance(identifier, str) else identifier
        metric = metrics_module.MeanMetricWrapper(metric, name=name)
    elif isinstance(identifier, str):
        metric.name = identifier  # "mae" logs as "mae", as Keras does
    return metric


def _loss_name(loss_fn) -> str:
    if loss_fn is None:
        return ""
    fn = getattr(loss_fn, "fn", None)
    name = getattr(fn, "__name__", None) or getattr(loss_fn, "name", None) or type(loss_fn).__name__
    from brickwork.backend.common.global_state import to_snake_case

    return to_snake_case(str(name))

