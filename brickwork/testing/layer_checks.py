"""``run_layer_test`` and ``run_class_serialization_test``: the checks every layer goes through.

``LayerChecks`` is mixed into ``brickwork.testing.TestCase``; the module-level helpers
(``create_keras_tensors``, ``create_eager_tensors``, ``get_seed_generators``, …) are the ones
Keras's own tests import from ``keras.src.testing.test_case``.
"""

from __future__ import annotations

import dataclasses
import json

import optree

from brickwork import backend, ops
from brickwork.testing.devices import uses_gpu

_EAGER_DTYPES = ("float16", "float32", "float64", "int8", "uint8", "int16", "uint16", "int32",
                 "uint32", "int64", "uint64")


# ---------------------------------------------------------------------------- input structures
def is_shape_tuple(x) -> bool:
    """Whether ``x`` is one shape: a list or tuple of ints and ``None``."""
    return isinstance(x, (list, tuple)) and all(isinstance(d, (int, type(None))) for d in x)


def map_shape_dtype_structure(fn, shape, dtype):
    """Apply ``fn(shape_tuple, dtype)`` over a structure of shapes and the matching dtypes."""
    if is_shape_tuple(shape):
        return fn(tuple(shape), dtype)
    if isinstance(shape, (list, tuple)):
        return type(shape)(map_shape_dtype_structure(fn, s, d) for s, d in zip(shape, dtype))
    if isinstance(shape, dict):
        return {key: map_shape_dtype_structure(fn, value, dtype[key]) for key, value in shape.items()}
    raise ValueError(f"Cannot map over the shape structure {shape!r} with dtypes {dtype!r}.")


def _map_shapes(fn, shape):
    """``fn`` on every shape tuple of a structure of shapes, keeping the structure."""
    if is_shape_tuple(shape):
        return fn(shape)
    if isinstance(shape, (list, tuple)):
        return type(shape)(_map_shapes(fn, s) for s in shape)
    if isinstance(shape, dict):
        return {key: _map_shapes(fn, value) for key, value in shape.items()}
    raise ValueError(f"Cannot map over the shape structure {shape!r}.")


def _shape_leaves(shape) -> list:
    """The shape tuples of a structure, in the order ``optree`` flattens tensors (dict keys sorted)."""
    if is_shape_tuple(shape):
        return [tuple(shape)]
    if isinstance(shape, dict):
        return [leaf for key in sorted(shape) for leaf in _shape_leaves(shape[key])]
    return [leaf for item in shape for leaf in _shape_leaves(item)]


def _keyword_name(key: str) -> str:
    """Keras names the shapes of keyword inputs ``<argument>_shape``."""
    return key.removesuffix("_shape")


def create_keras_tensors(input_shape, dtype, sparse: bool, ragged: bool):
    """Symbolic inputs (``KerasTensor``) for a structure of shapes; dict keys lose ``_shape``."""
    if ragged:
        raise ValueError(f"Ragged tensors are not supported by the {backend.backend()} backend.")

    def make(shape, dt):
        return backend.KerasTensor(shape, dtype=dt, sparse=sparse)

    if isinstance(input_shape, dict):
        return {_keyword_name(key): make(value, dtype[key]) for key, value in input_shape.items()}
    return map_shape_dtype_structure(make, input_shape, dtype)


def create_eager_tensors(input_shape, dtype, sparse: bool, ragged: bool = False):
    """Concrete inputs of the active backend, uniform in ``[0, 3)`` then cast to ``dtype``."""
    from brickwork import random

    unknown = set(optree.tree_leaves(dtype)).difference(_EAGER_DTYPES)
    if unknown:
        raise ValueError(f"dtype must be a standard float or int dtype. Received: dtype={dtype}")
    if (sparse and not backend.SUPPORTS_SPARSE_TENSORS) or ragged:
        kind = "Sparse" if sparse else "Ragged"
        raise ValueError(f"{kind} is unsupported with backend {backend.backend()}")

    def make(shape, dt):
        if sparse:
            return _sparse_tensor(shape, dt)
        return ops.cast(random.uniform(shape, dtype="float32") * 3, dtype=dt)

    if isinstance(input_shape, dict):
        return {_keyword_name(key): make(value, dtype[key]) for key, value in input_shape.items()}
    return map_shape_dtype_structure(make, input_shape, dtype)


