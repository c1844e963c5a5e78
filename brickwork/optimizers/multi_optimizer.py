"""``MultiOptimizer``: each variable updated by the optimizer that an ``OptimizerMap`` (or a function) picks.

A model's encoder can train with Adam while its head uses SGD: ``OptimizerMap`` maps variable paths
(exact, else as ``re.fullmatch`` patterns) to optimizers, with a default for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping

from brickwork.optimizers.base_optimizer import Optimizer
from brickwork.optimizers.loss_scale_optimizer import LossScaleOptimizer


def _check_inner(optimizer, where: str) -> None:
    """Only plain optimizers go inside (error texts as Keras's, which its tests match)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{where}: expected a brickwork Optimizer; received {optimizer!r}.")
    for kind in (LossScaleOptimizer, MultiOptimizer):
        if isinstance(optimizer, kind):
            if where.startswith("OptimizerMap["):
                raise ValueError(f"{where}: optimizer cannot be {kind.__name__}.")
            raise ValueError(f"{where}: {kind.__name__} cannot be used inside an MultiOptimizer.")


class OptimizerMap(MutableMapping):
    """A mapping from variable paths (or regular expressions over them) to optimizers.

    Lookup tries the exact key, then every key as a ``re.fullmatch`` pattern (two matches are an error),
    and falls back to ``default_optimizer``. Calling the map on a variable looks up its ``path``.

    Args:
        default_optimizer: the optimizer of variables no key matches.
        optimizer_map: an initial ``{key: optimizer}`` dict.

    Example:
        optimizer_map = keras.optimizers.OptimizerMap(keras.optimizers.SGD(0.1))
        optimizer_map["encoder/.*"] = keras.optimizers.Adam()
        optimizer_map["encoder/dense/kernel"].name  # "adam"
    """

    def __init__(self, default_optimizer: Optimizer, optimizer_map: dict | None = None):
        _check_inner(default_optimizer, "OptimizerMap(default_optimizer=...)")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"OptimizerMap: optimizer_map must be a dict; received {optimizer_map!r}.")
        self._default_optimizer = default_optimizer
        self._optimizer_map: dict = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self) -> Optimizer:
        return self._default_optimizer

    def __getitem__(self, key: str) -> Optimizer:
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"OptimizerMap: variable {key!r} matches several keys: {matches}.")
        return self._optimizer_map[matches[0]] if matches else self._default_optimizer

    def __setitem__(self, key: str, optimizer: Optimizer) -> None:
        if not isinstance(key, str):
            raise ValueError(f"OptimizerMap: keys must be strings (paths or patterns); received {key!r}.")
        if key in self._optimizer_map:
            raise ValueError(f"OptimizerMap: {key!r} is already mapped (to {self._optimizer_map[key]}).")
        _check_inner(optimizer, f"OptimizerMap[{key!r}]")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key: str) -> None:
        del self._optimizer_map[key]

    def __len__(self) -> int:
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable) -> Optimizer:
        return self[getattr(variable, "path", None) or variable.name]

    def get_config(self) -> dict:
        from brickwork.optimizers import serialize

        return {"default_optimizer": serialize(self._default_optimizer),
                "optimizer_map": {key: serialize(value) for key, value in self._optimizer_map.items()}}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        from brickwork.optimizers import deserialize

        def rebuild(value):
            return value if isinstance(value, Optimizer) else deserialize(value, custom_objects=custom_objects)

        return cls(rebuild(config["default_optimizer"]),
                   {key: rebuild(value) for key, value in (config.get("optimizer_map") or {}).items()})


