"""Regularizers against keras.regularizers: penalties, configs, registry and errors."""

import inspect

import numpy as np
import pytest
import torch

from capas.keras import regularizers
from capas.keras.saving import object_registration


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


def _weights(shape, dtype):
    return np.random.default_rng(1).normal(size=shape).astype(dtype)


MAKERS = [
    lambda m: m.L1(),
    lambda m: m.L1(0.3),
    lambda m: m.L2(),
    lambda m: m.L2(l2=0.25),
    lambda m: m.L1L2(),
    lambda m: m.L1L2(l1=0.1),
    lambda m: m.L1L2(l2=0.2),
    lambda m: m.L1L2(l1=0.05, l2=0.5),
    lambda m: m.OrthogonalRegularizer(),
    lambda m: m.OrthogonalRegularizer(factor=0.5, mode="columns"),
]


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("shape", [(5, 7), (7, 5)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_penalty_matches_keras(keras, make, shape, dtype):
    w = _weights(shape, dtype)
    ours = make(regularizers)(torch.from_numpy(w))
    ref = make(keras.regularizers)(keras.ops.convert_to_tensor(w))
    assert isinstance(ours, torch.Tensor) and ours.shape == ()
    assert ours.dtype == torch.from_numpy(w).dtype
    # Keras rounds L1 and Orthogonal factors through float32; float64 weights show it.
    rtol = 1e-6 if dtype == "float32" else 1e-7
    np.testing.assert_allclose(_np(ours), _np(ref), rtol=rtol)


@pytest.mark.parametrize("make", MAKERS[:8])
@pytest.mark.parametrize("shape", [(3,), (2, 3, 4)])
def test_elementwise_penalties_take_any_rank(keras, make, shape):
    w = _weights(shape, "float32")
    np.testing.assert_allclose(
        _np(make(regularizers)(torch.from_numpy(w))), _np(make(keras.regularizers)(w)), rtol=1e-6
    )


def test_penalty_is_differentiable_and_stays_a_tensor():
    w = torch.randn(4, 3, requires_grad=True)
    penalty = regularizers.L1L2(l1=0.1, l2=0.2)(w)
    penalty.backward()
    expected = 0.1 * torch.sign(w) + 0.4 * w
    torch.testing.assert_close(w.grad, expected.detach())


def test_all_zero_factors_give_a_zero_tensor():
    out = regularizers.L1L2()(torch.ones(3, dtype=torch.float64))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float64 and out.item() == 0.0


@pytest.mark.parametrize("make", MAKERS)
def test_get_config_matches_keras(keras, make):
    ours, ref = make(regularizers).get_config(), make(keras.regularizers).get_config()
    assert ours.keys() == ref.keys()
    for key in ours:
        if isinstance(ours[key], float):
            np.testing.assert_allclose(ours[key], ref[key], rtol=1e-7)  # Keras rounds some via float32
        else:
            assert ours[key] == ref[key]


@pytest.mark.parametrize("make", MAKERS)
def test_serialize_round_trips_and_loads_in_keras(keras, make):
    config = regularizers.serialize(make(regularizers))
    ref = keras.regularizers.serialize(make(keras.regularizers))
    assert {k: v for k, v in config.items() if k != "config"} == {k: v for k, v in ref.items() if k != "config"}
    rebuilt = regularizers.deserialize(config)
    assert type(rebuilt) is type(make(regularizers)) and rebuilt.get_config() == config["config"]
    assert regularizers.get(config).get_config() == config["config"]
    keras_rebuilt = keras.regularizers.deserialize(config)
    assert type(keras_rebuilt).__name__ == type(rebuilt).__name__


def test_every_keras_name_resolves_to_the_same_class(keras):
    from keras.src.regularizers import ALL_OBJECTS_DICT

    for name, cls in ALL_OBJECTS_DICT.items():
        ours = regularizers.get(name)
        assert type(ours).__name__ == cls.__name__, name
        if cls.__name__ != "Regularizer":
            assert ours.get_config() == pytest.approx(keras.regularizers.get(name).get_config())


@pytest.mark.parametrize(
    "name,config", [("l1", {"l1": 0.01}), ("l2", {"l2": 0.01}), ("l1_l2", {"l1": 0.01, "l2": 0.01})]
)
def test_string_defaults(name, config):
    assert regularizers.get(name).get_config() == config


def test_public_names_match_keras(keras):
    def public(module):
        names = vars(module).items()
        return {n for n, v in names if not n.startswith("_") and not inspect.ismodule(v)}

    assert public(regularizers) == public(keras.regularizers)


def test_get_none_class_instance_and_callable():
    assert regularizers.get(None) is None
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)
    reg = regularizers.L1(0.5)
    assert regularizers.get(reg) is reg

    def penalty(w):
        return w.abs().max()

    assert regularizers.get(penalty) is penalty


def test_unknown_name_lists_the_closest_names():
    with pytest.raises(ValueError, match=r"Unknown regularizer: 'l3'.*'l[12]'"):
        regularizers.get("l3")


@pytest.mark.parametrize("bad", [0.01, 3, ["l2"]])
def test_bad_identifier_types_are_type_errors(bad):
    with pytest.raises(TypeError, match=r"Could not interpret regularizer identifier.*'l2'"):
        regularizers.get(bad)


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: regularizers.L1(-0.1), r"L1.*`l1`.*non-negative.*-0.1"),
        (lambda: regularizers.L2(float("nan")), r"L2.*`l2`.*nan"),
        (lambda: regularizers.L1L2(l2="big"), r"L1L2.*`l2`.*'big'"),
        (
            lambda: regularizers.OrthogonalRegularizer(factor=float("inf")),
            r"OrthogonalRegularizer.*`factor`",
        ),
        (
            lambda: regularizers.OrthogonalRegularizer(mode="diagonal"),
            r"OrthogonalRegularizer.*mode.*'diagonal'",
        ),
    ],
)
def test_argument_errors_name_the_regularizer(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_orthogonal_regularizer_needs_rank_two():
    with pytest.raises(ValueError, match=r"OrthogonalRegularizer.*rank 2.*\(2, 3, 4\)"):
        regularizers.OrthogonalRegularizer()(torch.zeros(2, 3, 4))


def test_base_regularizer_contract():
    assert regularizers.Regularizer()(torch.ones(2)).item() == 0.0
    with pytest.raises(NotImplementedError, match="Regularizer does not implement get_config"):
        regularizers.Regularizer().get_config()


class _MaxAbs(regularizers.Regularizer):
    def __init__(self, factor=1.0):
        self.factor = factor

    def __call__(self, x):
        return self.factor * x.abs().max()

    def get_config(self):
        return {"factor": self.factor}


def test_registered_custom_regularizer_round_trips():
    object_registration.register_keras_serializable(package="test_reg")(_MaxAbs)
    try:
        config = regularizers.serialize(_MaxAbs(2.0))
        assert config["registered_name"] == "test_reg>_MaxAbs"
        rebuilt = regularizers.deserialize(config)
        assert isinstance(rebuilt, _MaxAbs) and rebuilt.factor == 2.0
        assert isinstance(regularizers.get("test_reg>_MaxAbs"), _MaxAbs)
    finally:
        object_registration._GLOBAL_CUSTOM_OBJECTS.pop("test_reg>_MaxAbs", None)
        object_registration._GLOBAL_CUSTOM_NAMES.pop(_MaxAbs, None)
