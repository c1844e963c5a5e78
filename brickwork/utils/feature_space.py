"""``FeatureSpace``: preprocess and encode structured data (a dict of columns) with the preprocessing layers.

Each feature is a ``Feature``: an input dtype, a preprocessing layer (``Normalization``, ``StringLookup``,
``Hashing``, …) and how its output is encoded (``"float"``, ``"int"`` or ``"one_hot"``). ``Cross``es hash
two or more preprocessed features together (``HashedCrossing``). The work is done by those layers, in
NumPy where they take strings, so no TensorFlow is needed; ``adapt`` reads a dict of arrays, an iterable
of dict batches (a generator, a ``PyDataset``, a torch ``DataLoader``) or anything else yielding dicts.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import numpy as np

from brickwork import backend
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.core.identity import Identity
from brickwork.layers.core.input_layer import Input
from brickwork.layers.layer import Layer
from brickwork.layers.merging.concatenate import Concatenate
from brickwork.layers.preprocessing.category_encoding import CategoryEncoding
from brickwork.layers.preprocessing.discretization import Discretization
from brickwork.layers.preprocessing.hashed_crossing import HashedCrossing
from brickwork.layers.preprocessing.hashing import Hashing
from brickwork.layers.preprocessing.index_lookup import IndexLookup, to_numpy_strings
from brickwork.layers.preprocessing.integer_lookup import IntegerLookup
from brickwork.layers.preprocessing.normalization import Normalization
from brickwork.layers.preprocessing.rescaling import Rescaling
from brickwork.layers.preprocessing.string_lookup import StringLookup
from brickwork.saving import serialization_lib
from brickwork.trainers.data_adapters.data_adapter_utils import is_torch_tensor
from brickwork.trainers.data_adapters.py_dataset_adapter import PyDataset
from brickwork.utils.naming import auto_name

# Keras's module for Feature and Cross configs; written the same, so that either library reads the other's file.
_KERAS_MODULE = "keras.src.layers.preprocessing.feature_space"
_FEATURE_KINDS = ("float", "float_rescaled", "float_normalized", "float_discretized", "integer_categorical",
                  "string_categorical", "integer_hashed", "string_hashed")
_FEATURE_OUTPUT_MODES = ("int", "one_hot", "float")
_CROSS_OUTPUT_MODES = ("int", "one_hot")


def _from_config_dict(config: dict, cls):
    """``cls`` rebuilt from its serialized ``config`` (written by brickwork or Keras)."""
    if config.get("class_name") == cls.__name__:
        return cls.from_config(config.get("config") or {})
    obj = serialization_lib.deserialize_keras_object(config)
    if not isinstance(obj, cls):
        raise TypeError(f"FeatureSpace: expected a {cls.__name__} config, received one of {type(obj).__name__}.")
    return obj


class Cross:
    """Features crossed by hashing: ``FeatureSpace.cross(feature_names, crossing_dim, output_mode)``.

    Args:
        feature_names: the names of the features crossed (two or more).
        crossing_dim: the number of hash bins of the cross.
        output_mode: ``"one_hot"`` (default) or ``"int"`` (the bin index).
    """

    _keras_module = _KERAS_MODULE
    _keras_registered_name = "Cross"

    def __init__(self, feature_names, crossing_dim: int, output_mode: str = "one_hot"):
        if output_mode not in _CROSS_OUTPUT_MODES:
            raise ValueError(f"FeatureSpace.cross: `output_mode` must be one of {_CROSS_OUTPUT_MODES}, "
                             f"received output_mode={output_mode!r}.")
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config: dict) -> Cross:
        return cls(**config)


class Feature:
    """One feature of a ``FeatureSpace``: its input dtype, preprocessing layer and output encoding.

    Args:
        dtype: the dtype of the raw values (``"float32"``, ``"int32"``, ``"string"``, …).
        preprocessor: the layer applied to the values (or its serialized config).
        output_mode: ``"float"`` (used as it is), ``"int"`` (indices, left as they are) or ``"one_hot"``
            (indices one-hot encoded over the preprocessor's output space).
    """

    _keras_module = _KERAS_MODULE
    _keras_registered_name = "Feature"

    def __init__(self, dtype: str, preprocessor, output_mode: str):
        if output_mode not in _FEATURE_OUTPUT_MODES:
            raise ValueError(f"FeatureSpace.feature: `output_mode` must be one of {_FEATURE_OUTPUT_MODES}, "
                             f"received output_mode={output_mode!r}.")
        if isinstance(preprocessor, dict):
            if preprocessor.get("class_name") == "TFDIdentity":  # Keras's identity layer for plain floats
                preprocessor = dict(preprocessor, module="keras.layers", class_name="Identity", registered_name=None)
            preprocessor = serialization_lib.deserialize_keras_object(preprocessor)
        self.dtype = dtype
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "preprocessor": serialization_lib.serialize_keras_object(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config: dict) -> Feature:
        return cls(**config)


class FeatureSpace(Layer):
    """Preprocess and encode a dict of feature columns into one vector (or a dict of encoded features).

    Give each feature a kind by name (its defaults) or by a ``FeatureSpace.<kind>(...)`` call; ``adapt``
    the space on data, then call it on a dict of columns (batched, or one unbatched sample), or build a
    model on ``get_inputs()`` / ``get_encoded_features()``. In ``"concat"`` mode the encoded features are
    concatenated in name order: the features first, then the crosses.

    Feature kinds: ``float`` (as it is), ``float_rescaled`` (``Rescaling``), ``float_normalized``
    (``Normalization``), ``float_discretized`` (``Discretization``, one-hot), ``integer_categorical`` /
    ``string_categorical`` (``IntegerLookup`` / ``StringLookup``, one-hot), ``integer_hashed`` /
    ``string_hashed`` (``Hashing``, one-hot); ``FeatureSpace.feature(dtype, preprocessor, output_mode)``
    wraps any other preprocessing layer.

    Args:
        features: ``{name: kind}``, the kind a name above, a ``Feature`` or a ``Feature`` config.
        output_mode: ``"concat"`` (one float vector per sample) or ``"dict"`` (``{name: encoded}``).
        crosses: features to cross: tuples of names (hashed into ``crossing_dim`` bins) or
            ``FeatureSpace.cross(...)`` objects.
        crossing_dim: the default number of bins of a cross given as a tuple of names.
        hashing_dim: the number of bins of ``"integer_hashed"`` / ``"string_hashed"`` features given by name.
        num_discretization_bins: the number of bins of ``"float_discretized"`` features given by name.
        name: the name of the layer.

    Example:
    >>> data = {"price": [1.0, 2.5, 4.0], "city": ["Paris", "Rome", "Paris"], "rooms": [1, 2, 3]}
    >>> space = FeatureSpace({"price": "float_normalized", "city": "string_categorical",
    ...                       "rooms": "integer_categorical"}, crosses=[("city", "rooms")], crossing_dim=8)
    >>> space.adapt(data)
    >>> space(data).shape   # (3, 16): city 3 + price 1 + rooms 4 + the cross 8
    """

    # ------------------------------------------------------------------ feature kinds
    @classmethod
    def cross(cls, feature_names, crossing_dim: int, output_mode: str = "one_hot") -> Cross:
        """Cross the features ``feature_names`` by hashing them together into ``crossing_dim`` bins."""
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype: str, preprocessor, output_mode: str) -> Feature:
        """A feature preprocessed by any layer (e.g. a ``TextVectorization``)."""
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name: str | None = None) -> Feature:
        """Float values used as they are."""
        name = name or auto_name("float")
        return Feature("float32", Identity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale: float = 1.0, offset: float = 0.0, name: str | None = None) -> Feature:
        """Float values rescaled to ``x * scale + offset``."""
        name = name or auto_name("float_rescaled")
        return Feature("float32", Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_normalized(cls, name: str | None = None) -> Feature:
        """Float values standardized to zero mean and unit variance (learned by ``adapt``)."""
        name = name or auto_name("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(cls, num_bins: int, bin_boundaries=None, output_mode: str = "one_hot",
                          name: str | None = None) -> Feature:
        """Float values bucketed into ``num_bins`` equal-count bins learned by ``adapt`` (or by ``bin_boundaries``)."""
        name = name or auto_name("float_discretized")
        layer = Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor")
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens: int | None = None, num_oov_indices: int = 1,
                            output_mode: str = "one_hot", name: str | None = None) -> Feature:
        """Integer categories indexed by a vocabulary learned by ``adapt``."""
        name = name or auto_name("integer_categorical")
        layer = IntegerLookup(name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices)
        return Feature("int32", layer, output_mode)

    @classmethod
    def string_categorical(cls, max_tokens: int | None = None, num_oov_indices: int = 1,
                           output_mode: str = "one_hot", name: str | None = None) -> Feature:
        """String categories indexed by a vocabulary learned by ``adapt``."""
        name = name or auto_name("string_categorical")
        layer = StringLookup(name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices)
        return Feature("string", layer, output_mode)

    @classmethod
    def string_hashed(cls, num_bins: int, output_mode: str = "one_hot", name: str | None = None) -> Feature:
        """Strings hashed into ``num_bins`` bins."""
        name = name or auto_name("string_hashed")
        return Feature("string", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    @classmethod
    def integer_hashed(cls, num_bins: int, output_mode: str = "one_hot", name: str | None = None) -> Feature:
        """Integers hashed into ``num_bins`` bins."""
        name = name or auto_name("integer_hashed")
        return Feature("int32", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    # ------------------------------------------------------------------ construction
    def __init__(self, features: dict, output_mode: str = "concat", crosses=None, crossing_dim: int = 32,
                 hashing_dim: int = 32, num_discretization_bins: int = 32, name: str | None = None):
        super().__init__(name=name)
        if not features or not isinstance(features, dict):
            raise ValueError(f"FeatureSpace: `features` must be a non-empty dict {{name: kind}}, "
                             f"received {features!r}.")
        if output_mode not in ("concat", "dict"):
            raise ValueError(f"FeatureSpace: `output_mode` must be 'concat' or 'dict', "
                             f"received output_mode={output_mode!r}.")
        self.output_mode = output_mode
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {name: self._standardize_feature(name, kind) for name, kind in features.items()}
        self.crosses = [self._standardize_cross(cross) for cross in crosses or ()]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.inputs = {name: Input(shape=(1,), dtype=feature.dtype, name=name)
                       for name, feature in self.features.items()}
        self.preprocessors = {name: feature.preprocessor for name, feature in self.features.items()}
        self.crossers = {cross.name: HashedCrossing(cross.crossing_dim, name=cross.name) for cross in self.crosses}
        self._is_adapted = False
        self._reset_encoding()

    def _standardize_feature(self, name: str, kind) -> Feature:
        if isinstance(kind, Feature):
            return kind
        if isinstance(kind, dict):
            return _from_config_dict(kind, Feature)
        if kind == "float_discretized":
            return self.float_discretized(num_bins=self.num_discretization_bins, name=name)
        if kind in ("integer_hashed", "string_hashed"):
            return getattr(self, kind)(self.hashing_dim, name=name)
        if isinstance(kind, str) and kind in _FEATURE_KINDS:
            return getattr(self, kind)(name=name)
        close = difflib.get_close_matches(str(kind), _FEATURE_KINDS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"FeatureSpace: feature {name!r} has an unknown kind {kind!r}.{hint} Expected one of "
                         f"{list(_FEATURE_KINDS)}, a `FeatureSpace.<kind>(...)` Feature or a Feature config.")

    def _standardize_cross(self, cross) -> Cross:
        if isinstance(cross, dict):
            cross = _from_config_dict(cross, Cross)
        elif not isinstance(cross, Cross):
            if not self.crossing_dim:
                raise ValueError("FeatureSpace: crosses given as tuples of feature names need `crossing_dim` "
                                 f"(the number of hash bins of a cross), received crossing_dim={self.crossing_dim!r}.")
            cross = Cross(cross, crossing_dim=self.crossing_dim)
        unknown = [name for name in cross.feature_names if name not in self.features]
        if unknown or len(cross.feature_names) < 2:
            raise ValueError(f"FeatureSpace: the cross {cross.feature_names} must name two or more of the features "
                             f"{list(self.features)}; unknown: {unknown}.")
        return cross

    def _reset_encoding(self) -> None:
        """Forget the encoders built for the last adapted state (one-hot widths follow the vocabularies)."""
        self.one_hot_encoders = {}
        self.concat = None
        self.encoded_features = None

    # ------------------------------------------------------------------ adapt
    def _adaptable(self) -> list[str]:
        """The features whose preprocessor learns from data."""
        names = []
        for name, layer in self.preprocessors.items():
            if isinstance(layer, Normalization) and layer.input_mean is not None:
                continue  # fixed mean and variance
            if isinstance(layer, Discretization) and layer.num_bins is None:
                continue  # fixed bin boundaries
            if hasattr(layer, "adapt"):
                names.append(name)
        return names

    def _not_adapted(self) -> list[str]:
        """The adaptable features still without learned state (empty once ``adapt`` ran or the space was loaded)."""
        if self._is_adapted:
            return []
        return [name for name in self._adaptable() if not _has_learned_state(self.preprocessors[name])]

    def adapt(self, dataset: dict | Iterable) -> None:
        """Learn each adaptable preprocessor's state (mean and variance, vocabularies, bins) from ``dataset``.

        Args:
            dataset: a dict of columns (NumPy arrays, lists, tensors), or an iterable of such dict batches
                (a generator, a list of dicts, a ``PyDataset``, a torch ``DataLoader``); an ``(x, y)`` batch
                is read for ``x``. Batches may be single unbatched samples. The columns the preprocessors
                learn from are gathered in memory, reading the data once.
        """
        names = self._adaptable()
        columns: dict[str, list] = {name: [] for name in names}
        for batch in _dict_batches(dataset):
            for name in names:
                columns[name].append(_as_column(name, _lookup(batch, name, self.features), self.features[name].dtype))
        for name in names:
            if not columns[name]:
                raise ValueError("FeatureSpace.adapt: the data held no batches.")
            try:
                values = np.concatenate(columns[name], axis=0)
            except ValueError as error:
                raise ValueError(f"FeatureSpace.adapt: the batches of feature {name!r} have differing shapes "
                                 f"{sorted({c.shape[1:] for c in columns[name]})}: {error}") from None
            self.preprocessors[name].adapt(values)
        self._is_adapted = True
        self._reset_encoding()
        self.get_encoded_features()
        self.built = True

    def _check_if_adapted(self) -> None:
        pending = self._not_adapted()
        if pending:
            kinds = sorted({type(self.preprocessors[name]).__name__ for name in pending})
            raise ValueError(f"FeatureSpace: call `adapt(data)` before using the space: the features {pending} "
                             f"have preprocessors that learn from data ({', '.join(kinds)}).")
        self._is_adapted = True

    # ------------------------------------------------------------------ encoding
    def get_inputs(self) -> dict:
        """The ``{name: Input}`` of the features, for building a Functional model."""
        self.get_encoded_features()
        return self.inputs

    def get_encoded_features(self) -> KerasTensor | dict:
        """The symbolic encoded features of ``get_inputs()``: one tensor (``"concat"``) or a dict (``"dict"``)."""
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed, crossed = self._preprocess_and_cross(self.inputs)
            self._build_encoders(preprocessed, crossed)
            self.encoded_features = self._merge(preprocessed, crossed)
        return self.encoded_features

    def _preprocess_and_cross(self, columns: dict) -> tuple[dict, dict]:
        preprocessed = {name: self.preprocessors[name](columns[name]) for name in self.features}
        crossed = {cross.name: self.crossers[cross.name]([preprocessed[n] for n in cross.feature_names])
                   for cross in self.crosses}
        return preprocessed, crossed

    def _build_encoders(self, preprocessed: dict, crossed: dict) -> None:
        """The one-hot encoders and the concatenation, checked against the symbolic preprocessed features."""
        for cross in self.crosses:
            for name in cross.feature_names:
                dtype = backend.standardize_dtype(preprocessed[name].dtype)
                if not dtype.startswith(("int", "uint")) and dtype != "string":
                    raise ValueError(f"FeatureSpace: the cross {cross.name!r} hashes integer or string features, "
                                     f"but feature {name!r} is preprocessed to {dtype}; cross categorical, hashed "
                                     "or discretized features.")
        items = [(name, preprocessed[name], self.features[name], self.preprocessors[name])
                 for name in sorted(preprocessed)]
        items += [(name, crossed[name], self.crosses_by_name[name], self.crossers[name]) for name in sorted(crossed)]
        for name, tensor, spec, layer in items:
            dtype = backend.standardize_dtype(tensor.dtype)
            if spec.output_mode == "one_hot":
                if not dtype.startswith(("int", "uint")):
                    raise ValueError(f"FeatureSpace: feature {name!r} has output_mode='one_hot', so its preprocessor "
                                     f"must return integer indices; {type(layer).__name__} returns {dtype}.")
                self.one_hot_encoders[name] = CategoryEncoding(num_tokens=_cardinality(name, layer),
                                                               output_mode="multi_hot")
            elif self.output_mode == "concat" and (dtype == "string" or not backend.is_float_dtype(dtype)):
                raise ValueError(f"FeatureSpace: cannot concatenate feature {name!r}: it is not encoded (dtype "
                                 f"{dtype}, output_mode={spec.output_mode!r}). Use output_mode='one_hot' for it, "
                                 "or output_mode='dict' for the FeatureSpace.")
        if self.output_mode == "concat":
            self.concat = Concatenate(axis=-1)

    def _merge(self, preprocessed: dict, crossed: dict):
        """One-hot encode what is so declared and gather the features (then the crosses) in name order."""
        encoded = {}
        for group in (preprocessed, crossed):
            for name in sorted(group):
                encoder = self.one_hot_encoders.get(name)
                encoded[name] = group[name] if encoder is None else encoder(group[name])
        if self.output_mode == "dict":
            return encoded
        return self.concat(list(encoded.values()))

    def _encode(self, columns: dict):
        return self._merge(*self._preprocess_and_cross(columns))

    # ------------------------------------------------------------------ calling
    def __call__(self, data: dict):
        """Encode ``data``, a dict of columns (arrays, tensors, lists; one value per feature for one sample)."""
        if not isinstance(data, dict):
            raise ValueError(f"FeatureSpace: call it with a dict of feature columns, received data of type "
                             f"{type(data).__name__}.")
        self.get_encoded_features()
        if any(isinstance(value, KerasTensor) for value in data.values()):
            return self._encode({name: _lookup(data, name, self.features) for name in self.features})
        columns = {name: _as_column(name, _lookup(data, name, self.features), feature.dtype, keep_rank=True)
                   for name, feature in self.features.items()}
        single = any(column.ndim == 0 for column in columns.values())
        columns = {name: column.reshape(-1, 1) if column.ndim <= 1 else column for name, column in columns.items()}
        encoded = self._encode(columns)
        if not single:
            return encoded
        if self.output_mode == "concat":
            return encoded[0]
        return {name: value[0] if len(value.shape) == 2 and value.shape[0] == 1 else value
                for name, value in encoded.items()}

    # ------------------------------------------------------------------ saving
    def get_config(self) -> dict:
        return {"features": serialization_lib.serialize_keras_object(self.features), "output_mode": self.output_mode,
                "crosses": serialization_lib.serialize_keras_object(self.crosses), "crossing_dim": self.crossing_dim,
                "hashing_dim": self.hashing_dim, "num_discretization_bins": self.num_discretization_bins,
                "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> FeatureSpace:
        return cls(**config)

    def get_build_config(self) -> dict | None:
        if not self._is_adapted:
            return None
        return {name: layer.get_build_config() for name, layer in self.preprocessors.items()}

    def build_from_config(self, config: dict) -> None:
        """Build the preprocessors as saved, so that their learned variables load; the space counts as adapted."""
        for name, layer_config in (config or {}).items():
            layer = self.preprocessors[name]
            if not layer.built:
                layer.build_from_config(layer_config)
        self._is_adapted = True
        self.built = True

    def save(self, filepath) -> None:
        """Save the space (features, learned state) to a ``.keras`` file; reload it with ``load_model``.

        Example:
        >>> space.save("space.keras")
        >>> space = keras.saving.load_model("space.keras")
        """
        from brickwork.saving import saving_lib

        saving_lib.save_model(self, filepath)


# ---------------------------------------------------------------------- helpers
def _has_learned_state(layer) -> bool:
    """Whether an adaptable layer holds state it could only have learned (a vocabulary, bin boundaries).

    A ``Normalization``'s statistics are variables, which a rebuilt layer has too, so it never counts.
    """
    if isinstance(layer, Discretization):
        return layer.bin_boundaries is not None
    if isinstance(layer, IndexLookup) or hasattr(layer, "get_vocabulary"):
        return bool(layer.get_vocabulary(include_special_tokens=False))
    return False


def _cardinality(name: str, layer) -> int:
    """The number of indices ``layer`` outputs, the width of the one-hot encoding of feature ``name``."""
    if isinstance(layer, IndexLookup):
        return layer.vocabulary_size()
    if isinstance(layer, CategoryEncoding):
        return layer.num_tokens
    if isinstance(layer, Discretization):
        return layer.num_bins if layer.num_bins is not None else len(layer.bin_boundaries) + 1
    if isinstance(layer, (Hashing, HashedCrossing)):
        return layer.num_bins
    raise ValueError(f"FeatureSpace: feature {name!r} has output_mode='one_hot', but the size of the output space "
                     f"of its preprocessor ({type(layer).__name__}) is unknown, so it cannot be one-hot encoded. "
                     "Use output_mode='int' for it.")


def _dict_batches(data) -> Iterable[dict]:
    """The dict batches of ``adapt`` data: a dict is one batch; iterables yield dicts (or ``(x, ...)`` tuples)."""
    if isinstance(data, dict):
        yield data
        return
    if isinstance(data, PyDataset):
        count = data.num_batches
        if count is None:
            raise ValueError("FeatureSpace.adapt: the PyDataset is infinite (num_batches is None); pass a finite one.")
        items = (data[index] for index in range(count))
    elif isinstance(data, (str, bytes, np.ndarray)) or not isinstance(data, Iterable):
        raise ValueError(f"FeatureSpace.adapt: expected a dict of feature columns or an iterable of dict batches "
                         f"(a generator, a PyDataset, a torch DataLoader), received {type(data).__name__}.")
    else:
        items = data
    for item in items:
        batch = item[0] if isinstance(item, (tuple, list)) and item else item
        if not isinstance(batch, dict):
            raise ValueError(f"FeatureSpace.adapt: each batch must be a dict of feature columns (or an (x, y) tuple "
                             f"with a dict x), received a {type(batch).__name__}.")
        yield batch


def _lookup(data: dict, name: str, features: dict):
    if name not in data:
        raise ValueError(f"FeatureSpace: the data has no feature {name!r}. Expected the features {list(features)}, "
                         f"received the keys {list(data)}.")
    return data[name]


def _to_numpy(value) -> np.ndarray:
    if backend.is_tensor(value):
        return backend.convert_to_numpy(value)
    if is_torch_tensor(value):  # a DataLoader's batch on another backend
        return value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], bytes):
        return np.asarray(value, dtype=object)
    return np.asarray(value)


def _as_column(name: str, value, dtype: str, keep_rank: bool = False) -> np.ndarray:
    """Feature ``name``'s values as a NumPy column of ``dtype``'s kind: ``(n, 1)`` unless ``keep_rank``."""
    array = _to_numpy(value)
    is_strings = array.dtype.kind in "USO"
    if dtype == "string":
        if not is_strings:
            raise TypeError(f"FeatureSpace: feature {name!r} takes strings, received values of dtype {array.dtype}.")
        array = to_numpy_strings(array)
    elif is_strings:
        raise TypeError(f"FeatureSpace: feature {name!r} takes {dtype} values, received strings "
                        f"(dtype {array.dtype}).")
    elif backend.is_float_dtype(dtype):
        array = array.astype(dtype)
    elif array.dtype.kind not in "iub":
        raise TypeError(f"FeatureSpace: feature {name!r} takes integers ({dtype}), received values of dtype "
                        f"{array.dtype}.")
    if keep_rank or array.ndim >= 2:
        return array
    return array.reshape(-1, 1)