def _sparse_tensor(shape, dtype):
    """A backend sparse tensor of ``shape`` with about 70% of its entries stored (values in ``[0, 3)``),
    built from a SciPy COO array, which the backends with sparse tensors convert."""
    import numpy as np
    from scipy import sparse as scipy_sparse

    rng = np.random.default_rng(0)
    values = (rng.random(shape) * 3).astype(dtype) * (rng.random(shape) < 0.7)
    return backend.convert_to_tensor(scipy_sparse.coo_array(values), sparse=True)


def get_seed_generators(layer) -> list:
    """Every ``SeedGenerator`` held by ``layer`` and its sublayers, each once."""
    from brickwork.random.seed_generator import SeedGenerator

    found, seen = [], set()
    for sublayer in layer._flatten_layers(True, True):
        own = getattr(sublayer, "_seed_generators", None)
        if own is None:
            own = _attribute_values(sublayer, SeedGenerator)
        for generator in own:
            if id(generator) not in seen:
                seen.add(id(generator))
                found.append(generator)
    return found


def _attribute_values(obj, cls) -> list:
    """Instances of ``cls`` among ``obj``'s attributes, looking inside lists, tuples and dicts."""
    found = []

    def visit(value):
        if isinstance(value, (list, tuple)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, cls):
            found.append(value)

    for value in getattr(obj, "__dict__", {}).values():
        visit(value)
    return found


def _classes_under_test(instance) -> dict:
    """``{name: class}`` for the instance, its sublayers and the configurable objects they hold,
    leaving out brickwork's own classes (the deserializer knows those)."""
    holders = instance._flatten_layers(True, True) if hasattr(instance, "_flatten_layers") else [instance]
    found = {}
    for holder in holders:
        for obj in [holder, *_attribute_values(holder, object)]:
            cls = type(obj)
            if (hasattr(obj, "get_config") and not isinstance(obj, type)
                    and not cls.__module__.startswith("brickwork")):
                found.setdefault(cls.__name__, cls)
    return found


# ---------------------------------------------------------------------------- configs as JSON
def to_json_with_tuples(value) -> str:
    """JSON that keeps tuples apart from lists, so a config comparison sees the difference."""

    def encode(obj):
        if isinstance(obj, tuple):
            return {"__class__": "tuple", "__value__": [encode(item) for item in obj]}
        if isinstance(obj, list):
            return [encode(item) for item in obj]
        if isinstance(obj, dict):
            return {key: encode(item) for key, item in obj.items()}
        return obj

    return json.dumps(encode(value), sort_keys=True, indent=4)


def from_json_with_tuples(value: str):
    """Read back what ``to_json_with_tuples`` wrote, tuples included."""

    def decode(obj):
        if isinstance(obj, dict) and "__class__" in obj and "__value__" in obj:
            return tuple(obj["__value__"])
        return obj

    return json.loads(value, object_hook=decode)


# ---------------------------------------------------------------------------- what is expected
def _is_leaf_tensor(x) -> bool:
    return hasattr(x, "shape") and hasattr(x, "dtype")


def _leaves(structure) -> list:
    return optree.tree_leaves(structure, is_leaf=_is_leaf_tensor, none_is_leaf=True)


def _describe(structure, what):
    return optree.tree_map(what, structure, is_leaf=_is_leaf_tensor, none_is_leaf=True)


