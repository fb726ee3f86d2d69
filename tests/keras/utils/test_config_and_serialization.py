"""keras.utils.Config and keras.utils.(de)serialize_keras_object against the `keras` package."""

import json

import pytest

from capas import keras
from tests.conftest import keras_reference


def _exercise(k):
    config = k.utils.Config(learning_rate=0.1, momentum=0.9)
    config.seed = 123
    config["zeta"] = 1
    out = {
        "attr": (config.learning_rate, config.seed, config["zeta"]),
        "iter": list(config),
        "len": len(config),
        "keys": list(config.keys()),
        "items": list(config.items()),
        "dict": config.as_dict(),
        "json": json.loads(config.to_json()),
        "contains": ("seed" in config, "nope" in config),
        "get": (config.get("seed"), config.get("nope", 7)),
        "pop": config.pop("zeta"),
        "repr": repr(config),
    }
    config.update(extra=2)
    del config["extra"]
    config.freeze()
    errors = []
    for change in (
        lambda: setattr(config, "x", 1),
        lambda: config.__setitem__("x", 1),
        lambda: config.update(x=1),
        lambda: config.pop("seed"),
        lambda: config.__delitem__("seed"),
    ):
        with pytest.raises(ValueError) as info:
            change()
        errors.append(str(info.value))
    out["errors"] = errors
    out["frozen"] = config.frozen
    config.unfreeze()
    config.x = 5
    out["after"] = config.as_dict()
    with pytest.raises(AttributeError) as info:
        config.learning_rat  # noqa: B018
    out["typo"] = str(info.value)
    return out


def test_config_behaves_as_keras_config():
    assert _exercise(keras) == _exercise(keras_reference())


@pytest.mark.parametrize(
    "make",
    [
        lambda k: k.layers.Dense(3, activation="relu", name="d"),
        lambda k: k.metrics.Mean(name="m"),
        lambda k: k.losses.MeanSquaredError(),
        lambda k: k.initializers.GlorotUniform(seed=1),
        lambda k: k.regularizers.L1L2(l1=0.1, l2=0.2),
    ],
)
def test_serialize_keras_object_matches_keras_and_round_trips(make):
    ref = keras_reference()
    mine, theirs = keras.utils.serialize_keras_object(make(keras)), ref.utils.serialize_keras_object(make(ref))
    assert mine == theirs
    back = keras.utils.deserialize_keras_object(theirs)
    assert keras.utils.serialize_keras_object(back) == theirs


def test_utils_names_are_the_saving_functions():
    assert keras.utils.serialize_keras_object is keras.saving.serialize_keras_object
    assert keras.utils.deserialize_keras_object is keras.saving.deserialize_keras_object
