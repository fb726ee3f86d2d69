"""Shared pieces of the callback tests: one tiny model and its data."""

import numpy as np
import pytest


def make_data(n=40, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = rng.integers(0, classes, size=(n,))
    return x, y


def make_model(module, classes=3, optimizer="adam", metrics=("accuracy",)):
    """A functional Dense model, for capas (`module` = capas.keras) or keras."""
    inputs = module.Input((4,))
    if classes == 1:
        outputs = module.layers.Dense(1)(inputs)
        loss = "mse"
    else:
        outputs = module.layers.Dense(classes, activation="softmax")(inputs)
        loss = "sparse_categorical_crossentropy"
    model = module.Model(inputs, outputs)
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    return model


@pytest.fixture
def data():
    return make_data()


@pytest.fixture
def ck():
    import capas.keras as keras

    return keras
