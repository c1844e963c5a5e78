"""What ``compile(loss=..., metrics=...)`` becomes: losses and metrics matched to the model's outputs.

A model's outputs may be one tensor or any nesting of lists, tuples, namedtuples and dicts. ``loss``
(with ``loss_weights``) and ``metrics`` / ``weighted_metrics`` follow Keras's rules:

- one loss is applied to every output; metrics given as a list all apply to a single output;
- a list or tuple gives one entry per output, in the order of ``model.output_names``;
- a dict is keyed by output name (or by the keys of a model that returns a dict); outputs without a key
  have no loss or metric;
- a structure like the outputs' own gives each leaf its entry, and a loss placed at an inner node
  receives that whole sub-structure (``y_true`` and ``y_pred`` nested alike).

All matching happens once, on the first batch (``build``). ``CompileLoss`` then remembers, for each
layout of ``(y_true, y_pred, sample_weight)`` it meets, which flat leaves each loss reads, so that a
training step only flattens its arguments and indexes them.
"""

from __future__ import annotations

import collections
from typing import NamedTuple

import optree

from brickwork import losses as losses_module
from brickwork import metrics as metrics_module
from brickwork import ops
from brickwork.metrics.metric import Metric

_ACCURACY_NAMES = ("accuracy", "acc")
_CROSSENTROPY_NAMES = ("crossentropy", "ce")
_NAMESPACE = "brickwork"  # brickwork.tree's namespace: registered classes are containers too


# ---------------------------------------------------------------------------- nested structures
def _nested(value) -> bool:
    return isinstance(value, (list, tuple, dict))


def _flatten(structure):
    """``(leaves, treespec)``, ``None`` counting as a leaf (Keras's convention)."""
    return optree.tree_flatten(structure, none_is_leaf=True, namespace=_NAMESPACE)


def _leaves(structure) -> list:
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NAMESPACE)


def _spec(structure):
    return optree.tree_structure(structure, none_is_leaf=True, namespace=_NAMESPACE)


def _pack(structure, leaves):
    return optree.tree_unflatten(_spec(structure), list(leaves))


def _map(fn, structure):
    return optree.tree_map(fn, structure, none_is_leaf=True, namespace=_NAMESPACE)


def _outline(structure):
    """``structure`` with every leaf shown as ``*``, for error messages."""
    return _map(lambda _: "*", structure)


def _index_tree(spec):
    """The structure of ``spec`` with each leaf replaced by its position among the leaves."""
    return optree.tree_unflatten(spec, list(range(spec.num_leaves)))


def _at(path: tuple, structure):
    for key in path:
        structure = structure[key]
    return structure


def _reader(index_tree):
    """A function from the flat leaves to what ``index_tree`` (positions, nested or not) stands for."""
    if index_tree is None:
        return lambda flat: None
    if isinstance(index_tree, int):
        return lambda flat: flat[index_tree]
    leaves, spec = _flatten(index_tree)
    return lambda flat: optree.tree_unflatten(spec, [None if i is None else flat[i] for i in leaves])


def _output_name_tree(y_pred, output_names):
    """``output_names`` placed in the structure of ``y_pred``; names from the tensors when they don't fit."""
    if isinstance(y_pred, dict) and output_names and set(y_pred) == set(output_names):
        return {key: key for key in y_pred}  # each output named by its key
    flat = _leaves(y_pred)
    if output_names is not None and not isinstance(output_names, str) and len(output_names) == len(flat):
        return _pack(y_pred, list(output_names))
    names = []
    for tensor in flat:
        history = getattr(tensor, "_history", None)
        names.append(history[0].name if history else None)
    return _pack(y_pred, names)


# ---------------------------------------------------------------------------- losses
class _Weighted:
    """A loss and its weight, kept together as one leaf while the loss structure is matched."""

    def __init__(self, loss, weight):
        self.loss = loss
        self.weight = weight


