"""``StateTree``: a model's variables as nested dicts keyed by their paths (``get_state_tree``/``set_state_tree``).

The four groups are ``trainable_variables``, ``non_trainable_variables``, ``optimizer_variables`` and
``metrics_variables``; inside each, a variable whose path is ``"dense/kernel"`` sits at
``tree["dense"]["kernel"]``.
"""

from __future__ import annotations

_VALUE_FORMATS = ("backend_tensor", "numpy_array")


class StateTree:
    """The state-tree methods of ``Model`` (mixed into it)."""

    def _state_groups(self) -> dict:
        optimizer = getattr(self, "optimizer", None)
        return {
            "trainable_variables": lambda: self.trainable_variables,
            "non_trainable_variables": lambda: self.non_trainable_variables,
            "optimizer_variables": lambda: optimizer.variables if optimizer is not None else [],
            "metrics_variables": lambda: self.metrics_variables,
        }

    def _get_variable_map(self) -> dict:
        """``{variable.path: variable}`` for the model's, its optimizer's and its metrics' variables, as Keras
        maps them (``"dense/kernel"``, ``"adam/learning_rate"``); a path held twice is an error."""
        found: dict = {}
        for group in self._state_groups().values():
            for variable in group():
                other = found.setdefault(variable.path, variable)
                if other is not variable:
                    raise ValueError(f"The model contains two variables with a duplicate path: path='{variable.path}' "
                                     "appears at least twice. Give each variable a unique path (layer names).")
        return found

    def get_state_tree(self, value_format: str = "backend_tensor") -> dict:
        """Every variable's value, grouped and nested by path.

        Args:
            value_format: ``"backend_tensor"`` (the engine's arrays) or ``"numpy_array"``.

        Returns:
            ``{"trainable_variables": {...}, "non_trainable_variables": {...}, "optimizer_variables": {...},
                "metrics_variables": {...}}``.

        Example:
            tree = model.get_state_tree(value_format="numpy_array")
            tree["trainable_variables"]["dense"]["kernel"].shape
        """
        if value_format not in _VALUE_FORMATS:
            raise ValueError(
                f"Invalid `value_format` argument. Expected one of {set(_VALUE_FORMATS)}. "
                f"Received: value_format={value_format!r}"
            )
        return {group: _nested_by_path(variables(), value_format) for group, variables in self._state_groups().items()}

    def set_state_tree(self, state_tree: dict) -> None:
        """Assign the values of a (possibly partial) state tree, as ``get_state_tree`` returns, by path.

        Args:
            state_tree: ``{group: nested dict of values}`` for some of the four groups.
        """
        groups = self._state_groups()
        for group, tree in state_tree.items():
            if group not in groups:
                raise ValueError(f"Unknown variable name: {group!r}. Expected some of {list(groups)}.")
            values = _flat_by_path(tree)
            for variable in groups[group]():
                if variable.path in values:
                    variable.assign(values[variable.path])


def _nested_by_path(variables, value_format: str) -> dict:
    flat = {}
    for variable in variables:
        if variable.path in flat:
            raise ValueError(
                f"The following variable path is found twice in the model: '{variable.path}'. "
                "`get_state_tree()` can only be called when all variable paths are unique. Make sure to give "
                "unique names to your layers (and other objects)."
            )
        flat[variable.path] = variable.numpy() if value_format == "numpy_array" else variable.value
    nested: dict = {}
    for path, value in flat.items():
        *parents, leaf = path.split("/")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


def _flat_by_path(tree: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flat_by_path(value, f"{prefix}{key}/"))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
