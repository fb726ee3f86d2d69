"""`keras.layers.serialize` / `deserialize` against the keras package (torch backend)."""

from capas import keras
from tests.conftest import keras_reference


def test_serialize_matches_keras_and_round_trips():
    ref = keras_reference()
    ours = keras.layers.serialize(keras.layers.Dense(3, activation="relu", name="d"))
    theirs = ref.layers.serialize(ref.layers.Dense(3, activation="relu", name="d"))
    assert (ours["module"], ours["class_name"]) == (theirs["module"], theirs["class_name"])
    for key in ("units", "activation", "use_bias", "name"):
        assert ours["config"][key] == theirs["config"][key], key
    back = keras.layers.deserialize(theirs)  # keras's dict builds a capas layer
    assert type(back) is keras.layers.Dense and back.units == 3 and back.name == "d"