class LossTerm(NamedTuple):
    """One loss of a compiled model: where it reads ``y_true``/``y_pred``, the loss, its weight, its name."""

    path: tuple
    loss: object
    loss_weights: object
    name: str


class CompileLoss:
    """The total loss ``sum(weight_i * loss_i(y_true_i, y_pred_i))`` over the compiled losses.

    With several losses, ``metrics`` holds one ``Mean`` per loss (``"<output>_loss"``) tracking its
    unweighted value, which ``fit`` logs beside the total.

    Args:
        loss: a loss (name, function or ``Loss``) or a structure of them (see the module's docstring).
        loss_weights: a float, or a structure matching ``loss`` (or with as many leaves).
        output_names: the model's output names, in the order of its flat outputs.
    """

    def __init__(self, loss, loss_weights=None, reduction="sum_over_batch_size", output_names=None):
        if loss_weights is not None and not isinstance(loss_weights, (list, tuple, dict, float, int)):
            raise ValueError(
                "Expected `loss_weights` to be a float (one output) or a list, tuple or dict (several outputs). "
                f"Received: loss_weights={loss_weights!r} of type {type(loss_weights).__name__}."
            )
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = list(output_names) if output_names else None
        self.reduction = reduction
        self.name = "compile_loss"
        self.built = False
        self._flat_losses: list[LossTerm] = []
        self._metrics: list = []
        self._plans: dict = {}
        for item in _leaves(loss):
            if isinstance(item, str) and item.lower() not in _CROSSENTROPY_NAMES:
                losses_module.get(item)  # an unknown name fails at compile time

    @property
    def metrics(self) -> list:
        """One ``Mean`` per loss when there are several (empty before ``build``)."""
        return self._metrics

    @property
    def variables(self) -> list:
        return [v for metric in self._metrics for v in metric.variables]

    @property
    def losses(self) -> list:
        """The resolved ``Loss`` objects, in build order."""
        return [term.loss for term in self._flat_losses]

    # ---- build: match the loss structure to y_true / y_pred
    def build(self, y_true, y_pred) -> None:
        loss, weights = self._user_loss, self._user_loss_weights
        if _nested(weights) and not _nested(loss):
            loss = _map(lambda _: loss, weights)  # one loss, weighted per output (Keras refuses this)
        if self.output_names and isinstance(loss, dict) and not isinstance(y_pred, dict):
            unknown = [key for key in loss if key not in self.output_names]
            if unknown:
                raise ValueError(
                    f"Expected keys {self.output_names} in loss dict (the model's output names), but found "
                    f"loss.keys()={list(loss)}: {unknown} name no output."
                )
            loss = [loss.get(name) for name in self.output_names]
            if isinstance(weights, dict):
                weights = [weights.get(name) for name in self.output_names]
        loss = self._with_weights(loss, weights)
        if not _nested(loss):
            loss = _map(lambda _: loss, y_pred)  # one loss for every output
        names = _output_name_tree(y_pred, self.output_names)
        self._flat_losses = []
        self._walk(y_true, y_pred, loss, names, ())
        self._metrics = []
        if len(self._flat_losses) > 1:
            self._metrics = [metrics_module.Mean(name=f"{term.name}_loss") for term in self._flat_losses]
        self._true_spec = _spec(y_true)
        self._pred_spec = _spec(y_pred)
        self._plans = {}
        self.built = True

    @staticmethod
    def _with_weights(loss, weights):
        """``loss`` with each leaf paired with its weight (``None``: unweighted)."""
        if weights is None:
            return _map(lambda item: None if item is None else _Weighted(item, None), loss)
        flat_weights = _leaves(weights)
        if _spec(weights) != _spec(loss):
            flat_loss = _leaves(loss)
            if len(flat_loss) != len(flat_weights):
                raise ValueError(
                    f"`loss_weights` must match the number of losses, got {len(flat_loss)} losses "
                    f"and {len(flat_weights)} weights. Received: loss={loss!r}, loss_weights={weights!r}."
                )
        flat_loss, spec = _flatten(loss)
        return optree.tree_unflatten(spec, [None if item is None else _Weighted(item, _weight(w))
                                            for item, w in zip(flat_loss, flat_weights)])

    def _walk(self, y_true, y_pred, loss, names, path: tuple) -> None:
        """Record a ``LossTerm`` for each loss leaf, following ``loss`` down ``y_true``/``y_pred``."""
        if isinstance(loss, _Weighted):
            self._add_term(y_true, y_pred, loss, names, path)
            return
        if loss is None:
            return
        if isinstance(loss, (list, tuple)):
            if all(not _nested(item) for item in loss) and len(loss) == len(_leaves(y_pred)):
                loss = _pack(y_pred, list(loss))  # one entry per output, in flat order
                if not _nested(loss):
                    self._walk(y_true, y_pred, loss, names, path)
                    return
            elif not isinstance(y_pred, type(loss)):
                for item in loss:  # several losses for the same outputs
                    self._walk(y_true, y_pred, item, names, path)
                return
        if not isinstance(loss, type(y_pred)):
            raise KeyError(
                f"The path: {path} in the `loss` argument, can't be found in the model's output (`y_pred`): "
                f"there the outputs are {_outline(y_pred)}."
            )
        items = loss.items() if isinstance(loss, dict) else enumerate(loss)
        for key, item in items:
            if item is None:
                continue
            if not (_has(y_true, key) and _has(y_pred, key)):
                raise KeyError(
                    f"The path: {path + (key,)} in the `loss` argument, can't be found in either the model's "
                    f"output (`y_pred`) or in the labels (`y_true`). The outputs are {_outline(y_pred)}, "
                    f"the labels {_outline(y_true)}."
                )
            self._walk(y_true[key], y_pred[key], item, names[key], path + (key,))

    def _add_term(self, y_true, y_pred, weighted: _Weighted, names, path: tuple) -> None:
        resolved = _resolve_loss(weighted.loss, y_true, y_pred)
        name_path = path
        if not _nested(names):
            output_name = names if names is not None else resolved.name
            if not name_path:
                name_path = (output_name,)
            elif isinstance(name_path[-1], int):
                name_path = name_path[:-1] + (output_name,)
        name = "/".join(str(part) for part in name_path)
        if not name:  # a loss over several outputs: named after all of them
            parts = _leaves({key: key for key in names}) if isinstance(names, dict) else _leaves(names)
            name = "_".join(str(part) for part in parts)
        self._flat_losses.append(LossTerm(path, resolved, weighted.weight, name))

    # ---- matching labels to outputs, once per layout
    def _align_labels(self, y_true, y_pred):
        """``y_true`` rearranged to the structure of ``y_pred`` (or of the loss, for partial labels)."""
        if _spec(y_true) == _spec(y_pred):
            return y_true
        if not _nested(y_true) and _nested(y_pred) and len(y_pred) == 1:
            y_true = [y_true]
        elif isinstance(y_pred, (list, tuple)) and isinstance(y_true, dict) and self.output_names and (
                set(self.output_names) == set(y_true)):
            y_true = [y_true[name] for name in self.output_names]
        flat_true = _leaves(y_true)
        if len(flat_true) == len(_leaves(y_pred)):
            return _pack(y_pred, flat_true)  # same leaves in other containers (list vs tuple, ...)
        flat_loss = _leaves(self._user_loss)
        slots = [i for i, item in enumerate(flat_loss) if item is not None]
        if _nested(self._user_loss) and len(slots) == len(flat_true):
            labels = [None] * len(flat_loss)  # labels only for the outputs that have a loss
            for slot, label in zip(slots, flat_true):
                labels[slot] = label
            return _pack(self._user_loss, labels)
        raise ValueError(
            "y_true and y_pred have different structures.\n"
            f"y_true: {_outline(y_true)}\n"
            f"y_pred: {_outline(y_pred)}\n"
            f"and the loss {self._user_loss!r} does not say which outputs the labels are for."
        )

    def _plan(self, flat_true, true_spec, flat_pred, pred_spec, weight_spec):
        """For each loss: ``(loss, weight, tracker, read y_true, read y_pred, read sample_weight, batch leaf)``."""
        true_index = self._align_labels(_index_tree(true_spec), _index_tree(pred_spec))
        pred_index = _index_tree(pred_spec)
        if not self.built:
            self.build(_map(lambda i: None if i is None else flat_true[i], true_index),
                       optree.tree_unflatten(pred_spec, flat_pred))
        if pred_spec != self._pred_spec:
            pred_index = optree.tree_unflatten(self._pred_spec, _leaves(pred_index))
        if _spec(true_index) != self._true_spec:
            true_index = optree.tree_unflatten(self._true_spec, _leaves(true_index))
        weight_index = None
        if weight_spec is not None:
            weight_index = self._align_labels(_index_tree(weight_spec), pred_index)
        trackers = self._metrics or [None] * len(self._flat_losses)
        plan = []
        for term, tracker in zip(self._flat_losses, trackers):
            true_part = _at(term.path, true_index)
            if true_part is None:
                continue  # no labels for this output
            pred_part = _at(term.path, pred_index)
            read_weight = None if weight_index is None else _reader(_at(term.path, weight_index))
            weight = term.loss_weights
            if isinstance(weight, float) and weight == 1.0:
                weight = None
            plan.append((term.loss, weight, tracker, _reader(true_part), _reader(pred_part), read_weight,
                         _leaves(pred_part)[0]))
        return plan

    # ---- the step
    def __call__(self, y_true, y_pred, sample_weight=None):
        if not (_nested(y_true) or _nested(y_pred)):
            # One tensor against one tensor: the first loss, as Keras does (also when a compute_loss override
            # passes one of several outputs).
            if not self.built:
                self.build(y_true, y_pred)
            if not self._flat_losses:
                return None
            _, loss, weight, _ = self._flat_losses[0]
            value = loss(y_true, y_pred, sample_weight=sample_weight)
            return value if weight is None else value * weight
        flat_true, true_spec = _flatten(y_true)
        flat_pred, pred_spec = _flatten(y_pred)
        flat_weight, weight_spec = _flatten(sample_weight) if _nested(sample_weight) else (None, None)
        key = (true_spec, pred_spec, weight_spec)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plan(flat_true, true_spec, flat_pred, pred_spec, weight_spec)
            self._plans[key] = plan
        total = None
        for loss, weight, tracker, read_true, read_pred, read_weight, batch_leaf in plan:
            y_p = read_pred(flat_pred)
            value = loss(read_true(flat_true), y_p,
                         sample_weight=sample_weight if read_weight is None else read_weight(flat_weight))
            if tracker is not None:
                tracker.update_state(value, sample_weight=ops.shape(flat_pred[batch_leaf])[0])
            if weight is not None:
                value = value * weight
            total = value if total is None else total + value
        return total

    def prepare(self, y_true, y_pred, sample_weight=None) -> None:
        """Build and match the structures of a first batch without computing anything (``fit``'s symbolic build)."""
        if not (_nested(y_true) or _nested(y_pred)):
            if not self.built:
                self.build(y_true, y_pred)
            return
        flat_true, true_spec = _flatten(y_true)
        flat_pred, pred_spec = _flatten(y_pred)
        weight_spec = _spec(sample_weight) if _nested(sample_weight) else None
        key = (true_spec, pred_spec, weight_spec)
        if key not in self._plans:
            self._plans[key] = self._plan(flat_true, true_spec, flat_pred, pred_spec, weight_spec)

    def get_config(self) -> dict:
        return {"loss": self._user_loss, "loss_weights": self._user_loss_weights}


