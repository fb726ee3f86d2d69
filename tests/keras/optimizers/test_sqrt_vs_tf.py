"""The optimizers' square roots and steps against TensorFlow's (recorded by tests/goldens/optimizers/record.py).

torch's CPU `sqrt` (MKL vector math, high-accuracy mode) is off by one ulp in about one
result in five; TensorFlow's is the correctly rounded root. capas's optimizers take
theirs through `capas/keras/optimizers/_sqrt.py`, which must give TF's bits.
"""

import json
import pathlib

import numpy as np
import pytest
import torch

import capas
from capas.keras import optimizers
from capas.keras.optimizers import _sqrt
from capas.keras.trainers._denormals import flushing_denormals
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).parents[2] / "goldens" / "optimizers"
cases = load_cases(GOLDENS)
RECORDED = json.loads((GOLDENS / "goldens.json").read_text())
TF_BITS = np.array(RECORDED["sqrt_bits"], dtype=np.uint32)


def _bits(tensor):
    return tensor.numpy().view(np.uint32)


def test_square_roots_are_tensorflows_bit_for_bit_inside_fit():
    # fit flushes denormals as TensorFlow does on the CPU, so their roots are 0 there too
    values = torch.from_numpy(cases.sqrt_inputs())
    with flushing_denormals():
        out_of_place = _sqrt.foreach_sqrt([values])[0]
        in_place = values.clone()
        _sqrt.foreach_sqrt_([in_place])
    np.testing.assert_array_equal(_bits(out_of_place), TF_BITS)
    np.testing.assert_array_equal(_bits(in_place), TF_BITS)


def test_square_roots_of_normal_numbers_are_tensorflows_outside_fit_too():
    inputs = cases.sqrt_inputs()
    normal = inputs >= np.finfo(np.float32).tiny
    roots = _sqrt.sqrt(torch.from_numpy(inputs[normal]))
    np.testing.assert_array_equal(_bits(roots), TF_BITS[normal])


def test_variables_and_zero_d_tensors_are_read_in_place_not_copied():
    slot = capas.Variable([4.0, 9.0])
    scalar = torch.tensor(16.0)
    assert _sqrt.foreach_sqrt([slot])[0].tolist() == [2.0, 3.0]
    _sqrt.foreach_sqrt_([scalar])
    assert scalar.item() == 4.0


def test_tensors_that_need_torch_keep_torchs_op():
    # a tensor that requires grad, a subclass seen through the Python dispatch key, and a trace
    weight = torch.tensor([4.0], requires_grad=True)
    assert not _sqrt._on_host([weight])
    from torch._subclasses.fake_tensor import FakeTensorMode

    with FakeTensorMode():
        fake = torch.empty(3)
        assert _sqrt.foreach_sqrt([fake])[0].shape == (3,)


@pytest.mark.parametrize("record", RECORDED["optimizers"], ids=lambda r: f"{r['name']}-{sorted(r['config'])}")
def test_steps_match_tensorflow(record):
    inits, grads = cases.optimizer_inputs()
    variables = [capas.Variable(torch.tensor(x)) for x in inits]
    opt = getattr(optimizers, record["name"])(**record["config"])
    for step in grads:
        opt.apply_gradients(zip([torch.tensor(g) for g in step], variables))
    for variable, expected in zip(variables, record["weights"]):
        np.testing.assert_allclose(variable.numpy(), np.array(expected, dtype=np.float32), rtol=1e-6, atol=5e-7)


_COMPILED = [r for r in RECORDED["optimizers"] if r["name"] in ("Adam", "AdamW", "RMSprop", "SGD")]


@pytest.mark.parametrize("record", _COMPILED, ids=lambda r: f"{r['name']}-{sorted(r['config'])}")
def test_compiled_updates_are_tensorflows_bit_for_bit(record):
    """The update inside a `jit_compile=True` step (`_graph_apply`, fused by Inductor) runs
    Keras's ops in Keras's order, each one IEEE rounding, so after 8 steps every weight has
    TensorFlow's bits (the eager foreach update is only within rounding of them)."""
    torch._dynamo.reset()
    inits, grads = cases.optimizer_inputs()
    variables = [capas.Variable(torch.tensor(x)) for x in inits]
    opt = getattr(optimizers, record["name"])(**record["config"])
    opt.build(variables)
    plan = opt._plan([True] * len(variables), variables)
    learning_rate = opt._graph_learning_rate()

    @torch.compile(fullgraph=True)
    def step(*step_grads):
        opt._graph_apply(plan, list(step_grads), learning_rate)

    with flushing_denormals():  # TF flushes denormals on the CPU; fit does too
        for step_grads in grads:
            step(*[torch.tensor(g) for g in step_grads])
    for variable, expected in zip(variables, record["weights"]):
        np.testing.assert_array_equal(_bits(variable), _bits(torch.tensor(np.array(expected, dtype=np.float32))))
    assert int(opt.iterations) == len(grads)
