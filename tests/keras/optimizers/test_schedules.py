"""Learning rate schedules against `keras.optimizers.schedules`, and their registry."""

import numpy as np
import pytest
import torch

from capas.keras.optimizers import schedules

CASES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5, staircase=True)),
    ("PiecewiseConstantDecay", dict(boundaries=[3, 7, 12], values=[1.0, 0.5, 0.25, 0.1])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=10)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=6, end_learning_rate=0.01, power=2.0, cycle=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=4, decay_rate=0.5)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=4, decay_rate=0.5, staircase=True)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=10)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=10, alpha=0.2)),
    ("CosineDecay", dict(initial_learning_rate=0.01, decay_steps=10, warmup_target=0.1, warmup_steps=5)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=4)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=3, t_mul=1.0, m_mul=0.5, alpha=0.1)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=2, t_mul=3.0, m_mul=0.8)),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{sorted(k)}" for n, k in CASES])
def test_schedule_matches_keras(keras, name, kwargs):
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    for step in range(0, 30):
        for as_tensor in (torch.tensor(step, dtype=torch.int64), step):
            expected = float(keras.ops.convert_to_numpy(theirs(as_tensor)))
            got = ours(as_tensor)
            assert isinstance(got, torch.Tensor) and got.dtype == torch.float32 and got.dim() == 0
            np.testing.assert_allclose(float(got), expected, rtol=1e-6, atol=1e-9, err_msg=f"step {step}")


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{sorted(k)}" for n, k in CASES])
def test_schedule_config_round_trip_and_keras_format(keras, name, kwargs):
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    config = schedules.serialize(ours)
    assert config == keras.optimizers.schedules.serialize(theirs)
    again = schedules.deserialize(config)
    assert type(again) is type(ours) and again.get_config() == ours.get_config()
    # A config written by Keras loads in capas, and the reverse.
    assert schedules.deserialize(keras.optimizers.schedules.serialize(theirs)).get_config() == ours.get_config()
    assert keras.optimizers.schedules.deserialize(config).get_config() == theirs.get_config()


def test_user_schedule_subclass_works_and_serializes():
    from capas.keras.saving import object_registration

    @object_registration.register_keras_serializable(package="test_schedules")
    class Halving(schedules.LearningRateSchedule):
        def __init__(self, start):
            self.start = start

        def __call__(self, step):
            return self.start * 0.5 ** torch.as_tensor(step, dtype=torch.float32)

        def get_config(self):
            return {"start": self.start}

    config = schedules.serialize(Halving(0.8))
    assert config["registered_name"] == "test_schedules>Halving"
    again = schedules.deserialize(config)
    assert isinstance(again, Halving) and float(again(2)) == pytest.approx(0.2)
    assert schedules.get(again) is again


def test_base_schedule_methods_must_be_overridden():
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        schedules.LearningRateSchedule().get_config()


@pytest.mark.parametrize(
    "make",
    [
        lambda: schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5),
        lambda: schedules.PolynomialDecay(0.1, decay_steps=-1),
        lambda: schedules.InverseTimeDecay(0.1, decay_steps=0, decay_rate=0.5),
        lambda: schedules.CosineDecay(0.1, decay_steps=0),
        lambda: schedules.CosineDecayRestarts(0.1, first_decay_steps=0),
    ],
)
def test_non_positive_decay_steps_raise(make):
    with pytest.raises(ValueError, match="must be > 0"):
        make()


def test_piecewise_length_mismatch_names_both_lengths():
    with pytest.raises(ValueError, match=r"length 2.*length 2"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])


def test_unknown_schedule_name_lists_closest():
    with pytest.raises(ValueError, match="ExponentialDecay"):
        schedules.deserialize({"class_name": "ExponentialDecai", "config": {}})
    with pytest.raises(TypeError):
        schedules.get(3)
