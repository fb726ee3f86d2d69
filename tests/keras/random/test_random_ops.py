"""keras.random against Keras 3 (torch backend): same seeds, same numbers."""

import numpy as np
import pytest
import torch

from capas import keras as ck
from tests.conftest import keras_reference

CASES = {
    "normal": lambda r, s: r.normal((3, 4), mean=1.0, stddev=2.0, seed=s),
    "uniform": lambda r, s: r.uniform((5,), minval=-1.0, maxval=2.0, seed=s),
    "uniform_scalar": lambda r, s: r.uniform((), seed=s),
    "randint": lambda r, s: r.randint((6,), 0, 10, seed=s),
    "truncated_normal": lambda r, s: r.truncated_normal((4, 3), mean=0.5, stddev=0.1, seed=s),
    "dropout": lambda r, s: r.dropout(torch.ones(4, 5), 0.4, seed=s),
    "dropout_noise_shape": lambda r, s: r.dropout(torch.ones(4, 5), 0.5, noise_shape=(None, 1), seed=s),
    "shuffle": lambda r, s: r.shuffle(np.arange(12).reshape(4, 3), seed=s),
    "shuffle_axis1": lambda r, s: r.shuffle(np.arange(12).reshape(3, 4), axis=1, seed=s),
    "categorical": lambda r, s: r.categorical(np.log(np.array([[0.2, 0.3, 0.5]], "float32")), 8, seed=s),
    "gamma": lambda r, s: r.gamma((4,), alpha=2.0, seed=s),
    "beta": lambda r, s: r.beta((4,), alpha=2.0, beta=3.0, seed=s),
    "binomial": lambda r, s: r.binomial((4,), counts=10, probabilities=0.3, seed=s),
}


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


@pytest.mark.parametrize("name", sorted(CASES))
def test_int_seed_gives_kerass_numbers(name):
    keras = keras_reference()
    ours, theirs = _np(CASES[name](ck.random, 7)), _np(CASES[name](keras.random, 7))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("name", ["normal", "uniform", "randint", "shuffle", "dropout"])
def test_seed_generator_advances_like_kerass(name):
    keras = keras_reference()
    ours_gen, their_gen = ck.random.SeedGenerator(11), keras.random.SeedGenerator(11)
    ours = [_np(CASES[name](ck.random, ours_gen)) for _ in range(3)]
    theirs = [_np(CASES[name](keras.random, their_gen)) for _ in range(3)]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert not np.array_equal(ours[0], ours[1])


def test_int_seed_repeats_and_none_seed_does_not():
    a = ck.random.normal((8,), seed=3)
    assert torch.equal(a, ck.random.normal((8,), seed=3))
    assert not torch.equal(ck.random.normal((8,)), ck.random.normal((8,)))


def test_set_random_seed_makes_unseeded_draws_reproducible():
    ck.utils.set_random_seed(5)
    a = ck.random.normal((4,))
    ck.utils.set_random_seed(5)
    assert torch.equal(a, ck.random.normal((4,)))


def test_bad_seed_names_what_was_received():
    with pytest.raises(ValueError, match=r"seed=1\.5 of type float"):
        ck.random.normal((2,), seed=1.5)
    with pytest.raises(ValueError, match="must be an integer"):
        ck.random.SeedGenerator(seed="a")


def test_integer_dtype_for_normal_is_refused():
    with pytest.raises(ValueError, match="float dtype"):
        ck.random.normal((2,), dtype="int32")


def test_seed_generator_config_round_trip():
    gen = ck.random.SeedGenerator(seed=4, name="g")
    again = ck.random.SeedGenerator.from_config(gen.get_config())
    assert again.get_config() == {"seed": 4, "name": "g"}
