"""DTypePolicyMap: exact and full-regex path lookups, the default, errors, and a config that round-trips through
``dtype_policies.serialize``/``get`` as KerasHub's backbones store it (cases from Keras 3's docstring)."""

import pytest

from brickwork import backend, dtype_policies, layers, mixed_precision
from brickwork.dtype_policies import DTypePolicy, DTypePolicyMap


def _map():
    policy_map = DTypePolicyMap("float32")
    policy_map["encoder/.*"] = "float16"
    policy_map["encoder/layer_0/dense"] = "bfloat16"
    policy_map["decoder"] = DTypePolicy("bfloat16")
    return policy_map


def test_exact_then_full_regex_then_default():
    policy_map = _map()
    assert policy_map["encoder/layer_0/dense"].name == "bfloat16"  # exact wins over the pattern
    assert policy_map["encoder/attention/query"].name == "float16"
    assert policy_map["decoder/attention"].name == "float32"  # no implicit prefix match
    assert policy_map.name == "map_float32" and policy_map.compute_dtype == "float32"
    assert len(policy_map) == 3 and "decoder" in policy_map and list(policy_map)[0] == "encoder/.*"


def test_errors_name_the_path():
    policy_map = _map()
    policy_map["encoder/attention/.*"] = "bfloat16"
    with pytest.raises(ValueError, match="'encoder/attention/query' matches multiple dtype policy keys"):
        policy_map["encoder/attention/query"]
    with pytest.raises(ValueError, match="already exist in the DTypePolicyMap"):
        policy_map["decoder"] = "float16"
    with pytest.raises(ValueError, match="cannot be a DTypePolicyMap"):
        DTypePolicyMap(policy_map)
    with pytest.raises(TypeError, match="must be a dict"):
        DTypePolicyMap("float32", ["a"])
    del policy_map["encoder/attention/.*"]
    assert policy_map["encoder/attention/query"].name == "float16"


def test_serialize_get_round_trip():
    policy_map = _map()
    config = dtype_policies.serialize(policy_map)
    assert config["class_name"] == "DTypePolicyMap"
    restored = dtype_policies.get(config)
    assert isinstance(restored, DTypePolicyMap) and restored == policy_map
    assert dtype_policies.deserialize(config) == policy_map
    assert dtype_policies.get(dtype_policies.serialize(DTypePolicy("bfloat16"))) == DTypePolicy("bfloat16")


def test_default_defers_to_the_global_policy():
    policy_map = DTypePolicyMap()
    dtype_policies.set_dtype_policy("mixed_bfloat16")
    try:
        assert policy_map.default_policy.name == "mixed_bfloat16" and policy_map["x"].compute_dtype == "bfloat16"
    finally:
        backend.clear_session()  # back to the default policy
    assert policy_map.get_config() == {"default_policy": None, "policy_map": {}}


def test_float_policies_and_layers_have_no_quantization_mode():
    assert DTypePolicy("float32").quantization_mode is None and _map().quantization_mode is None
    assert layers.Dense(2).quantization_mode is None


def test_set_dtype_policy_refuses_none_and_clear_session_resets_it():
    with pytest.raises(ValueError, match="Invalid `policy` argument"):
        dtype_policies.set_dtype_policy(None)
    dtype_policies.set_dtype_policy("mixed_float16")
    assert mixed_precision.global_policy().name == "mixed_float16"
    backend.clear_session()
    assert mixed_precision.global_policy().name == backend.floatx()


def test_an_uninterpretable_value_is_refused_with_its_key():
    policy_map = DTypePolicyMap()
    with pytest.raises(ValueError, match="Cannot interpret the assigned value .* key 'layer/dense'"):
        policy_map["layer/dense"] = 123
    assert "layer/dense" not in policy_map
