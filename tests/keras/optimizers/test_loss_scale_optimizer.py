"""`LossScaleOptimizer` against Keras 3: skipped steps, scale growth and halving."""

import numpy as np
import pytest
import torch

import capas
from capas.keras import optimizers


def _grad_sequence(shapes, steps, bad_steps, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for k in range(steps):
        grads = [rng.normal(size=s).astype("float32") * 16.0 for s in shapes]
        if k in bad_steps:
            grads[k % len(grads)].flat[0] = np.inf if k % 2 else np.nan
        out.append(grads)
    return out


@pytest.mark.parametrize("inner", ["SGD", "Adam", "RMSprop"])
def test_matches_keras_with_skipped_steps(keras, oracle, inner):
    shapes = [(3, 2), (2,)]
    inits = [np.ones(s, "float32") for s in shapes]
    grads = _grad_sequence(shapes, steps=12, bad_steps={2, 3, 7})
    results = []
    for module, var_cls in ((keras, keras.Variable), (capas.keras, capas.Variable)):
        variables = [var_cls(x, name=f"v{i}") for i, x in enumerate(inits)]
        inner_opt = getattr(module.optimizers, inner)(learning_rate=0.05, name="inner")
        opt = module.optimizers.LossScaleOptimizer(inner_opt, initial_scale=8.0, dynamic_growth_steps=3, name="lso")
        scales = []
        for step in grads:
            opt.apply_gradients(zip([torch.tensor(g) for g in step], variables))
            scales.append(float(oracle.to_numpy(opt.dynamic_scale)))
        results.append((opt, variables, scales))
    (k_opt, k_vars, k_scales), (c_opt, c_vars, c_scales) = results
    assert c_scales == k_scales
    assert int(c_opt.iterations) == int(oracle.to_numpy(k_opt.iterations)) == 9
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)


def test_scale_loss_uses_the_dynamic_scale():
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=4.0)
    assert float(opt.scale_loss(torch.tensor(2.0))) == 8.0
    w = capas.Variable(1.0)
    opt.apply_gradients([(torch.tensor(float("inf")), w)])
    assert float(w.numpy()) == 1.0 and float(opt.dynamic_scale) == 2.0
    assert float(opt.scale_loss(torch.tensor(2.0))) == 4.0


def test_learning_rate_and_iterations_are_the_inner_optimizers():
    inner = optimizers.Adam(learning_rate=0.01)
    opt = optimizers.LossScaleOptimizer(inner)
    opt.learning_rate = 0.02
    assert float(inner.learning_rate) == pytest.approx(0.02)
    assert opt.iterations is inner.iterations