class MultiOptimizer(Optimizer):
    """Delegates each variable to the optimizer ``optimizer_map`` picks for it.

    Args:
        optimizer_map: an ``OptimizerMap``, or a function ``variable -> Optimizer``.
        loss_scale_factor: set on every inner optimizer (overriding theirs).
        name: the optimizer's name.

    The inner optimizers keep their own learning rates (``optimizers`` lists them); reading
    ``learning_rate`` on the ``MultiOptimizer`` itself is an error.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        optimizer_map = keras.optimizers.OptimizerMap(keras.optimizers.SGD(0.1), {"encoder/.*": keras.optimizers.Adam()})
        model.compile(optimizer=keras.optimizers.MultiOptimizer(optimizer_map), loss="mse")
    """

    def __init__(self, optimizer_map: OptimizerMap | Callable, loss_scale_factor=None, name=None):
        self._inner_optimizers: list = []
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        known = list(optimizer_map.values()) if isinstance(optimizer_map, OptimizerMap) else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in known + ([default] if default is not None else []):
            self._adopt(optimizer, check=False)  # checked in build, where each variable gets one

    def _adopt(self, optimizer, check: bool = True) -> int:
        """The index of ``optimizer`` among the inner ones, adding it (with this loss scale) if new."""
        if check:
            _check_inner(optimizer, "MultiOptimizer")
        for index, inner in enumerate(self._inner_optimizers):
            if inner is optimizer:
                return index
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)
        return len(self._inner_optimizers) - 1

    @property
    def optimizers(self) -> list:
        """The inner optimizers."""
        return list(self._inner_optimizers)

    @property
    def loss_scale_factor(self):
        return self.__dict__.get("_loss_scale_factor")

    @loss_scale_factor.setter
    def loss_scale_factor(self, value) -> None:
        self._loss_scale_factor = value
        for optimizer in self.__dict__.get("_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    @property
    def learning_rate(self):
        raise AttributeError("MultiOptimizer has no single learning rate; read it on `optimizer.optimizers[i]`.")

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        raise AttributeError("MultiOptimizer has no single learning rate; set it on `optimizer.optimizers[i]`.")

    @property
    def variables(self) -> list:
        """Its own ``iterations`` (and placeholder learning rate), then every inner optimizer's variables."""
        variables = self._variables[:]
        for optimizer in self._inner_optimizers:
            variables.extend(optimizer.variables)
        return variables

    @staticmethod
    def _var_key(variable) -> int:
        return id(variable)

    def build(self, variables) -> None:
        if self.built:
            return
        variables = list(variables)
        self._var_to_optimizer_idx = {}
        groups: dict[int, list] = {}
        for variable in variables:
            index = self._adopt(self._optimizer_map(variable))
            self._var_to_optimizer_idx[self._var_key(variable)] = index
            groups.setdefault(index, []).append(variable)
        for index, group in sorted(groups.items()):
            self._inner_optimizers[index].build(group)
        super().build(variables)

    def apply(self, grads, trainable_variables=None) -> None:
        """Split ``grads`` by the optimizer of each variable, and let each optimizer apply its share."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("MultiOptimizer.apply: pass `trainable_variables`, or build the optimizer first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(f"MultiOptimizer.apply: received {len(grads)} gradients for "
                             f"{len(trainable_variables)} variables; they must correspond one to one.")
        shares: dict[int, tuple[list, list]] = {}
        for grad, variable in zip(grads, trainable_variables):
            grads_of, variables_of = shares.setdefault(self._var_to_optimizer_idx[self._var_key(variable)], ([], []))
            grads_of.append(grad)
            variables_of.append(variable)
        for index, (grads_of, variables_of) in sorted(shares.items()):
            self._inner_optimizers[index].apply(grads_of, variables_of)
        self._iterations.assign_add(1)

    def finalize_variable_values(self, var_list) -> None:
        for index, optimizer in enumerate(self._inner_optimizers):
            owned = [v for v in var_list if self._var_to_optimizer_idx.get(self._var_key(v)) == index]
            if owned:
                optimizer.finalize_variable_values(owned)

    def set_weights(self, weights) -> None:
        if not self.built:
            raise ValueError("set_weights: the optimizer is not built yet; call `optimizer.build(variables)` first.")
        for variable, weight in zip(self.variables, weights):
            variable.assign(weight)

    def save_own_variables(self, store) -> None:
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        variables = self.variables
        if len(store.keys()) != len(variables):
            raise ValueError(f"MultiOptimizer '{self.name}': the saved state has {len(store.keys())} variables, "
                             f"this optimizer {len(variables)}.")
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def get_config(self) -> dict:
        from brickwork.saving import serialization_lib

        optimizer_map = self._optimizer_map
        if isinstance(optimizer_map, OptimizerMap):
            serialized = {"module": "keras.optimizers", "class_name": "OptimizerMap",
                          "config": optimizer_map.get_config(), "registered_name": None}
        else:
            serialized = serialization_lib.serialize_keras_object(optimizer_map)
        return {"optimizer_map": serialized, "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        optimizer_map = config["optimizer_map"]
        if isinstance(optimizer_map, dict) and optimizer_map.get("class_name") == "OptimizerMap":
            config["optimizer_map"] = OptimizerMap.from_config(optimizer_map["config"], custom_objects)
        elif isinstance(optimizer_map, dict):
            from brickwork.saving import serialization_lib

            config["optimizer_map"] = serialization_lib.deserialize_keras_object(optimizer_map,
                                                                                 custom_objects=custom_objects)
        return cls(**config)