def _has(container, key) -> bool:
    if isinstance(container, dict):
        return key in container
    if isinstance(container, (list, tuple)):
        return isinstance(key, int) and key < len(container)
    return False


def _weight(value):
    """A loss weight as it will multiply the loss: Python numbers as floats, arrays as given."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if getattr(value, "shape", None) == ():
        return float(value)
    return value


def _binary_or_sparse(y_true, y_pred) -> tuple[bool, bool]:
    """Whether labels and predictions call for the binary, or the sparse categorical, flavour."""
    true_shape = tuple(getattr(y_true, "shape", None) or getattr(y_pred, "shape", ()))
    pred_shape = tuple(getattr(y_pred, "shape", ()))
    pred_last = pred_shape[-1] if pred_shape else 1
    true_last = true_shape[-1] if true_shape else 1
    is_binary = pred_last == 1
    is_sparse = len(true_shape) < len(pred_shape) or (true_last == 1 and pred_last != 1)
    return is_binary, is_sparse


def _resolve_loss(identifier, y_true, y_pred):
    """A ``Loss``: functions (``"mse"``, a callable) are wrapped to take ``sample_weight``;
    ``"crossentropy"``/``"ce"`` is the binary, sparse or categorical one the shapes call for."""
    if isinstance(identifier, str) and identifier.lower() in _CROSSENTROPY_NAMES:
        is_binary, is_sparse = _binary_or_sparse(y_true, y_pred)
        if is_binary:
            loss = losses_module.binary_crossentropy
        elif is_sparse:
            loss = losses_module.sparse_categorical_crossentropy
        else:
            loss = losses_module.categorical_crossentropy
    else:
        loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    name = identifier if isinstance(identifier, str) else getattr(loss, "__name__", None)
    return losses_module.LossFunctionWrapper(loss, name=name)


# ---------------------------------------------------------------------------- metrics
class _OutputMetrics:
    """The metrics of one output, with the output's name (``None`` for a single output)."""

    def __init__(self, metrics: list, output_name):
        self.metrics = metrics
        self.output_name = output_name


