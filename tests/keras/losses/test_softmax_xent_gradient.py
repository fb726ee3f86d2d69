"""Softmax cross-entropy from logits: values and gradients as TensorFlow computes them.

TF's fused `softmax_cross_entropy_with_logits` kernel gives the logits the gradient
`softmax - labels`, also for multi-hot labels whose rows do not sum to one (where the exact
gradient, which Keras's torch backend gets from autograd, is `softmax * sum(labels) - labels`).
tf.keras training follows TF's, so capas does: goldens in `tests/goldens/losses/`.
"""

import json
import os

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from tests.goldens._load import load_cases

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "goldens", "losses")
CASES = load_cases(HERE)
with open(os.path.join(HERE, "softmax_xent.json")) as _f:
    GOLDEN = json.load(_f)

WEIGHTS = torch.tensor([1.0, 2.0, 0.5, 1.0, 3.0])


def leaves(kind):
    return tf.Variable(CASES.logits()), tf.Variable(CASES.labels(kind))


@pytest.mark.parametrize("kind", CASES.KINDS)
def test_tf_nn_softmax_cross_entropy_gradients_match_tf(kind):
    golden = GOLDEN[kind]
    logits, labels = leaves(kind)
    with tf.GradientTape(persistent=True) as tape:
        per_example = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        weighted = tf.reduce_sum(per_example * WEIGHTS)
    np.testing.assert_allclose(per_example.detach().numpy(), golden["nn_loss"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tape.gradient(weighted, logits).numpy(), golden["nn_grad_logits"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tape.gradient(weighted, labels).numpy(), golden["nn_grad_labels"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", CASES.KINDS)
def test_categorical_crossentropy_from_logits_gradient_matches_tf(kind):
    golden = GOLDEN[kind]
    logits, labels = leaves(kind)
    with tf.GradientTape() as tape:
        loss = keras.losses.CategoricalCrossentropy(from_logits=True)(labels, logits)
    assert float(loss) == pytest.approx(golden["keras_loss"], rel=1e-5, abs=1e-6)
    np.testing.assert_allclose(tape.gradient(loss, logits).numpy(), golden["keras_grad_logits"], rtol=1e-5, atol=1e-6)


def test_multi_hot_gradient_differs_from_autograd():
    # What the golden pins: TF's gradient is not the exact one when labels do not sum to one.
    logits = torch.tensor(CASES.logits(), requires_grad=True)
    labels = torch.tensor(CASES.labels("multi_hot"))
    exact = torch.autograd.grad(-(labels * torch.log_softmax(logits, -1)).sum(), logits)[0]
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels, logits))
    ours = tape.gradient(loss, logits)
    assert not torch.allclose(exact, ours, atol=1e-3)
    expected = torch.softmax(logits.detach(), -1) - labels
    np.testing.assert_allclose(ours.numpy(), expected.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kind", CASES.KINDS)
def test_values_and_normalized_label_gradients_match_keras_torch(kind, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    keras_ref = pytest.importorskip("keras")
    logits, labels = leaves(kind)
    with tf.GradientTape() as tape:
        ours = keras.losses.CategoricalCrossentropy(from_logits=True)(labels, logits)
    ref_logits = torch.tensor(CASES.logits(), requires_grad=True)
    ref = keras_ref.losses.CategoricalCrossentropy(from_logits=True)(torch.tensor(CASES.labels(kind)), ref_logits)
    assert float(ours) == pytest.approx(float(ref), rel=1e-6, abs=1e-7)
    if kind != "multi_hot":  # rows summing to one: TF's gradient is the exact one, Keras's too
        ref.backward()
        np.testing.assert_allclose(tape.gradient(ours, logits).numpy(), ref_logits.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_softmax_output_with_from_logits_false_uses_the_same_kernel():
    # tf.keras computes a softmax layer's crossentropy from its logits (`_keras_logits`).
    logits, labels = leaves("multi_hot")
    with tf.GradientTape() as tape:
        probs = keras.activations.softmax(logits)
        loss = keras.losses.CategoricalCrossentropy()(labels, probs)
    grad = tape.gradient(loss, logits)
    np.testing.assert_allclose(grad.numpy(), GOLDEN["multi_hot"]["keras_softmax_grad_logits"], rtol=1e-5, atol=1e-6)
