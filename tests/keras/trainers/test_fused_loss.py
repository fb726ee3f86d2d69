"""A from_logits=False crossentropy on a softmax/sigmoid output is computed from the logits, as tf.keras does.

Expected values are recorded from real TensorFlow (`tests/goldens/speed/record.py`).
The saturated cases hit the probability clip, so they pass only on the fused path;
the mild cases are within the clip, where both paths agree.
"""

import json
import pathlib

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import activations, layers, losses

GOLDEN = json.loads((pathlib.Path(__file__).parents[2] / "goldens" / "speed" / "fused_loss.json").read_text())
CASES = GOLDEN["cases"]


def _case(case):
    units, loss = case["units"], case["loss"]
    rng = np.random.default_rng(7)
    x = rng.standard_normal((8, 4)).astype("float32")
    labels = rng.integers(0, max(units, 2), 8)
    if loss.lower().startswith("categorical"):
        y = np.eye(units, dtype="float32")[labels]
    elif "binary" in loss.lower():
        y = labels.astype("float32").reshape(-1, 1)
    else:
        y = labels
    kernel = (np.random.default_rng(3).standard_normal((4, units)) * case["scale"]).astype("float32")
    return x, y, kernel


@pytest.mark.parametrize("separate_activation", [False, True], ids=["dense_activation", "activation_layer"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_and_update_match_tensorflow(name, separate_activation):
    case = CASES[name]
    x, y, kernel = _case(case)
    units = case["units"]
    inputs = keras.Input((4,))
    if separate_activation:
        outputs = layers.Activation(case["activation"])(layers.Dense(units)(inputs))
    else:
        outputs = layers.Dense(units, activation=case["activation"])(inputs)
    model = keras.Model(inputs, outputs)
    model.set_weights([kernel, np.zeros(units, "float32")])
    loss = getattr(keras.losses, case["loss"])() if case["loss"][0].isupper() else case["loss"]
    model.compile(keras.optimizers.SGD(0.1), loss)
    assert model.evaluate(x, y, batch_size=8, verbose=0) == pytest.approx(case["evaluate_loss"], rel=1e-5)
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx(case["fit_loss"], rel=1e-5)
    np.testing.assert_allclose(model.get_weights()[0], case["kernel_after"], rtol=1e-5, atol=1e-6)
    probabilities = model.predict(x, verbose=0)  # predictions stay probabilities
    assert probabilities.min() >= 0.0 and probabilities.max() <= 1.0


def test_fused_path_is_taken_and_more_accurate_when_saturated():
    logits = torch.tensor([[30.0, 0.0, -30.0]], requires_grad=True)
    probabilities = activations.softmax(logits)
    assert probabilities._keras_logits is logits
    fused = losses.sparse_categorical_crossentropy(torch.tensor([2]), probabilities)
    clipped = losses.sparse_categorical_crossentropy(torch.tensor([2]), probabilities.detach())  # no logits
    assert float(fused) == pytest.approx(60.0, rel=1e-6)  # log-softmax: 30 - (-30)
    assert float(clipped) == pytest.approx(-np.log(1e-7), rel=1e-5)  # the clip caps it at 16.12
    fused.backward()
    assert logits.grad.abs().sum() > 1.0  # the clipped form has a zero gradient here


def test_sigmoid_output_uses_log_sigmoid():
    logits = torch.tensor([[-40.0], [40.0]])
    fused = losses.binary_crossentropy(torch.tensor([[1.0], [0.0]]), activations.sigmoid(logits))
    np.testing.assert_allclose(fused.numpy(), [40.0, 40.0], rtol=1e-6)


def test_other_axis_or_from_logits_true_keeps_the_given_tensor():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    probabilities = activations.softmax(logits, axis=0)
    assert not hasattr(probabilities, "_keras_logits")
    marked = activations.softmax(logits)
    value = losses.categorical_crossentropy(torch.eye(2), marked, from_logits=True)  # treats marked as logits
    expected = -torch.log_softmax(marked, dim=-1).diagonal()
    np.testing.assert_allclose(value.numpy(), expected.numpy(), rtol=1e-6)