@dataclasses.dataclass
class _Expectations:
    """What ``run_layer_test`` was told to expect; ``None`` means "not checked"."""

    output_shape: object = None
    output_dtype: object = None
    output_sparse: bool = False
    output_ragged: bool = False
    output: object = None
    num_trainable_weights: int | None = None
    num_non_trainable_weights: int | None = None
    num_non_trainable_variables: int | None = None
    num_seed_generators: int | None = None
    num_losses: int | None = None
    tpu_atol: float | None = None
    tpu_rtol: float | None = None

    def check_built(self, test, layer) -> None:
        test.assertTrue(layer.built, msg=f"{type(layer).__name__} is not built after build() or a call.")
        counts = [("trainable_weights", layer.trainable_weights, self.num_trainable_weights),
                  ("non_trainable_weights", layer.non_trainable_weights, self.num_non_trainable_weights),
                  ("non_trainable_variables", layer.non_trainable_variables, self.num_non_trainable_variables),
                  ("seed_generators", get_seed_generators(layer), self.num_seed_generators)]
        for name, found, expected in counts:
            if expected is not None:
                test.assertLen(found, expected, msg=f"Unexpected number of {name}")
        # On torch Keras also counts the registered torch parameters (weights plus seed states).
        torch_params = getattr(layer, "torch_params", None)
        if torch_params is not None and None not in (
                self.num_trainable_weights, self.num_non_trainable_weights, self.num_seed_generators):
            test.assertLen(torch_params, self.num_trainable_weights + self.num_non_trainable_weights
                           + self.num_seed_generators, msg="Unexpected number of torch_params")

    def check_outputs(self, test, layer, output, eager: bool) -> None:
        if self.output_shape is not None:
            self._check_shapes(test, output)
        if self.output_dtype is not None:
            self._check_dtypes(test, output)
        for tensor in _leaves(output):
            if self.output_sparse:
                test.assertSparse(tensor)
            if self.output_ragged:
                test.assertRagged(tensor)
        if not eager:
            return
        if self.output is not None:
            test.assertEqual(type(self.output), type(output),
                             msg="expected_output and the layer's output are of different types")
            test.assertLen(_leaves(output), len(_leaves(self.output)),
                           msg="expected_output and the layer's output hold different numbers of tensors")
            for expected, actual in zip(_leaves(self.output), _leaves(output)):
                test.assertAllClose(expected, actual, msg="Unexpected output value",
                                    tpu_atol=self.tpu_atol, tpu_rtol=self.tpu_rtol)
        if self.num_losses is not None:
            test.assertLen(layer.losses, self.num_losses, msg="Unexpected number of losses")

    def _check_shapes(self, test, output) -> None:
        received = [tuple(t.shape) for t in _leaves(output)]
        expected = _shape_leaves(self.output_shape)

        def matches(want, got):
            return len(want) == len(got) and all(w is None or w == g for w, g in zip(want, got))

        test.assertTrue(
            len(expected) == len(received) and all(map(matches, expected, received)),
            msg=f"Expected output shapes {self.output_shape} but received "
                f"{_describe(output, lambda t: tuple(t.shape))}")

    def _check_dtypes(self, test, output) -> None:
        received = [backend.standardize_dtype(t.dtype) for t in _leaves(output)]
        if isinstance(self.output_dtype, (list, tuple, dict)):
            expected = [backend.standardize_dtype(d) for d in optree.tree_leaves(self.output_dtype)]
        else:  # one dtype for every output
            expected = [backend.standardize_dtype(self.output_dtype)] * len(received)
        test.assertTrue(expected == received,
                        msg=f"Expected output dtypes {self.output_dtype} but received "
                            f"{_describe(output, lambda t: backend.standardize_dtype(t.dtype))}")


def _call(layer, inputs, call_kwargs):
    """Inputs given as a dict are passed by keyword (``query=…, value=…``), as Keras does."""
    if isinstance(inputs, dict):
        return layer(**inputs, **call_kwargs)
    return layer(inputs, **call_kwargs)


def _run_training_step(layer, input_data, output_data) -> None:
    """One ``fit`` step of a model wrapping ``layer``, minimizing the sum of its output."""
    from brickwork.losses import Loss
    from brickwork.models import Model

    class WrapperModel(Model):
        def __init__(self, wrapped):
            super().__init__()
            self.wrapped = wrapped

        def call(self, x, training=False):
            return self.wrapped(x, training=training)

    class SumLoss(Loss):  # one op, whatever the output's structure
        def __call__(self, y_true, y_pred, sample_weight=None):
            return ops.sum(y_pred)

    batch = optree.tree_map(backend.convert_to_numpy, (input_data, output_data), none_is_leaf=False)

    def batches():
        while True:
            yield batch

    model = WrapperModel(layer)
    model.compile(optimizer="sgd", loss=SumLoss(), jit_compile="auto")
    model.fit(batches(), steps_per_epoch=1, verbose=0)


def _mixed_precision_supported() -> bool:
    # Keras skips the check on torch without a GPU: torch's CPU kernels lack float16 for many ops.
    return backend.backend() != "torch" or uses_gpu()


