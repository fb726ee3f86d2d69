"""The fused `_apply_foreach` path against the readable `update_step` reference."""

import numpy as np
import pytest

from capas.keras import optimizers
from tests.conftest import aten_ops_run

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


def _adam_kernels_run(opt, variables, grads):
    """The ATen ops one `apply_gradients` call runs, to see which Adam path it took."""
    return aten_ops_run(lambda: opt.apply_gradients(zip(grads, variables)))


def test_adam_takes_torchs_fused_kernel_with_keras_step_formula():
    """Eager float32 Adam on the CPU is one pass of `torch._fused_adam_` with its bias corrections made 1:
    the variables then move by Keras's `(m * alpha) / (sqrt(v) + epsilon)`, computed from the new moments
    with numpy's IEEE float32 ops, bit for bit, at every step."""
    import capas
    import torch

    rng = np.random.default_rng(7)
    variable = capas.Variable(rng.normal(size=(64, 33)).astype("float32"))
    opt = optimizers.Adam(learning_rate=0.01)
    m = v = np.zeros((64, 33), "float32")
    for step in range(1, 6):
        before, m_before, v_before = variable.numpy().copy(), m.copy(), v.copy()
        g = rng.normal(size=(64, 33)).astype("float32")
        ran = _adam_kernels_run(opt, [variable], [torch.from_numpy(g)])
        assert "aten::_fused_adam_" in ran and "aten::_foreach_addcdiv_" not in ran
        m, v = opt._momentums[0].numpy().copy(), opt._velocities[0].numpy().copy()
        # The moments, beta * m + (1 - beta) * g: within rounding of Keras's m + (g - m) * (1 - beta).
        np.testing.assert_allclose(m, m_before + (g - m_before) * np.float32(1 - 0.9), rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(v, v_before + (g * g - v_before) * np.float32(1 - 0.999), rtol=1e-6, atol=1e-9)
        one = np.float32(1)
        alpha = (
            np.float32(0.01)
            * np.sqrt(one - np.float32(0.999) ** np.float32(step))
            / (one - np.float32(0.9) ** np.float32(step))
        )
        np.testing.assert_array_equal(variable.numpy(), before - (m * alpha) / (np.sqrt(v) + np.float32(1e-7)))


def test_adam_fused_kernel_gets_contiguous_gradients():
    """torch's CPU fused Adam reads a gradient's memory in order; a transposed (non-contiguous) gradient
    must update exactly as its contiguous copy does."""
    import capas
    import torch

    rng = np.random.default_rng(8)
    init = rng.normal(size=(6, 4)).astype("float32")
    grads = [rng.normal(size=(4, 6)).astype("float32") for _ in range(3)]
    results = []
    for transposed in (True, False):
        variable = capas.Variable(init)
        opt = optimizers.Adam(learning_rate=0.1)
        for g in grads:
            grad = torch.from_numpy(g).t() if transposed else torch.from_numpy(np.ascontiguousarray(g.T))
            assert grad.is_contiguous() is not transposed
            opt.apply_gradients([(grad, variable)])
        results.append(variable.numpy())
    np.testing.assert_array_equal(results[0], results[1])


@pytest.mark.parametrize(
    "options,dtype",
    [({"amsgrad": True}, "float32"), ({"beta_2": 1.0}, "float32"), ({}, "float16")],
    ids=["amsgrad", "beta_2=1", "float16"],
)
def test_adam_keeps_the_foreach_update_where_the_fused_kernel_does_not_apply(options, dtype):
    import capas
    import torch

    variable = capas.Variable(np.ones((3, 5), dtype))
    opt = optimizers.Adam(learning_rate=0.01, **options)
    ran = _adam_kernels_run(opt, [variable], [torch.full((3, 5), 0.5, dtype=getattr(torch, dtype))])
    assert "aten::_fused_adam_" not in ran
    assert "aten::_foreach_addcdiv_" in ran  # the seven-pass foreach update
