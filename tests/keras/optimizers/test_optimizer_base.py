"""The base `Optimizer` contract: minimize, iterations, learning rate, EMA, state exchange with Keras."""

import numpy as np
import pytest
import torch

import capas
from capas.keras import optimizers


def test_minimize_with_a_callable_loss_matches_apply_gradients():
    w = capas.Variable([1.0, -2.0], name="w")
    opt = optimizers.SGD(learning_rate=0.1)
    opt.minimize(lambda: torch.sum(w * w), [w])
    np.testing.assert_allclose(w.numpy(), [0.8, -1.6], rtol=1e-6)
    assert int(opt.iterations) == 1


def test_minimize_with_a_tape():
    w = capas.Variable([1.0, -2.0], name="w")
    opt = optimizers.SGD(learning_rate=0.1)
    with capas.GradientTape() as tape:
        loss = torch.sum(w * w)
    opt.minimize(loss, [w], tape=tape)
    np.testing.assert_allclose(w.numpy(), [0.8, -1.6], rtol=1e-6)


def test_minimize_tensor_without_tape_or_graph_raises():
    w = capas.Variable(1.0, name="w")
    with pytest.raises(ValueError, match="tape"):
        optimizers.SGD().minimize(torch.tensor(1.0), [w])


def test_iterations_is_an_int64_variable_counting_steps():
    w = capas.Variable(1.0)
    opt = optimizers.Adam()
    assert isinstance(opt.iterations, capas.Variable) and opt.iterations.dtype == torch.int64
    assert opt.variables[0] is opt.iterations
    for _ in range(3):
        opt.apply_gradients([(torch.tensor(1.0), w)])
    assert int(opt.iterations) == 3


def test_iterations_counts_updates_with_gradient_accumulation(keras):
    steps = 7
    ours = optimizers.SGD(gradient_accumulation_steps=3)
    theirs = keras.optimizers.SGD(gradient_accumulation_steps=3)
    w_ours, w_theirs = capas.Variable(1.0), keras.Variable(1.0)
    for _ in range(steps):
        ours.apply_gradients([(torch.tensor(1.0), w_ours)])
        theirs.apply_gradients([(torch.tensor(1.0), w_theirs)])
    assert int(ours.iterations) == int(keras.ops.convert_to_numpy(theirs.iterations)) == 2


def test_learning_rate_property_forms():
    opt = optimizers.SGD(learning_rate=0.5)
    assert isinstance(opt.learning_rate, capas.Variable) and float(opt.learning_rate) == 0.5
    opt.learning_rate = 0.25
    assert float(opt.learning_rate) == 0.25 and opt.variables[1] is opt.learning_rate
    opt.learning_rate = lambda: 0.125
    assert opt.learning_rate == 0.125 and len(opt.variables) == 1
    sched = optimizers.schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    opt = optimizers.SGD(learning_rate=sched)
    w = capas.Variable(1.0)
    opt.apply_gradients([(torch.tensor(1.0), w)])
    opt.apply_gradients([(torch.tensor(1.0), w)])
    assert isinstance(opt.learning_rate, torch.Tensor) and float(opt.learning_rate) == 0.25
    np.testing.assert_allclose(w.numpy(), 1.0 - 1.0 - 0.5, rtol=1e-6)


def test_finalize_variable_values_swaps_in_the_moving_average(keras, oracle):
    inits, grads = oracle.make_data(steps=6)
    make = lambda m: m.optimizers.Adam(learning_rate=0.1, use_ema=True, ema_momentum=0.7, name="opt")  # noqa: E731
    k_opt, k_vars = oracle.run_keras(keras, make, inits, grads)
    c_opt, c_vars = oracle.run_capas(make, inits, grads)
    k_opt.finalize_variable_values(k_vars)
    c_opt.finalize_variable_values(c_vars)
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)


def test_constraints_are_applied_after_the_update():
    w = capas.Variable([1.0, -1.0], name="w", constraint=lambda v: torch.clamp(v, min=0.0))
    optimizers.SGD(learning_rate=1.0).apply_gradients([(torch.tensor([0.5, 0.5]), w)])
    np.testing.assert_allclose(w.numpy(), [0.5, 0.0])


def test_gradients_are_not_modified_in_place():
    w = capas.Variable(np.ones((3,), "float32"))
    g = torch.tensor([10.0, -10.0, 1.0])
    before = g.clone()
    opt = optimizers.Adam(clipnorm=0.5, weight_decay=0.1, loss_scale_factor=2.0, gradient_accumulation_steps=2)
    for _ in range(4):
        opt.apply_gradients([(g, w)])
    torch.testing.assert_close(g, before)


