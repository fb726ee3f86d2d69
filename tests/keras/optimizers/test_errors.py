"""Bad input gets errors that name the optimizer, the variable, and what was received."""

import numpy as np
import pytest
import torch

import capas
from capas.keras import optimizers


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("-inf")])
@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_negative_or_nan_learning_rate_raises_at_construction(name, bad):
    with pytest.raises(ValueError, match=rf"{name} .*learning_rate.*non-negative.*{bad}"):
        getattr(optimizers, name)(learning_rate=bad)


def test_negative_or_nan_learning_rate_raises_when_set():
    opt = optimizers.Adam(learning_rate=0.1, name="my_adam")
    for bad in (-1.0, float("nan")):
        with pytest.raises(ValueError, match="Adam 'my_adam'.*learning_rate"):
            opt.learning_rate = bad
    assert float(opt.learning_rate) == pytest.approx(0.1)


def test_non_numeric_learning_rate_is_a_type_error():
    with pytest.raises(TypeError, match="learning_rate.*'fast'"):
        optimizers.SGD(learning_rate="fast")


def test_schedule_learning_rate_is_not_settable_to_a_float():
    opt = optimizers.SGD(learning_rate=optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


def test_gradient_shape_mismatch_names_variable_and_shapes_before_any_change():
    a = capas.Variable(np.ones((3, 2), "float32"), name="kernel")
    b = capas.Variable(np.ones((2,), "float32"), name="bias")
    opt = optimizers.Adam(learning_rate=0.1, name="opt")
    with pytest.raises(ValueError, match=r"'bias'.*shape \(3,\).*shape \(2,\)"):
        opt.apply_gradients([(torch.ones(3, 2), a), (torch.ones(3), b)])
    np.testing.assert_array_equal(a.numpy(), np.ones((3, 2)))
    assert int(opt.iterations) == 0
    opt.apply_gradients([(torch.ones(3, 2), a), (torch.ones(2), b)])
    with pytest.raises(ValueError, match=r"'kernel'.*shape \(2, 3\).*shape \(3, 2\)"):
        opt.apply_gradients([(torch.ones(2, 3), a), (torch.ones(2), b)])
    assert int(opt.iterations) == 1


@pytest.mark.parametrize("name", ["SGD", "Adam", "Lion", "Ftrl"])
def test_unknown_keyword_argument_is_a_type_error(name):
    with pytest.raises(TypeError, match=rf"{name}\(\) got unexpected keyword arguments \['lr'\]"):
        getattr(optimizers, name)(lr=0.1)


def test_only_one_clipping_argument():
    with pytest.raises(ValueError, match="only one of `clipnorm`, `clipvalue` and `global_clipnorm`"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"gradient_accumulation_steps": 1}, "gradient_accumulation_steps"),
        ({"use_ema": True, "ema_momentum": 1.5}, "ema_momentum"),
        ({"use_ema": True, "ema_overwrite_frequency": 0.5}, "ema_overwrite_frequency"),
        ({"momentum": 1.5}, "momentum"),
    ],
)
def test_invalid_base_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.SGD(**kwargs)


def test_optimizer_specific_argument_checks():
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="learning_rate_power"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength"):
        optimizers.Ftrl(l1_regularization_strength=-1.0)


def test_unknown_variable_after_build():
    a = capas.Variable(1.0, name="a")
    b = capas.Variable(1.0, name="stranger")
    opt = optimizers.SGD(name="opt")
    opt.apply_gradients([(torch.tensor(1.0), a)])
    with pytest.raises(ValueError, match="unknown variable 'stranger'.*new optimizer"):
        opt.apply_gradients([(torch.tensor(1.0), b)])


def test_all_gradients_none():
    a = capas.Variable(1.0, name="a")
    with pytest.raises(ValueError, match="no gradients provided for any variable"):
        optimizers.SGD(name="opt").apply_gradients([(None, a)])


def test_apply_without_variables_before_build():
    with pytest.raises(ValueError, match="optimizer.build"):
        optimizers.SGD().apply([torch.tensor(1.0)])


def test_gradient_count_mismatch():
    a = capas.Variable(1.0, name="a")
    opt = optimizers.SGD()
    opt.build([a])
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        opt.apply([torch.tensor(1.0), torch.tensor(1.0)])


def test_exclude_from_weight_decay_after_build_raises():
    opt = optimizers.AdamW()
    opt.build([capas.Variable(1.0)])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["bias"])


def test_loss_scale_optimizer_rejects_base_arguments_and_non_optimizers():
    with pytest.raises(ValueError, match="does not support `clipnorm`"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(ValueError, match="dynamic=False"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic=False)
    with pytest.raises(TypeError, match="inner_optimizer"):
        optimizers.LossScaleOptimizer("sgd")
