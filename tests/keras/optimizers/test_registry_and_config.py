"""`get`/`serialize`/`deserialize` and `get_config`/`from_config` against Keras 3."""

import pytest

from capas.keras import optimizers
from capas.keras.saving import object_registration

NAMES = {
    "sgd": "SGD",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
    "adamax": "Adamax",
    "nadam": "Nadam",
    "adafactor": "Adafactor",
    "ftrl": "Ftrl",
    "lion": "Lion",
}


@pytest.mark.parametrize("identifier", sorted(NAMES) + sorted(NAMES.values()))
def test_get_by_name_returns_a_new_optimizer_with_keras_defaults(keras, identifier):
    ours = optimizers.get(identifier)
    theirs = keras.optimizers.get(identifier)
    assert type(ours).__name__ == NAMES.get(identifier, identifier)
    assert ours is not optimizers.get(identifier)
    expected = theirs.get_config()
    got = ours.get_config()
    expected.pop("name"), got.pop("name")
    assert got == expected


def test_get_passes_instances_and_none_through():
    opt = optimizers.SGD()
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None


def test_unknown_name_lists_the_closest_known_names():
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamm'.*'adam'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


CONFIGS = [
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True, "clipnorm": 1.0}),
    ("RMSprop", {"rho": 0.8, "centered": True, "use_ema": True, "ema_overwrite_frequency": 5}),
    ("Adam", {"amsgrad": True, "weight_decay": 0.01, "gradient_accumulation_steps": 4}),
    ("AdamW", {"weight_decay": 0.1, "global_clipnorm": 2.0}),
    ("Adagrad", {"initial_accumulator_value": 0.3, "clipvalue": 0.5}),
    ("Adadelta", {"rho": 0.9}),
    ("Adamax", {"beta_2": 0.99}),
    ("Nadam", {"epsilon": 1e-5, "loss_scale_factor": 8.0}),
    ("Adafactor", {"relative_step": False}),
    ("Ftrl", {"l1_regularization_strength": 0.1, "beta": 0.2}),
    ("Lion", {"beta_1": 0.8}),
    ("Lamb", {"beta_1": 0.8}),
]


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_config_equals_keras_and_round_trips(keras, name, kwargs):
    ours = getattr(optimizers, name)(name="opt", **kwargs)
    theirs = getattr(keras.optimizers, name)(name="opt", **kwargs)
    assert ours.get_config() == theirs.get_config()
    again = type(ours).from_config(ours.get_config())
    assert again.get_config() == ours.get_config()
    serialized = optimizers.serialize(ours)
    # Keras' torch backend writes its private torch subclass as `module`; the class and config agree.
    keras_serialized = keras.optimizers.serialize(theirs)
    assert serialized["class_name"] == keras_serialized["class_name"]
    assert serialized["config"] == keras_serialized["config"]
    assert serialized["module"] == "keras.optimizers" and serialized["registered_name"] is None
    assert optimizers.deserialize(keras_serialized).get_config() == ours.get_config()
    assert optimizers.deserialize(serialized).get_config() == ours.get_config()
    if name != "Lamb":  # keras.optimizers.deserialize does not list Lamb
        assert keras.optimizers.deserialize(serialized).get_config() == theirs.get_config()


def test_schedule_learning_rate_round_trips_through_config(keras):
    lr = optimizers.schedules.CosineDecay(0.1, decay_steps=100, warmup_target=0.2, warmup_steps=10)
    ours = optimizers.Adam(learning_rate=lr, name="opt")
    theirs = keras.optimizers.Adam(
        learning_rate=keras.optimizers.schedules.CosineDecay(0.1, decay_steps=100, warmup_target=0.2, warmup_steps=10),
        name="opt",
    )
    assert ours.get_config() == theirs.get_config()
    again = optimizers.Adam.from_config(ours.get_config())
    assert isinstance(again._learning_rate, optimizers.schedules.CosineDecay)
    assert again.get_config() == ours.get_config()


def test_registered_user_optimizer_resolves_by_name_and_config():
    @object_registration.register_keras_serializable(package="test_opt")
    class MySGD(optimizers.SGD):
        pass

    config = optimizers.serialize(MySGD(learning_rate=0.5))
    assert config["registered_name"] == "test_opt>MySGD"
    assert type(optimizers.deserialize(config)) is MySGD
    assert type(optimizers.get("test_opt>MySGD")) is MySGD
    assert (
        type(optimizers.deserialize({"class_name": "Custom", "config": {}}, custom_objects={"Custom": MySGD})) is MySGD
    )


def test_loss_scale_optimizer_config_round_trip(keras):
    ours = optimizers.LossScaleOptimizer(
        optimizers.Adam(name="inner"), initial_scale=8.0, dynamic_growth_steps=3, name="lso"
    )
    theirs = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.Adam(name="inner"), initial_scale=8.0, dynamic_growth_steps=3, name="lso"
    )
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    assert ours_config.pop("inner_optimizer")["config"] == theirs_config.pop("inner_optimizer")["config"]
    assert ours_config == theirs_config
    again = optimizers.deserialize(optimizers.serialize(ours))
    assert isinstance(again.inner_optimizer, optimizers.Adam)
    assert again.get_config() == ours.get_config()
