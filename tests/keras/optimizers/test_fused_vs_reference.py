"""The fused `_apply_foreach` path against the readable `update_step` reference."""

import numpy as np
import pytest

from capas.keras import optimizers

CASES = [
    ("SGD", {}),
    ("SGD", {"momentum": 0.9}),
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("RMSprop", {}),
    ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adam", {}),
    ("Adam", {"amsgrad": True}),
    ("AdamW", {"weight_decay": 0.2}),
    ("Adagrad", {}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Adamax", {}),
    ("Nadam", {}),
    ("Lion", {}),
    ("Ftrl", {}),
    ("Ftrl", {"l1_regularization_strength": 0.01, "l2_shrinkage_regularization_strength": 0.1, "beta": 0.3}),
    ("Lamb", {}),
    ("Adam", {"global_clipnorm": 0.5, "use_ema": True, "gradient_accumulation_steps": 2}),
]


@pytest.mark.parametrize("name,options", CASES, ids=[f"{n}-{o}" for n, o in CASES])
def test_fused_path_equals_reference_update_step(oracle, name, options):
    inits, grads = oracle.make_data(steps=11, seed=1)
    make = lambda m: getattr(m.optimizers, name)(**{"learning_rate": 0.05, **options})  # noqa: E731
    fused_opt, fused_vars = oracle.run_capas(make, inits, grads, fused=True)
    ref_opt, ref_vars = oracle.run_capas(make, inits, grads, fused=False)
    for a, b in zip(fused_vars + fused_opt.variables, ref_vars + ref_opt.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7, err_msg=a.path)


@pytest.mark.parametrize("name", [n for n, _ in CASES if n not in ("Adafactor",)])
def test_fused_path_never_calls_update_step(oracle, name, monkeypatch):
    inits, grads = oracle.make_data(steps=3)
    opt_cls = getattr(optimizers, name)

    def forbidden(*args, **kwargs):
        raise AssertionError(f"{name}.update_step ran on the fused path")

    monkeypatch.setattr(opt_cls, "update_step", forbidden)
    opt, _ = oracle.run_capas(lambda m: getattr(m.optimizers, name)(learning_rate=0.05), inits, grads)
    assert int(opt.iterations) == 3


def test_plan_is_cached_per_variable_list(oracle):
    inits, grads = oracle.make_data(steps=5)
    opt, variables = oracle.run_capas(lambda m: m.optimizers.Adam(learning_rate=0.05), inits, grads)
    assert len(opt._plans) == 1
    plan = next(iter(opt._plans.values()))
    assert len(plan.groups) == 1  # one (device, dtype) group holds all four variables
    assert plan.groups[0].variables == variables


def test_variables_of_different_dtypes_form_separate_groups():
    import capas
    import torch

    a = capas.Variable(np.ones((2, 2), "float32"), name="a")
    b = capas.Variable(np.ones((3,), "float64"), name="b")
    opt = optimizers.Adam(learning_rate=0.1)
    for _ in range(3):
        opt.apply_gradients([(torch.ones(2, 2), a), (torch.ones(3, dtype=torch.float64), b)])
    plan = next(iter(opt._plans.values()))
    assert len(plan.groups) == 2
    np.testing.assert_allclose(a.numpy(), b.numpy()[:2].reshape(1, 2).repeat(2, 0), rtol=1e-5)  # float32 vs float64
    assert opt.variables[2].dtype == torch.float32 and opt.variables[4].dtype == torch.float64
