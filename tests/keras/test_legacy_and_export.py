"""keras.legacy.saving against Keras's, and keras.export's clear refusal."""

import pytest

from capas import keras
from tests.conftest import keras_reference


@pytest.mark.parametrize(
    "make",
    [
        lambda k: k.layers.Dense(2, activation="relu", name="d"),
        lambda k: k.regularizers.L2(0.1),
        lambda k: k.initializers.Constant(0.5),
        lambda k: k.losses.MeanSquaredError(),
    ],
)
def test_legacy_serialize_matches_keras_and_round_trips(make):
    ref = keras_reference()
    mine = keras.legacy.saving.serialize_keras_object(make(keras))
    theirs = ref.legacy.saving.serialize_keras_object(make(ref))
    assert mine == theirs
    back = keras.legacy.saving.deserialize_keras_object(theirs)
    assert keras.legacy.saving.serialize_keras_object(back) == theirs


def test_legacy_deserialize_resolves_names_as_keras():
    ref = keras_reference()
    for k in (keras, ref):
        assert k.legacy.saving.deserialize_keras_object(None) is None
        layer = k.legacy.saving.deserialize_keras_object(
            {"class_name": "Dense", "config": {"units": 3}}, module_objects={"Dense": k.layers.Dense}
        )
        assert layer.units == 3

    class Twice(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    custom = keras.legacy.saving.deserialize_keras_object(
        {"class_name": "Twice", "config": {"name": "t"}}, custom_objects={"Twice": Twice}
    )
    assert isinstance(custom, Twice) and custom.name == "t"
    assert keras.legacy.saving.deserialize_keras_object("relu") is keras.activations.relu
    with pytest.raises(ValueError, match="Unknown layer: 'Nope'"):
        keras.legacy.saving.deserialize_keras_object(
            {"class_name": "Nope", "config": {}}, printable_module_name="layer"
        )
    with pytest.raises(ValueError, match="Improper config format"):
        keras.legacy.saving.deserialize_keras_object({"config": {}})


def test_export_archive_names_the_capas_alternatives():
    with pytest.raises(NotImplementedError, match="model.save\\('model.keras'\\).*tf.saved_model.save.*torch.onnx"):
        keras.export.ExportArchive()


def test_orbax_checkpoint_names_the_capas_alternatives():
    with pytest.raises(NotImplementedError, match="ModelCheckpoint.*BackupAndRestore"):
        keras.callbacks.OrbaxCheckpoint("ckpt")
