"""One registry of built-ins: family packages register what configs may name; nothing else loads."""

import json

import pytest

from capas import keras as ck
from capas.keras.saving import object_registration, serialization_lib
from capas.keras.saving.serialization_lib import UnknownObjectError


def test_family_tables_hold_only_serialisable_objects():
    for family in object_registration.FAMILY_ORDER:
        table = object_registration.builtin_family(family)
        assert table, family
        for name, obj in table.items():
            assert not name.startswith("_")
            if isinstance(obj, type):
                assert callable(getattr(obj, "get_config", None)), (family, name)
            else:
                assert family in object_registration._FUNCTION_FAMILIES, (family, name)


@pytest.mark.parametrize(
    "name,module",
    [
        ("load_model", "keras.models"),
        ("clone_model", "keras.models"),
        ("save_model", "keras.models"),
        ("Input", "keras.layers"),
        ("concatenate", "keras.layers"),
        ("get", "keras.losses"),
    ],
)
def test_non_serialisable_public_names_are_not_loadable(name, module):
    assert name not in object_registration.builtin_objects()
    with pytest.raises(UnknownObjectError, match=f"Unknown (class|object) '{name}'"):
        serialization_lib.deserialize_keras_object({"module": module, "class_name": name, "config": {}})


def test_builtins_still_round_trip():
    inputs = ck.Input((3,))
    x = ck.layers.Dense(4, activation="relu", kernel_initializer="he_normal", kernel_regularizer="l2")(inputs)
    model = ck.Model(inputs, ck.layers.Dense(2, kernel_constraint="non_neg")(x))
    model.compile(
        optimizer=ck.optimizers.Adam(ck.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)),
        loss="mse",
        metrics=["mae"],
    )
    config = json.loads(json.dumps(serialization_lib.serialize_keras_object(model)))
    again = serialization_lib.deserialize_keras_object(config)
    assert [type(layer).__name__ for layer in again.layers] == [type(layer).__name__ for layer in model.layers]


def test_register_builtin_refuses_unknown_family():
    with pytest.raises(ValueError, match="unknown family"):
        object_registration.register_builtin("widgets")


def test_register_builtin_refuses_what_a_config_cannot_rebuild():
    class NoConfig:
        pass

    with pytest.raises(ValueError, match="has no get_config"):
        object_registration.register_builtin("layers")(NoConfig)

    def helper(x):
        return x

    with pytest.raises(ValueError, match="configs name classes only"):
        object_registration.register_builtin("layers")(helper)
    assert object_registration.builtin_lookup("layers", "helper") is None


def test_every_builtin_registers_at_its_definition():
    # The registry is filled by decorators where classes are defined, not by scanning namespaces:
    # each family's public classes are registered under their own names.
    for family, package in [
        ("layers", ck.layers),
        ("losses", ck.losses),
        ("metrics", ck.metrics),
        ("optimizers", ck.optimizers),
        ("initializers", ck.initializers),
    ]:
        for name in dir(package):
            obj = getattr(package, name)
            if (
                isinstance(obj, type)
                and not name.startswith("_")
                and callable(getattr(obj, "get_config", None))
                and obj.__module__.startswith("capas.")
                and name == obj.__name__
            ):
                assert object_registration.is_builtin(obj, family), (family, name)


def test_aliases_and_kinds_resolve_per_family():
    assert object_registration.builtin_lookup("losses", "mse") is ck.losses.mean_squared_error
    assert object_registration.builtin_lookup("metrics", "mse") is ck.metrics.MeanSquaredError
    assert (
        object_registration.builtin_lookup("metrics", "mean_squared_error", "function") is ck.metrics.mean_squared_error
    )
    assert object_registration.builtin_lookup("metrics", "mean_squared_error") is ck.metrics.MeanSquaredError
    assert object_registration.builtin_lookup("initializers", "glorot_uniform") is ck.initializers.GlorotUniform
