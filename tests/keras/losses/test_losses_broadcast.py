"""Element-wise regression losses broadcast equal-rank shapes as Keras does (conformance 041)."""

import keras as real_keras
import numpy as np
import pytest

from capas.keras import losses

NAMES = ["mean_squared_error", "mean_absolute_error", "huber", "log_cosh", "hinge"]


@pytest.mark.parametrize("name", NAMES)
def test_broadcast_matches_keras(name):
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=(4, 1, 1)).astype("f")
    y_pred = rng.normal(size=(4, 6, 1)).astype("f")
    got = getattr(losses, name)(y_true, y_pred)
    want = getattr(real_keras.losses, name)(y_true, y_pred)
    assert tuple(got.shape) == (4, 6)
    np.testing.assert_allclose(got.detach().numpy(), np.asarray(want.detach().cpu()), rtol=1e-6, atol=1e-7)


def test_class_reduction_matches_keras_on_broadcast_shapes():
    rng = np.random.default_rng(1)
    y_true = rng.normal(size=(3, 1, 2)).astype("f")
    y_pred = rng.normal(size=(3, 5, 2)).astype("f")
    got = float(losses.MeanSquaredError()(y_true, y_pred))
    want = float(real_keras.losses.MeanSquaredError()(y_true, y_pred))
    assert got == pytest.approx(want, rel=1e-6)


def test_equal_rank_shapes_that_do_not_broadcast_still_raise():
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(4, 2, 1\).*\(4, 3, 1\)"):
        losses.mean_squared_error(np.zeros((4, 2, 1), "f"), np.zeros((4, 3, 1), "f"))


def test_crossentropy_does_not_broadcast():
    # Keras's binary_crossentropy requires equal shapes too.
    with pytest.raises(ValueError, match="binary_crossentropy"):
        losses.binary_crossentropy(np.zeros((4, 1, 1), "f"), np.full((4, 6, 1), 0.5, "f"))