def test_gradient_dtype_is_cast_to_the_variable_dtype():
    w = capas.Variable(np.ones((2,), "float32"))
    optimizers.SGD(learning_rate=0.5).apply_gradients([(torch.ones(2, dtype=torch.float64), w)])
    assert w.dtype == torch.float32
    np.testing.assert_allclose(w.numpy(), [0.5, 0.5])


@pytest.mark.parametrize("name", ["SGD", "Adam", "Nadam", "RMSprop", "Adafactor", "Ftrl"])
def test_state_moves_between_capas_and_keras(keras, oracle, name):
    """save_own_variables/load_own_variables exchange state with Keras 3 (the .keras layout)."""
    inits, grads = oracle.make_data(steps=8)
    options = {"momentum": 0.9} if name in ("SGD", "RMSprop") else {}
    make = lambda m: getattr(m.optimizers, name)(learning_rate=0.05, name="opt", **options)  # noqa: E731
    k_ref, k_ref_vars = oracle.run_keras(keras, make, inits, grads)
    # capas trains the first half, Keras loads its state (and weights) and trains the second half.
    c_opt, c_vars = oracle.run_capas(make, inits, grads[:4])
    store = {}
    c_opt.save_own_variables(store)
    k_vars = [keras.Variable(v.numpy(), name=f"v{i}") for i, v in enumerate(c_vars)]
    k_opt = make(keras)
    k_opt.build(k_vars)
    k_opt.load_own_variables(store)
    for step in grads[4:]:
        k_opt.apply_gradients(zip([torch.tensor(g) for g in step], k_vars))
    for a, b in zip(k_vars, k_ref_vars):
        np.testing.assert_allclose(oracle.to_numpy(a.value), oracle.to_numpy(b.value), rtol=1e-6, atol=1e-7)
    # And back: Keras' state loads into capas.
    store = {}
    k_ref.save_own_variables(store)
    c_new = make(capas.keras)
    c_new.build(c_vars)
    c_new.load_own_variables(store)
    # (built outside apply, Nadam's and Adafactor's unnamed variables get no scope; Keras' here did)
    oracle.assert_state_close(c_new, k_ref, [], [], check_paths=False)


def test_load_own_variables_with_a_wrong_count_warns_and_skips():
    opt = optimizers.Adam()
    opt.build([capas.Variable(1.0)])
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        opt.load_own_variables({"0": np.array(3)})
    assert int(opt.iterations) == 0


def test_exclude_from_weight_decay_by_variable_and_by_name_pattern():
    a = capas.Variable(np.ones(2, "float32"), name="kernel")
    b = capas.Variable(np.ones(2, "float32"), name="bias")
    c = capas.Variable(np.ones(2, "float32"), name="gamma")
    opt = optimizers.SGD(learning_rate=0.5, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_list=[c], var_names=["^bi"])
    zero = torch.zeros(2)
    opt.apply_gradients([(zero, a), (zero, b), (zero, c)])
    np.testing.assert_allclose(a.numpy(), 1 - 0.1 * 0.5, rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), 1.0)
    np.testing.assert_allclose(c.numpy(), 1.0)


def test_user_optimizer_with_build_and_update_step_only(keras):
    """A Keras-3-style custom optimizer runs on the reference path and matches the same class in Keras."""

    def define(base):
        class MomentumSGD(base):
            def __init__(self, learning_rate=0.1, **kwargs):
                super().__init__(learning_rate=learning_rate, **kwargs)
                self.momentum = 0.9

            def build(self, variables):
                super().build(variables)
                self.momentums = [self.add_variable_from_reference(v, name="momentum") for v in variables]

            def update_step(self, gradient, variable, learning_rate):
                m = self.momentums[self._get_variable_index(variable)]
                self.assign(m, m * self.momentum - gradient * learning_rate)
                self.assign_add(variable, m)

        return MomentumSGD

    ours, theirs = define(optimizers.Optimizer)(name="opt"), define(keras.optimizers.Optimizer)(name="opt")
    w_ours, w_theirs = capas.Variable([1.0, 2.0], name="w"), keras.Variable(np.array([1.0, 2.0], "float32"), name="w")
    for g in ([1.0, -1.0], [0.5, 0.5], [2.0, 0.0]):
        ours.apply_gradients([(torch.tensor(g), w_ours)])
        theirs.apply_gradients([(torch.tensor(g), w_theirs)])
    np.testing.assert_allclose(w_ours.numpy(), keras.ops.convert_to_numpy(w_theirs.value), rtol=1e-6)
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