def _output_metrics(spec, y_true, y_pred, output_name):
    if spec is None:
        return None
    items = list(spec) if isinstance(spec, (list, tuple)) else [spec]
    return _OutputMetrics([_resolve_metric(item, y_true, y_pred) for item in items], output_name)


def _resolve_metric(identifier, y_true, y_pred):
    """A ``Metric`` named as given: ``"accuracy"`` and ``"crossentropy"`` take the flavour the shapes call for."""
    if identifier is None:
        raise ValueError("Expected a metric, received `None`.")
    if isinstance(identifier, str) and identifier.lower() in _ACCURACY_NAMES + _CROSSENTROPY_NAMES:
        is_binary, is_sparse = _binary_or_sparse(y_true, y_pred)
        if identifier.lower() in _ACCURACY_NAMES:
            flavours = (metrics_module.BinaryAccuracy, metrics_module.SparseCategoricalAccuracy,
                        metrics_module.CategoricalAccuracy)
        else:
            flavours = (metrics_module.BinaryCrossentropy, metrics_module.SparseCategoricalCrossentropy,
                        metrics_module.CategoricalCrossentropy)
        cls = flavours[0] if is_binary else flavours[1] if is_sparse else flavours[2]
        return cls(name=identifier)
    metric = metrics_module.get(identifier)
    if isinstance(identifier, str):
        name = identifier
    else:
        name = getattr(metric, "name", None) if isinstance(metric, Metric) else getattr(metric, "__name__", None)
    if not isinstance(metric, Metric):
        metric = metrics_module.MeanMetricWrapper(metric, name=name)
    if name:
        metric.name = name
    return metric


