"""activations.get / serialize / deserialize against keras.activations."""

import functools
import inspect

import pytest
import torch

from capas.keras import activations
from capas.keras.saving import object_registration


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def test_every_keras_name_resolves_to_the_same_function(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    for name, fn in ALL_OBJECTS_DICT.items():
        ours = activations.get(name)
        assert ours.__name__ == fn.__name__, name
        assert ours is getattr(activations, name)


def test_public_names_match_keras(keras):
    def public(module):
        names = vars(module).items()
        return {n for n, v in names if not n.startswith("_") and not inspect.ismodule(v)}

    assert public(activations) == public(keras.activations)


def test_serialize_matches_keras(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    for name in ALL_OBJECTS_DICT:
        ours = activations.serialize(getattr(activations, name))
        assert ours == keras.activations.serialize(getattr(keras.activations, name)), name
        assert activations.deserialize(ours) is activations.get(name)


def test_get_none_is_linear_and_callables_pass_through():
    assert activations.get(None) is activations.linear

    def double(x):
        return 2 * x

    assert activations.get(double) is double
    assert activations.get(torch.nn.ReLU) is not torch.nn.ReLU  # classes are instantiated
    assert isinstance(activations.get(torch.nn.ReLU), torch.nn.ReLU)


def test_function_config_resolves():
    config = {
        "module": "keras.activations",
        "class_name": "function",
        "config": "gelu",
        "registered_name": None,
    }
    assert activations.deserialize(config) is activations.gelu
    assert activations.get(config) is activations.gelu


def _triple(x):
    return 3 * x


def test_registered_function_round_trips_like_keras(keras):
    object_registration.register_keras_serializable(package="test_act")(_triple)
    try:
        config = activations.serialize(_triple)
        assert config == {
            "module": "builtins",
            "class_name": "function",
            "config": "test_act>_triple",
            "registered_name": "function",
        }
        assert activations.deserialize(config) is _triple
        assert activations.get("test_act>_triple") is _triple
    finally:
        object_registration._GLOBAL_CUSTOM_OBJECTS.pop("test_act>_triple", None)
        object_registration._GLOBAL_CUSTOM_NAMES.pop(_triple, None)


def test_unregistered_function_resolves_through_custom_objects():
    config = activations.serialize(_triple)
    assert config["config"] == "_triple"
    assert activations.deserialize(config, custom_objects={"_triple": _triple}) is _triple
    with pytest.raises(ValueError, match=r"Unknown activation: '_triple'"):
        activations.deserialize(config)


class _Scaled:
    def __init__(self, factor=2.0):
        self.factor = factor

    def __call__(self, x):
        return self.factor * x

    def get_config(self):
        return {"factor": self.factor}


def test_callable_objects_serialize_by_class():
    config = activations.serialize(_Scaled(4.0))
    assert config["class_name"] == "_Scaled" and config["config"] == {"factor": 4.0}
    rebuilt = activations.deserialize(config, custom_objects={"_Scaled": _Scaled})
    assert isinstance(rebuilt, _Scaled) and rebuilt.factor == 4.0


def test_lambda_cannot_be_serialized():
    with pytest.raises(ValueError, match=r"lambda.*register_keras_serializable"):
        activations.serialize(lambda x: x)


def test_objects_without_config_cannot_be_serialized():
    with pytest.raises(ValueError, match=r"Cannot serialize the activation"):
        activations.serialize(functools.partial(activations.relu, max_value=1.0))


def test_unknown_name_lists_the_closest_names():
    with pytest.raises(ValueError, match=r"Unknown activation: 'rellu'.*'relu'"):
        activations.get("rellu")
    with pytest.raises(ValueError, match=r"Unknown activation: 'Softmax'.*'softmax'"):
        activations.get("Softmax")


@pytest.mark.parametrize("bad", [3, 1.5, ["relu"], object()])
def test_bad_identifier_types_are_type_errors(bad):
    with pytest.raises(TypeError, match=r"Could not interpret activation identifier.*'relu'"):
        activations.get(bad)


def test_a_layer_used_as_activation_round_trips_through_keras_saving():
    from capas.keras import layers

    config = activations.serialize(layers.Activation("tanh"))
    assert config["module"] == "keras.layers" and config["class_name"] == "Activation"
    rebuilt = activations.get(config)
    assert isinstance(rebuilt, layers.Activation)
    x = torch.linspace(-2, 2, 5)
    torch.testing.assert_close(rebuilt(x), torch.tanh(x))
