"""The names at the top of `keras` (base classes, dtype policies, scopes, version) against Keras 3."""

import pytest
import torch

from capas import keras
from tests.conftest import keras_reference


@pytest.mark.parametrize(
    "name, home",
    [
        ("Loss", keras.losses),
        ("Metric", keras.metrics),
        ("Optimizer", keras.optimizers),
        ("Initializer", keras.initializers),
        ("Regularizer", keras.regularizers),
        ("DTypePolicy", keras.dtype_policies),
        ("FloatDTypePolicy", keras.dtype_policies),
    ],
)
def test_base_classes_are_the_family_objects_as_in_keras(name, home):
    ref = keras_reference()
    assert getattr(keras, name) is getattr(home, name)
    ref_home = getattr(ref, home.__name__.rsplit(".", 1)[-1])
    assert getattr(ref, name) is getattr(ref_home, name)


def test_version_is_the_keras_release_capas_follows():
    ref = keras_reference()
    assert keras.version() == keras.__version__ == ref.version()


def test_custom_subclasses_of_the_top_level_bases_work():
    class Twice(keras.Loss):
        def call(self, y_true, y_pred):
            return 2.0 * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    loss = Twice()
    assert float(loss(torch.zeros(2, 3), torch.ones(2, 3))) == pytest.approx(2.0)

    class Ones(keras.Initializer):
        def __call__(self, shape, dtype=None):
            return keras.ops.ones(shape, dtype=dtype)

    layer = keras.layers.Dense(2, kernel_initializer=Ones())
    layer(torch.ones(1, 3))
    assert torch.equal(layer.kernel.detach(), torch.ones(3, 2))


def test_dtype_policies_serialize_get_and_compare_as_keras():
    ref = keras_reference()
    for k in (keras, ref):
        assert k.FloatDTypePolicy("mixed_float16") == k.DTypePolicy("mixed_float16")
    for name in ("float32", "mixed_float16", "mixed_bfloat16", "bfloat16", "float64"):
        for cls in ("DTypePolicy", "FloatDTypePolicy"):
            mine = keras.dtype_policies.serialize(getattr(keras, cls)(name))
            theirs = ref.dtype_policies.serialize(getattr(ref, cls)(name))
            assert mine == theirs
            back = keras.dtype_policies.deserialize(theirs)
            assert type(back).__name__ == cls and back.name == name
        policy, ref_policy = keras.dtype_policies.get(name), ref.dtype_policies.get(name)
        assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (
            ref_policy.name,
            ref_policy.compute_dtype,
            ref_policy.variable_dtype,
        )
        assert repr(policy) == repr(ref_policy)
        assert policy.get_config() == ref_policy.get_config()
    assert keras.dtype_policies.get(None) == keras.mixed_precision.dtype_policy()
    with pytest.raises(ValueError, match="Cannot interpret `dtype` argument"):
        keras.dtype_policies.get("floo")
    with pytest.raises(ValueError, match="unknown policy class 'QuantizedDTypePolicy'"):
        keras.dtype_policies.deserialize({"class_name": "QuantizedDTypePolicy", "config": {}})


def test_a_layer_config_holds_the_keras_policy_dict():
    ref = keras_reference()
    mine = keras.layers.Dense(2, dtype="mixed_float16").get_config()["dtype"]
    theirs = ref.layers.Dense(2, dtype="mixed_float16").get_config()["dtype"]
    assert mine == theirs
    assert keras.layers.Dense.from_config(keras.layers.Dense(2, dtype="bfloat16").get_config()).dtype_policy.name == (
        "bfloat16"
    )


def test_mixed_precision_dtype_policy_aliases_as_keras():
    ref = keras_reference()
    for k in (keras, ref):
        k.mixed_precision.set_dtype_policy("mixed_bfloat16")
        try:
            assert k.mixed_precision.dtype_policy().name == "mixed_bfloat16"
            assert k.config.dtype_policy().name == "mixed_bfloat16"
            assert k.layers.Dense(2).dtype_policy.name == "mixed_bfloat16"
        finally:
            k.mixed_precision.set_dtype_policy("float32")


def _paths(k):
    with k.name_scope("encoder"):
        v = k.Variable(1.0, name="bias")
        dense = k.layers.Dense(2)
        dense(k.ops.ones((1, 3)))
        with k.name_scope("inner"):
            w = k.Variable(1.0, name="w")
        with k.name_scope("moved", override_parent="top/level"):
            u = k.Variable(1.0, name="u")
    owner = object()
    with k.name_scope("block", caller=owner):
        with k.name_scope("block", caller=owner):
            dedup = k.Variable(1.0, name="d")
        with k.name_scope("block", caller=owner, deduplicate=False):
            nested = k.Variable(1.0, name="n")
    return [v.path, dense.kernel.path.replace(dense.name, "dense"), w.path, u.path, dedup.path, nested.path]


def test_name_scope_prefixes_variable_paths_as_keras():
    assert _paths(keras) == _paths(keras_reference())


def test_name_scope_refuses_what_keras_refuses():
    for k in (keras, keras_reference()):
        with pytest.raises(ValueError, match="cannot contain character `/`"):
            k.name_scope("a/b")


def test_device_maps_keras_names_to_torch_devices():
    ref = keras_reference()
    with keras.device("cpu") as d, ref.device("cpu") as ref_d:
        x = keras.ops.zeros((2,))
        layer = keras.layers.Dense(2)
        layer(torch.ones(1, 3))
    assert d == ref_d == torch.device("cpu")
    assert x.device.type == "cpu" and layer.kernel.device.type == "cpu"
    with pytest.raises(ValueError, match="Expected a string like 'gpu:0'"):
        keras.device(0)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU is available"):
            keras.device("gpu:0")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_device_gpu_places_new_weights_on_cuda():
    with keras.device("gpu:0") as d:
        layer = keras.layers.Dense(2)
        layer(torch.ones(1, 3, device="cuda"))
    assert d == torch.device("cuda:0") and layer.kernel.device.type == "cuda"