class LayerChecks:
    """``run_layer_test`` and ``run_class_serialization_test``, mixed into ``TestCase``."""

    def run_class_serialization_test(self, instance, custom_objects=None):
        """Check that ``instance`` survives ``from_config(get_config())`` and
        ``deserialize_keras_object(serialize_keras_object(...))`` through JSON.

        Both revived objects must give the same config (tuples and lists kept apart) and have the
        same set of attribute names (``dir``) as the original. Returns the deserialized object.

        The classes under test (the instance's, its sublayers', and those of the configurable
        objects they hold, such as a custom RNN cell or initializer) are always known to the
        deserializer: Keras finds a test's own classes by importing the module a config names,
        which brickwork never does (``safe_mode``).
        """
        from brickwork.saving import (
            custom_object_scope,
            deserialize_keras_object,
            serialize_keras_object,
        )

        custom_objects = {**_classes_under_test(instance), **(custom_objects or {})}
        config_json = to_json_with_tuples(instance.get_config())
        original_names = set(dir(instance)) - {"__annotations__"}
        with custom_object_scope(custom_objects):
            revived = type(instance).from_config(instance.get_config())
        self.assertEqual(config_json, to_json_with_tuples(revived.get_config()))
        self.assertEqual(original_names, set(dir(revived)) - {"__annotations__"})

        serialized_json = to_json_with_tuples(serialize_keras_object(instance))
        with custom_object_scope(custom_objects):
            revived = deserialize_keras_object(from_json_with_tuples(serialized_json))
        self.assertEqual(config_json, to_json_with_tuples(revived.get_config()))
        self.assertEqual(original_names, set(dir(revived)) - {"__annotations__"})
        return revived

    def run_layer_test(
        self,
        layer_cls,
        init_kwargs,
        input_shape=None,
        input_dtype=None,
        input_sparse=False,
        input_ragged=False,
        input_data=None,
        call_kwargs=None,
        expected_output_shape=None,
        expected_output_dtype=None,
        expected_output_sparse=False,
        expected_output_ragged=False,
        expected_output=None,
        expected_num_trainable_weights=None,
        expected_num_non_trainable_weights=None,
        expected_num_non_trainable_variables=None,
        expected_num_seed_generators=None,
        expected_num_losses=None,
        supports_masking=None,
        expected_mask_shape=None,
        custom_objects=None,
        run_training_check=True,
        run_mixed_precision_check=True,
        assert_built_after_instantiation=False,
        tpu_atol=None,
        tpu_rtol=None,
    ):
        """Run the standard checks on a layer class, failing the test on the first broken one.

        In order: the config and serialization round trip; ``supports_masking``; ``build`` on the
        input shape gives a built layer with the expected weight, variable and seed generator counts;
        a call on symbolic inputs gives the expected output shapes and dtypes (and mask shape); a
        stateless layer is built right after construction (when asked); an eager call gives the
        expected shapes, dtypes, values and losses; one ``fit`` step of a model wrapping the layer
        (on backends that train); a ``"mixed_float16"`` layer computes in float16 and keeps float32
        weights (skipped on torch without a GPU, as Keras does). Counts not given are taken from a
        first eager call, so the build and symbolic paths must agree with it.

        Args:
            layer_cls: the layer class.
            init_kwargs: the constructor's keyword arguments.
            input_shape: a shape tuple, or a list/tuple/dict of them (dict keys ``<arg>_shape`` are
                passed as keyword arguments ``<arg>``); random inputs in ``[0, 3)`` are made from it.
            input_dtype: the dtype(s) of those inputs, same structure (default ``"float32"``).
            input_sparse, input_ragged: make sparse / ragged inputs (backends that have them).
            input_data: the inputs themselves, instead of ``input_shape``.
            call_kwargs: more keyword arguments for the call (``training=True``, ``mask=…``).
            expected_output_shape: a shape, or a structure of shapes like the output; ``None``
                dimensions match anything.
            expected_output_dtype: the output dtype, or a structure of dtypes like the output.
            expected_output_sparse, expected_output_ragged: whether outputs are sparse / ragged.
            expected_output: the expected eager output (of the output's type: a backend tensor);
                needs ``input_data``.
            expected_num_trainable_weights, expected_num_non_trainable_weights,
            expected_num_non_trainable_variables, expected_num_seed_generators: counts once built.
            expected_num_losses: how many losses (``layer.losses``) an eager call adds.
            supports_masking: the expected value of ``layer.supports_masking``.
            expected_mask_shape: the shape of ``compute_mask`` on the symbolic inputs (needs
                ``supports_masking=True``).
            custom_objects: classes or functions the deserializer needs to know.
            run_training_check: whether to run the ``fit`` step.
            run_mixed_precision_check: whether to run the mixed precision check.
            assert_built_after_instantiation: whether the layer must be built by its constructor
                (layers without weights), while a subclass overriding ``build`` must not be.
            tpu_atol, tpu_rtol: tolerances for ``expected_output`` on a TPU.

        Example:
            from brickwork import layers, testing

            class MyDenseTest(testing.TestCase):
                def test_dense(self):
                    self.run_layer_test(
                        layers.Dense, {"units": 3}, input_shape=(2, 4),
                        expected_output_shape=(2, 3), expected_num_trainable_weights=2,
                        expected_num_non_trainable_weights=0)
        """
        if input_shape is not None and input_data is not None:
            raise ValueError("input_shape and input_data cannot be passed at the same time.")
        if expected_output_shape is not None and expected_output is not None:
            raise ValueError("expected_output_shape and expected_output cannot be passed at the same time.")
        if expected_output is not None and input_data is None:
            raise ValueError("In order to use expected_output, input_data must be provided.")
        if expected_mask_shape is not None and supports_masking is not True:
            raise ValueError("In order to use expected_mask_shape, supports_masking must be True.")
        init_kwargs = init_kwargs or {}
        call_kwargs = call_kwargs or {}
        if input_shape is not None:
            input_dtype = self._input_dtypes(input_shape, input_dtype)
        has_inputs = input_data is not None or input_shape is not None

        expected = _Expectations(
            output_shape=expected_output_shape, output_dtype=expected_output_dtype,
            output_sparse=expected_output_sparse, output_ragged=expected_output_ragged,
            output=expected_output, num_trainable_weights=expected_num_trainable_weights,
            num_non_trainable_weights=expected_num_non_trainable_weights,
            num_non_trainable_variables=expected_num_non_trainable_variables,
            num_seed_generators=expected_num_seed_generators, num_losses=expected_num_losses,
            tpu_atol=tpu_atol, tpu_rtol=tpu_rtol)

        if has_inputs:
            # Counts not given are those of a layer built by an eager call: the build and
            # symbolic paths below must then agree with it.
            if input_data is None:
                input_data = create_eager_tensors(input_shape, input_dtype, input_sparse, input_ragged)
            layer = layer_cls(**init_kwargs)
            _call(layer, input_data, call_kwargs)
            if expected.num_trainable_weights is None:
                expected.num_trainable_weights = len(layer.trainable_weights)
            if expected.num_non_trainable_weights is None:
                expected.num_non_trainable_weights = len(layer.non_trainable_weights)
            if expected.num_non_trainable_variables is None:
                expected.num_non_trainable_variables = len(layer.non_trainable_variables)
            if expected.num_seed_generators is None:
                expected.num_seed_generators = len(get_seed_generators(layer))

        layer = layer_cls(**init_kwargs)
        self.run_class_serialization_test(layer, custom_objects)
        if supports_masking is not None:
            self.assertEqual(layer.supports_masking, supports_masking, msg="Unexpected supports_masking value")
        if not has_inputs:
            return

        # build() on the shapes.
        build_shape = input_shape
        if build_shape is None:
            build_shape = optree.tree_map(lambda x: tuple(ops.shape(x)), input_data, is_leaf=_is_leaf_tensor)
        layer = layer_cls(**init_kwargs)
        if isinstance(build_shape, dict):
            layer.build(**build_shape)
        else:
            layer.build(build_shape)
        expected.check_built(self, layer)

        # A call on symbolic inputs.
        if input_shape is None:
            symbolic_inputs = optree.tree_map(
                lambda x: create_keras_tensors(tuple(ops.shape(x)), backend.standardize_dtype(x.dtype),
                                               input_sparse, input_ragged),
                input_data, is_leaf=_is_leaf_tensor)
        else:
            symbolic_inputs = create_keras_tensors(input_shape, input_dtype, input_sparse, input_ragged)
        layer = layer_cls(**init_kwargs)
        symbolic_outputs = _call(layer, symbolic_inputs, call_kwargs)
        expected.check_built(self, layer)
        expected.check_outputs(self, layer, symbolic_outputs, eager=False)
        if expected_mask_shape is not None:
            mask = layer.compute_mask(symbolic_inputs)
            self.assertEqual(tuple(expected_mask_shape), tuple(mask.shape), msg="Unexpected mask shape")

        if assert_built_after_instantiation:
            self._check_built_after_instantiation(layer_cls, init_kwargs)

        # An eager call, then training and mixed precision.
        layer = layer_cls(**init_kwargs)
        output_data = _call(layer, input_data, call_kwargs)
        expected.check_outputs(self, layer, output_data, eager=True)

        if run_training_check and backend.SUPPORTS_TRAINING:
            _run_training_step(layer, input_data, output_data)

        if run_mixed_precision_check and _mixed_precision_supported():
            self._check_mixed_precision(layer_cls, init_kwargs, input_data, symbolic_inputs, call_kwargs)

    def _input_dtypes(self, input_shape, input_dtype):
        """The dtypes of inputs made from ``input_shape``: given ones checked, else float32."""
        if input_dtype is None:
            return _map_shapes(lambda _: "float32", input_shape)
        if isinstance(input_shape, tuple) and input_shape and is_shape_tuple(input_shape[0]):
            self.assertIsInstance(input_dtype, tuple)
            self.assertEqual(len(input_shape), len(input_dtype),
                             msg="The number of input shapes and dtypes does not match")
        elif isinstance(input_shape, dict):
            self.assertIsInstance(input_dtype, dict)
            self.assertEqual(set(input_shape), set(input_dtype),
                             msg="The number of input shapes and dtypes does not match")
        elif isinstance(input_shape, list):
            self.assertIsInstance(input_dtype, list)
            self.assertEqual(len(input_shape), len(input_dtype),
                             msg="The number of input shapes and dtypes does not match")
        elif not isinstance(input_shape, tuple):
            raise ValueError(f"The type of input_shape is not supported: {type(input_shape).__name__}.")
        return input_dtype

    def _check_built_after_instantiation(self, layer_cls, init_kwargs) -> None:
        """A layer without state is built by its constructor, unless a subclass overrides ``build``."""
        layer = layer_cls(**init_kwargs)
        self.assertTrue(layer.built, msg=f"{type(layer)} is stateless, so it should be built after instantiation.")

        class OverriddenBuild(layer_cls):
            def build(self, *args, **kwargs):
                pass

        layer = OverriddenBuild(**init_kwargs)
        self.assertFalse(layer.built, msg=f"The `build` of {type(layer)} is overridden, so it should not be "
                                          "built after instantiation.")

    def _check_mixed_precision(self, layer_cls, init_kwargs, input_data, symbolic_inputs, call_kwargs) -> None:
        """Under ``mixed_float16`` the eager output has the dtype the symbolic path infers, and
        float weights stay float32."""
        layer = layer_cls(**{**init_kwargs, "dtype": "mixed_float16"})

        def spec(tensor):
            dtype = tensor.dtype
            if layer.autocast and backend.is_float(dtype):
                dtype = layer.compute_dtype
            return backend.KerasTensor(tensor.shape, dtype=dtype)

        input_specs = optree.tree_map(spec, symbolic_inputs, is_leaf=_is_leaf_tensor)
        output_data = _call(layer, input_data, call_kwargs)
        if isinstance(input_data, dict):
            output_specs = layer.compute_output_spec(**input_specs)
        else:
            output_specs = layer.compute_output_spec(input_specs)
        for tensor, output_spec in zip(_leaves(output_data), _leaves(output_specs)):
            dtype = backend.standardize_dtype(tensor.dtype)
            self.assertEqual(dtype, output_spec.dtype, f"expected output dtype {output_spec.dtype}, got {dtype}")
        for weight in layer.weights:
            dtype = backend.standardize_dtype(weight.dtype)
            if backend.is_float(dtype):
                self.assertEqual(dtype, "float32", f"weight {weight.name} is {dtype}, expected float32")
