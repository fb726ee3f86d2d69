"""`losses.get`, `serialize` and `deserialize`: names, aliases, round trips."""

import inspect

import numpy as np
import pytest

from capas.keras import losses

KERAS_NAMES = [
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalGeneralizedCrossEntropy", "CategoricalHinge", "Circle",
    "CosineSimilarity", "Dice", "Hinge", "Huber", "KLDivergence", "LogCosh", "Loss",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
    "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge",
    "Tversky", "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "categorical_generalized_cross_entropy", "categorical_hinge", "circle",
    "cosine_similarity", "ctc", "deserialize", "dice", "get", "hinge", "huber", "kl_divergence",
    "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error",
    "mean_squared_logarithmic_error", "poisson", "serialize", "sparse_categorical_crossentropy",
    "squared_hinge", "tversky",
]  # fmt: skip


def test_public_names_cover_keras():
    missing = [name for name in KERAS_NAMES if not hasattr(losses, name)]
    assert missing == []


ALIASES = {
    "mse": "mean_squared_error",
    "MSE": "mean_squared_error",
    "mae": "mean_absolute_error",
    "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "MSLE": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "KLD": "kl_divergence",
    "kl_divergence": "kl_divergence",
    "bce": "binary_crossentropy",
    "BCE": "binary_crossentropy",
    "logcosh": "log_cosh",
    "log_cosh": "log_cosh",
    "huber": "huber",
    "poisson": "poisson",
    "hinge": "hinge",
    "cosine_similarity": "cosine_similarity",
    "binary_crossentropy": "binary_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
}


@pytest.mark.parametrize("alias,function", sorted(ALIASES.items()))
def test_get_string_returns_the_function(alias, function):
    assert losses.get(alias) is getattr(losses, function)


@pytest.mark.parametrize("name", [n for n in KERAS_NAMES if n[0].isupper() and n != "Loss"])
def test_get_class_name_and_class_return_instances(name):
    cls = getattr(losses, name)
    assert type(losses.get(name)) is cls
    assert type(losses.get(cls)) is cls
    instance = cls()
    assert losses.get(instance) is instance


def test_get_matches_keras_for_every_keras_string():
    keras = pytest.importorskip("keras")
    from keras.src.losses import ALL_OBJECTS_DICT

    for name in ALL_OBJECTS_DICT:
        if name in ("Loss", "LossFunctionWrapper"):
            continue
        theirs = keras.losses.get(name)
        ours = losses.get(name)
        if inspect.isfunction(theirs):
            assert ours.__name__ == theirs.__name__, name
        else:
            assert type(ours).__name__ == type(theirs).__name__, name


def test_get_none_and_dict():
    assert losses.get(None) is None
    loss = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(loss, losses.CategoricalCrossentropy) and loss.from_logits


@pytest.mark.parametrize("bad", ["mean_squared_eror", "crossentropy", "Hubber"])
def test_unknown_string_lists_closest_names(bad):
    with pytest.raises(ValueError) as info:
        losses.get(bad)
    message = str(info.value)
    assert f"'{bad}'" in message and "Did you mean" in message
    assert "capas.keras.losses" in message


def test_get_rejects_non_callables():
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(42)


NON_DEFAULT = [
    losses.MeanSquaredError(reduction="sum", name="m"),
    losses.Huber(delta=2.5),
    losses.CosineSimilarity(axis=0),
    losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, axis=0),
    losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.0),
    losses.CategoricalCrossentropy(label_smoothing=0.2),
    losses.CategoricalFocalCrossentropy(alpha=0.5, gamma=3.0, from_logits=True),
    losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, axis=1),
    losses.CategoricalGeneralizedCrossEntropy(q=0.3),
    losses.Dice(axis=(1, 2)),
    losses.Tversky(alpha=0.2, beta=0.8, axis=-1),
    losses.CTC(reduction=None),
    losses.Circle(gamma=40.0, margin=0.3, remove_diagonal=False),
    losses.KLDivergence(reduction="mean_with_sample_weight"),
]


@pytest.mark.parametrize("loss", NON_DEFAULT, ids=lambda x: type(x).__name__)
def test_serialize_round_trip_keeps_config(loss):
    config = losses.serialize(loss)
    assert config["module"] == "keras.losses" and config["class_name"] == type(loss).__name__
    restored = losses.deserialize(config)
    assert type(restored) is type(loss)
    assert restored.get_config() == loss.get_config()
    assert type(loss).from_config(loss.get_config()).get_config() == loss.get_config()


@pytest.mark.parametrize(
    "loss",
    [losses.MeanSquaredError(), losses.BinaryCrossentropy(from_logits=True), losses.Dice()],
    ids=lambda x: type(x).__name__,
)
def test_serialized_layout_matches_keras(loss):
    keras = pytest.importorskip("keras")
    theirs = keras.losses.serialize(getattr(keras.losses, type(loss).__name__).from_config(loss.get_config()))
    assert losses.serialize(loss) == theirs
    # and a Keras-written dict loads here
    assert losses.deserialize(theirs).get_config() == loss.get_config()


def test_functions_serialize_as_keras_does():
    keras = pytest.importorskip("keras")
    ours = losses.serialize(losses.mean_squared_error)
    assert ours == keras.losses.serialize(keras.losses.mean_squared_error)
    assert losses.deserialize(ours) is losses.mean_squared_error
    assert losses.deserialize("mse") is losses.mean_squared_error


def test_deserialize_uses_custom_objects():
    def my_loss(y_true, y_pred):
        return (y_true - y_pred).mean(dim=-1)

    config = losses.serialize(my_loss)
    assert losses.deserialize(config, custom_objects={"my_loss": my_loss}) is my_loss
    with pytest.raises(ValueError, match="my_loss"):
        losses.deserialize(config)


def test_registered_function_resolves_by_name():
    from capas.keras.saving import object_registration

    @object_registration.register_keras_serializable(package="losses_test")
    def halved(y_true, y_pred):
        return 0.5 * (y_true - y_pred).abs().mean(dim=-1)

    assert losses.get("losses_test>halved") is halved
    assert losses.deserialize(losses.serialize(halved)) is halved
    np.testing.assert_allclose(float(losses.LossFunctionWrapper(halved)([[2.0]], [[0.0]])), 1.0)


@pytest.mark.parametrize("alias", ["mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD", "logcosh"])
def test_tf_keras_attribute_aliases_are_the_functions(alias):
    # tf.keras code writes `tf.keras.losses.mse(...)`; Keras 3 dropped the attribute.
    assert getattr(losses, alias) is losses.get(alias)
