"""initializers.get / serialize / deserialize against keras.initializers."""

import inspect

import numpy as np
import pytest
import torch

from capas.keras import initializers
from capas.keras.saving import object_registration


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def test_public_names_match_keras(keras):
    def public(module):
        names = vars(module).items()
        return {n for n, v in names if not n.startswith("_") and not inspect.ismodule(v)}

    assert public(initializers) == public(keras.initializers)


def test_every_keras_name_resolves_to_the_same_class(keras):
    from keras.src.initializers import ALL_OBJECTS_DICT

    for name, cls in ALL_OBJECTS_DICT.items():
        ours = initializers.get(name)
        assert type(ours).__name__ == cls.__name__, name
        # Keras's get("constant") fails; its STFT() builds a hann window with scipy (absent here).
        if cls.__name__ not in ("Constant", "Identity", "STFT"):
            assert ours.get_config() == keras.initializers.get(name).get_config(), name


@pytest.mark.parametrize(
    "name",
    [
        "glorot_uniform",
        "he_normal",
        "random_normal",
        "zeros",
        "ones",
        "orthogonal",
        "lecun_uniform",
    ],
)
def test_lowercase_aliases_are_the_classes(name):
    assert isinstance(initializers.get(name), getattr(initializers, name))


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.GlorotUniform(seed=3),
        lambda m: m.HeNormal(),
        lambda m: m.RandomNormal(mean=1.0, stddev=2.0, seed=1),
        lambda m: m.RandomUniform(minval=-1.0, maxval=1.0),
        lambda m: m.TruncatedNormal(stddev=0.2, seed=9),
        lambda m: m.VarianceScaling(scale=3.0, mode="fan_out", distribution="uniform"),
        lambda m: m.Orthogonal(gain=0.5),
        lambda m: m.Constant(4.0),
        lambda m: m.Zeros(),
        lambda m: m.Ones(),
        lambda m: m.LecunNormal(seed=2),
    ],
)
def test_serialize_matches_keras_and_round_trips(keras, make):
    ours = initializers.serialize(make(initializers))
    assert ours == keras.initializers.serialize(make(keras.initializers))
    rebuilt = initializers.deserialize(ours)
    assert type(rebuilt) is type(make(initializers))
    assert initializers.serialize(rebuilt) == ours
    assert initializers.get(ours).get_config() == rebuilt.get_config()
    # A capas config loads in Keras, too.
    assert keras.initializers.deserialize(ours).get_config() == make(keras.initializers).get_config()


def test_legacy_config_without_module_loads():
    init = initializers.deserialize({"class_name": "GlorotUniform", "config": {"seed": None}})
    assert isinstance(init, initializers.GlorotUniform)


def test_get_none_class_instance_and_callable():
    assert initializers.get(None) is None
    assert isinstance(initializers.get(initializers.HeUniform), initializers.HeUniform)
    inst = initializers.Ones()
    assert initializers.get(inst) is inst

    def fn(shape, dtype=None):
        return torch.full(shape, 7.0)

    assert initializers.get(fn) is fn


@pytest.mark.parametrize("values", [np.arange(6, dtype="float32").reshape(2, 3), torch.ones(2, 3)])
def test_get_tensor_uses_its_values(values):
    init = initializers.get(values)
    out = init((2, 3), dtype="float64")
    assert out.dtype == torch.float64
    np.testing.assert_array_equal(out.numpy(), np.asarray(values, dtype="float64"))
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*shape \(3, 2\)"):
        init((3, 2))


def test_unknown_name_lists_the_closest_names():
    with pytest.raises(ValueError, match=r"Unknown initializer: 'glorot_unifrom'.*'glorot_uniform'"):
        initializers.get("glorot_unifrom")


def test_unknown_class_name_in_a_config():
    with pytest.raises(ValueError, match=r"Unknown initializer: 'HeNormall'.*'HeNormal'"):
        initializers.deserialize({"class_name": "HeNormall", "config": {}})


@pytest.mark.parametrize("bad", [3, 2.5, ["zeros"], object()])
def test_bad_identifier_types_are_type_errors(bad):
    with pytest.raises(TypeError, match=r"Could not interpret initializer identifier.*glorot_uniform"):
        initializers.get(bad)


def test_bad_config_shapes():
    with pytest.raises(ValueError, match="class_name"):
        initializers.deserialize({"config": {}})
    with pytest.raises(TypeError, match="'config' must be a dict"):
        initializers.deserialize({"class_name": "Zeros", "config": [1]})
    with pytest.raises(TypeError, match="expected a name"):
        initializers.deserialize(5)


def test_serialize_refuses_plain_functions():
    with pytest.raises(TypeError, match=r"code is never saved"):
        initializers.serialize(lambda shape, dtype=None: None)


class _Twos(initializers.Initializer):
    def __init__(self, scale=1.0):
        self.scale = scale

    def __call__(self, shape, dtype=None):
        return torch.full(shape, 2.0 * self.scale)

    def get_config(self):
        return {"scale": self.scale}


def test_registered_custom_initializer_round_trips():
    object_registration.register_keras_serializable(package="test_init")(_Twos)
    try:
        config = initializers.serialize(_Twos(3.0))
        assert config["registered_name"] == "test_init>_Twos"
        assert config["class_name"] == "_Twos"
        rebuilt = initializers.deserialize(config)
        assert isinstance(rebuilt, _Twos) and rebuilt.scale == 3.0
        assert isinstance(initializers.get("test_init>_Twos"), _Twos)
    finally:
        object_registration._GLOBAL_CUSTOM_OBJECTS.pop("test_init>_Twos", None)
        object_registration._GLOBAL_CUSTOM_NAMES.pop(_Twos, None)


def test_custom_objects_and_scopes_resolve():
    config = {"class_name": "_Twos", "config": {"scale": 2.0}}
    assert initializers.deserialize(config, custom_objects={"_Twos": _Twos}).scale == 2.0
    with object_registration.custom_object_scope({"_Twos": _Twos}):
        assert isinstance(initializers.get("_Twos"), _Twos)