class CompileMetrics(Metric):
    """The compiled metrics of every output, as one metric whose ``result()`` is a dict of named values.

    Names follow Keras: ``"<output>_<metric>"`` when there are several outputs, ``"weighted_<metric>"`` for a
    weighted metric whose plain name is taken, ``"_1"``, ``"_2"``, ... for other repeats.

    Args:
        metrics: a list (single output), or a list / dict / structure of lists per output.
        weighted_metrics: the same, for metrics that take ``sample_weight``.
        output_names: the model's output names, in the order of its flat outputs.
    """

    def __init__(self, metrics, weighted_metrics, name="compile_metric", output_names=None):
        super().__init__(name=name)
        for argument, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value and not isinstance(value, (list, tuple, dict)):
                raise ValueError(
                    f"Expected `{argument}` argument to be a list, tuple, or dict. "
                    f"Received instead: {argument}={value!r} of type {type(value).__name__}. "
                    f"For one metric write {argument}=[{value!r}]."
                )
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self.output_names = list(output_names) if output_names else None
        self.name = "compile_metrics"
        self.built = False
        self._flat_metrics: list = []
        self._flat_weighted_metrics: list = []
        self._named: list = []
        self._single = None

    def _track(self, value) -> None:
        pass  # the per-output metrics are listed by `metrics`, not found through attributes

    @property
    def metrics(self) -> list:
        if not self.built:
            return []
        return [m for group in self._flat_metrics + self._flat_weighted_metrics if group for m in group.metrics]

    @property
    def variables(self) -> list:
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred) -> None:
        flat_pred = _leaves(y_pred)
        count = len(flat_pred)
        pred_is_flat = _nested(y_pred) and len(y_pred) == count
        if pred_is_flat and isinstance(y_pred, dict):
            if self.output_names and set(y_pred) == set(self.output_names):
                names = self.output_names  # the model's order
            elif isinstance(y_pred, collections.OrderedDict):
                names = list(y_pred)
            else:
                names = sorted(y_pred)
        else:
            names = self.output_names
        self._resolved_output_names = names if count > 1 and pred_is_flat else None
        self._flat_metrics = self._build_group(self._user_metrics, count, names, y_true, y_pred, pred_is_flat,
                                               "metrics")
        self._flat_weighted_metrics = self._build_group(self._user_weighted_metrics, count, names, y_true, y_pred,
                                                        pred_is_flat, "weighted_metrics")
        self._named = self._result_names()
        self._single = None
        if count == 1:
            plain = self._flat_metrics[0].metrics if self._flat_metrics[0] else []
            weighted = self._flat_weighted_metrics[0].metrics if self._flat_weighted_metrics[0] else []
            self._single = (plain, weighted)
        self.built = True

    def _build_group(self, spec, count, names, y_true, y_pred, pred_is_flat, argument) -> list:
        if not spec:
            return [None] * count
        if count == 1:  # a single output: every metric is its
            return [_output_metrics(_leaves(spec), _first(y_true), _leaves(y_pred)[0], None)]
        per_output = None
        if pred_is_flat:
            if isinstance(spec, (list, tuple)) and len(spec) == count:
                per_output = list(spec)
            elif names and isinstance(spec, dict) and set(spec) <= set(names):
                per_output = [spec.get(name) for name in names]
        if per_output is not None:
            labels = self._flatten_y(y_true)
            predictions = self._flatten_y(y_pred)
            return [_output_metrics(item, labels[i] if i < len(labels) else None, predictions[i],
                                    names[i] if names else None) for i, item in enumerate(per_output)]
        try:
            per_output = _match_structure(spec, y_pred, ())
        except ValueError as error:
            hint = (f"either be a dict or a list matching the output names of the functional model "
                    f"{self.output_names} or match" if self.output_names else "match")
            raise ValueError(
                f"{error}\nInvalid `{argument}`. `{argument}` should contain metrics objects and {hint} the "
                f"output structure of the model: {_map(lambda _: 'X', y_pred)}.\nReceived: {argument}={spec!r}"
            ) from None
        flat_names = names if names and len(names) == count else [None] * count
        labels = _leaves(y_true) if _nested(y_true) else [y_true] * count
        return [_output_metrics(item, labels[i] if i < len(labels) else None, flat_pred, flat_names[i])
                for i, (item, flat_pred) in enumerate(zip(per_output, _leaves(y_pred)))]

    def _result_names(self) -> list:
        """``(log name, metric)`` in Keras's order, names made unique as Keras does."""
        named, counts = [], {}
        for group in self._flat_metrics:
            for metric in group.metrics if group else ():
                name = f"{group.output_name}_{metric.name}" if group.output_name else metric.name
                if name in counts:
                    counts[name] += 1
                    name = f"{name}_{counts[name] - 1}"
                else:
                    counts[name] = 1
                named.append((name, metric))
        for group in self._flat_weighted_metrics:
            for metric in group.metrics if group else ():
                prefix = f"{group.output_name}_" if group.output_name else ""
                name = prefix + metric.name
                if name in counts:
                    name = f"{prefix}weighted_{metric.name}"
                    if name in counts:
                        counts[name] += 1
                        name = f"{name}_{counts[name] - 1}"
                    else:
                        counts[name] = 1
                else:
                    counts[name] = 1
                named.append((name, metric))
        return named

    def _flatten_y(self, y) -> list:
        if isinstance(y, dict) and self._resolved_output_names is not None:
            return [y.get(name) for name in self._resolved_output_names]
        return _leaves(y)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        if self._single is not None and not (_nested(y_true) or _nested(y_pred)):
            plain, weighted = self._single
            for metric in plain:
                metric.update_state(y_true, y_pred)
            for metric in weighted:
                metric.update_state(y_true, y_pred, sample_weight=sample_weight)
            return
        labels = self._flatten_y(y_true)
        predictions = self._flatten_y(y_pred)
        for group, y_t, y_p in zip(self._flat_metrics, labels, predictions):
            if group and y_t is not None:
                for metric in group.metrics:
                    metric.update_state(y_t, y_p)
        if sample_weight is None:
            weights = [None] * len(labels)
        else:
            weights = self._flatten_y(sample_weight)
            if len(weights) < len(labels):
                weights = [weights[0]] * len(labels)  # one weight for every output
        for group, y_t, y_p, weight in zip(self._flat_weighted_metrics, labels, predictions, weights):
            if group and y_t is not None:
                for metric in group.metrics:
                    metric.update_state(y_t, y_p, sample_weight=weight)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def result(self) -> dict:
        """``{log name: value}`` for every compiled metric (empty before ``build``)."""
        return {name: metric.result() for name, metric in self._named}

    def get_config(self):
        raise NotImplementedError("CompileMetrics is rebuilt from the model's compile config, not serialized.")

    @classmethod
    def from_config(cls, config):
        raise NotImplementedError("CompileMetrics is rebuilt from the model's compile config, not serialized.")


