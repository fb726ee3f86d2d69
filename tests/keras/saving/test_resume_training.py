"""Optimizer state travels with the model: 2 epochs + save/load + 1 epoch == 3 epochs."""

import numpy as np
import pytest
import torch

from capas import keras as ck
from tests.keras.saving.saving_models import functional_mlp, sequential_mlp


def _data():
    rng = np.random.RandomState(3)
    x = rng.rand(24, 4).astype("float32")
    y = np.eye(3, dtype="float32")[rng.randint(0, 3, 24)]
    return x, y


def _compiled(builder, optimizer):
    torch.manual_seed(7)
    model = builder(ck)
    if model.output_shape[-1] != 3:
        model = ck.Sequential([ck.Input((4,)), model, ck.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer(), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


OPTIMIZERS = {
    "sgd_momentum": lambda: ck.optimizers.SGD(0.05, momentum=0.9),
    "adam": lambda: ck.optimizers.Adam(0.01),
}


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("builder", [functional_mlp, sequential_mlp], ids=["functional", "sequential"])
@pytest.mark.parametrize("fmt", ["keras", "weights"])
def test_fit_resumes_exactly_after_save_and_load(builder, optimizer, fmt, tmp_path):
    x, y = _data()
    straight = _compiled(builder, OPTIMIZERS[optimizer])
    resumed = _compiled(builder, OPTIMIZERS[optimizer])
    resumed.set_weights(straight.get_weights())
    # Dropout draws from torch's generator: give both runs the same stream.
    torch.manual_seed(11)
    straight.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    state = torch.random.get_rng_state()
    straight.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)

    torch.manual_seed(11)
    resumed.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    if fmt == "keras":
        resumed.save(tmp_path / "ckpt.keras")
        restored = ck.saving.load_model(tmp_path / "ckpt.keras")
    else:
        resumed.save_weights(tmp_path / "ckpt.weights.h5")
        restored = _compiled(builder, OPTIMIZERS[optimizer])
        restored.load_weights(tmp_path / "ckpt.weights.h5")
    assert int(restored.optimizer.iterations) == int(resumed.optimizer.iterations) == 6
    # A model's first fit seeds its shuffling generator from torch's RNG; do that draw
    # now so the Dropout masks of the third epoch come from the same stream.
    restored._data_generator()
    torch.random.set_rng_state(state)
    restored.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(restored.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    for a, b in zip(restored.optimizer.variables, straight.optimizer.variables):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("builder", [functional_mlp, sequential_mlp], ids=["functional", "sequential"])
def test_torch_state_dict_round_trip_with_weights_only(builder, tmp_path):
    model = builder(ck)
    x = np.random.rand(5, 4).astype("float32")
    expected = model.predict(x, verbose=0)
    path = tmp_path / "state.pt"
    torch.save(model.state_dict(), path)
    model.set_weights([np.zeros_like(w) for w in model.get_weights()])
    assert not np.allclose(model.predict(x, verbose=0), expected)
    model.load_state_dict(torch.load(path, weights_only=True))
    np.testing.assert_array_equal(model.predict(x, verbose=0), expected)
