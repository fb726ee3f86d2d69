"""keras.Function and keras.Operation against Keras's (torch backend), same inputs and weights."""

import numpy as np
import torch

from capas import keras
from tests.conftest import keras_reference


def _graph(k):
    x = k.Input((3,), name="x")
    y = k.Input((3,), name="y")
    z = k.ops.exp(x) * 2.0 + k.ops.square(y)
    w = k.ops.sum(z, axis=-1, keepdims=True)
    return x, y, z, w


def test_function_of_ops_computes_what_keras_computes():
    ref = keras_reference()
    a = torch.tensor(np.random.default_rng(0).normal(size=(4, 3)).astype("float32"))
    b = torch.tensor(np.random.default_rng(1).normal(size=(4, 3)).astype("float32"))
    outs = []
    for k in (keras, ref):
        x, y, z, w = _graph(k)
        f = k.Function([x, y], [z, w], name="f")
        result = f([a, b])
        outs.append([np.asarray(r.detach().cpu()) for r in result])
        assert f.name == "f" and len(f.inputs) == 2 and len(f.outputs) == 2
    for m, t in zip(*outs):
        np.testing.assert_allclose(m, t, rtol=1e-6)


def test_function_with_a_layer_uses_its_weights_and_extends_graphs():
    ref = keras_reference()
    kernel = np.arange(6, dtype="float32").reshape(3, 2) / 10
    outs = []
    for k in (keras, ref):
        x = k.Input((3,))
        dense = k.layers.Dense(2, activation="tanh")
        f = k.Function(x, dense(x) + 1.0)
        dense.set_weights([kernel, np.zeros(2, "float32")])
        outs.append(np.asarray(f(torch.ones(2, 3)).detach()))
        inner = k.Input((3,))
        symbolic = f(inner)
        assert tuple(symbolic.shape) == (None, 2)
        assert any(op is dense for op in f.operations)
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-6)


def _clip_operation(k):
    class Clip(k.Operation):
        def call(self, x):
            return k.ops.clip(x, -1.0, 1.0) * 3.0

        def compute_output_spec(self, x):
            return k.KerasTensor(x.shape, x.dtype)

    return Clip()


def test_an_operation_subclass_runs_eagerly_and_in_a_functional_model_as_keras():
    ref = keras_reference()
    outs = []
    for k in (keras, ref):
        op = _clip_operation(k)
        eager = op(torch.tensor([-2.0, 0.5, 4.0]))
        x = k.Input((3,))
        model = k.Model(x, op(x) + 1.0)
        outs.append((np.asarray(eager), np.asarray(model(torch.tensor([[-2.0, 0.5, 4.0]])).detach())))
        assert isinstance(k.layers.Dense(1), k.Operation)
    for m, t in zip(*outs):
        np.testing.assert_allclose(m, t)