def _first(y):
    return _leaves(y)[0] if _nested(y) else y


def _match_structure(spec, y_pred, path: tuple) -> list:
    """``spec`` laid over the structure of ``y_pred``: one entry (``None``, a metric or a list) per output."""
    if not _nested(y_pred):
        return [spec]
    if spec is None:
        return [None] * len(_leaves(y_pred))
    if isinstance(y_pred, dict):
        if not isinstance(spec, dict):
            raise ValueError(f"At {path or 'the top'}: expected a dict with keys {list(y_pred)}, received {spec!r}.")
        unknown = [key for key in spec if key not in y_pred]
        if unknown:
            raise ValueError(f"At {path or 'the top'}: the keys {unknown} name no output; the outputs have keys "
                             f"{list(y_pred)}.")
        keys = optree.tree_leaves({key: key for key in y_pred}, namespace=_NAMESPACE)  # flat (sorted) order
        return [entry for key in keys for entry in _match_structure(spec.get(key), y_pred[key], path + (key,))]
    if not isinstance(spec, (list, tuple)) or len(spec) != len(y_pred):
        raise ValueError(f"At {path or 'the top'}: expected a {type(y_pred).__name__} of {len(y_pred)} entries, "
                         f"received {spec!r}.")
    return [entry for i, (item, sub) in enumerate(zip(spec, y_pred))
            for entry in _match_structure(item, sub, path + (i,))]
