"""Fixtures of the saving tests."""

import numpy as np
import pytest

from capas import keras as ck
from tests.keras.saving.saving_models import BUILDERS, functional_mlp


@pytest.fixture(params=sorted(BUILDERS))
def architecture(request):
    builder, make_x = BUILDERS[request.param]
    return builder, make_x(np.random.RandomState(1))


@pytest.fixture
def capas_mlp():
    model = functional_mlp(ck)
    model.compile(optimizer=ck.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return model
