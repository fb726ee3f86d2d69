"""Constraints against keras.constraints: projections, configs, registry and errors."""

import inspect

import numpy as np
import pytest
import torch

from capas.keras import constraints
from capas.keras.saving import object_registration


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


def _weights(shape, dtype="float32"):
    return np.random.default_rng(2).normal(scale=2.0, size=shape).astype(dtype)


MAKERS = [
    lambda m: m.MaxNorm(),
    lambda m: m.MaxNorm(max_value=0.5, axis=1),
    lambda m: m.MaxNorm(max_value=3, axis=[0, 1, 2]),
    lambda m: m.MinMaxNorm(),
    lambda m: m.MinMaxNorm(min_value=1.0, max_value=2.0, rate=0.5, axis=1),
    lambda m: m.MinMaxNorm(min_value=0.5, max_value=4.0, axis=[0, 1, 2]),
    lambda m: m.NonNeg(),
    lambda m: m.UnitNorm(),
    lambda m: m.UnitNorm(axis=1),
    lambda m: m.UnitNorm(axis=[0, 1, 2]),
]


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_projection_matches_keras(keras, make, dtype):
    shape = (3, 3, 4, 5) if "[0, 1, 2]" in repr(make(constraints)) else (6, 5)
    w = _weights(shape, dtype)
    ours = make(constraints)(torch.from_numpy(w))
    ref = make(keras.constraints)(keras.ops.convert_to_tensor(w))
    assert ours.dtype == torch.from_numpy(w).dtype and ours.shape == shape
    # Keras's NonNeg returns float32 for float64 weights; capas keeps float64.
    tol = 1e-12 if _np(ref).dtype == np.float64 else 1e-6
    np.testing.assert_allclose(_np(ours), _np(ref), rtol=tol, atol=tol)


def test_works_on_variables_in_place_assign_style():
    w = torch.nn.Parameter(torch.randn(4, 3) * 5)
    with torch.no_grad():
        w.copy_(constraints.MaxNorm(1.0)(w))
    assert (torch.linalg.vector_norm(w, dim=0) <= 1.0 + 1e-6).all()


@pytest.mark.parametrize("make", MAKERS)
def test_get_config_and_serialize_match_keras(keras, make):
    ours, ref = make(constraints), make(keras.constraints)
    assert ours.get_config() == ref.get_config()
    config = constraints.serialize(ours)
    assert config == keras.constraints.serialize(ref)
    rebuilt = constraints.deserialize(config)
    assert type(rebuilt) is type(ours) and rebuilt.get_config() == ours.get_config()
    assert constraints.get(config).get_config() == ours.get_config()
    assert keras.constraints.deserialize(config).get_config() == ref.get_config()


def test_every_keras_name_resolves_to_the_same_class(keras):
    from keras.src.constraints import ALL_OBJECTS_DICT

    for name, cls in ALL_OBJECTS_DICT.items():
        ours = constraints.get(name)
        assert type(ours).__name__ == cls.__name__, name
        assert ours.get_config() == keras.constraints.get(name).get_config()


def test_public_names_match_keras(keras):
    def public(module):
        names = vars(module).items()
        return {n for n, v in names if not n.startswith("_") and not inspect.ismodule(v)}

    assert public(constraints) == public(keras.constraints)


def test_get_none_class_instance_and_callable():
    assert constraints.get(None) is None
    assert isinstance(constraints.get(constraints.NonNeg), constraints.NonNeg)
    c = constraints.UnitNorm(axis=1)
    assert constraints.get(c) is c

    def clip(w):
        return w.clamp(-1, 1)

    assert constraints.get(clip) is clip


def test_base_constraint_is_the_identity():
    w = torch.randn(3)
    assert constraints.Constraint()(w) is w
    assert constraints.Constraint().get_config() == {}


def test_unknown_name_lists_the_closest_names():
    with pytest.raises(ValueError, match=r"Unknown constraint: 'maxnorm'.*'max_norm'"):
        constraints.get("maxnorm")


@pytest.mark.parametrize("bad", [2, 0.5, ("max_norm",)])
def test_bad_identifier_types_are_type_errors(bad):
    with pytest.raises(TypeError, match=r"Could not interpret constraint identifier.*'max_norm'"):
        constraints.get(bad)


class _Clip(constraints.Constraint):
    def __init__(self, limit=1.0):
        self.limit = limit

    def __call__(self, w):
        return w.clamp(-self.limit, self.limit)

    def get_config(self):
        return {"limit": self.limit}


def test_registered_custom_constraint_round_trips():
    object_registration.register_keras_serializable(package="test_con")(_Clip)
    try:
        config = constraints.serialize(_Clip(0.5))
        assert config["registered_name"] == "test_con>_Clip"
        rebuilt = constraints.deserialize(config)
        assert isinstance(rebuilt, _Clip) and rebuilt.limit == 0.5
    finally:
        object_registration._GLOBAL_CUSTOM_OBJECTS.pop("test_con>_Clip", None)
        object_registration._GLOBAL_CUSTOM_NAMES.pop(_Clip, None)
