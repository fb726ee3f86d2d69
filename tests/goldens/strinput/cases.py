"""String inputs of functional models (`keras.Input(dtype='string')`), run unchanged by
TensorFlow (record.py) and capas (tests/keras/models/test_string_inputs.py).

Each case takes `(tf, keras)` and returns plain Python values (lists, str, ints, floats).
"""

import os
import tempfile
import zipfile

import numpy as np


def _py(value):
    value = value.numpy() if hasattr(value, "numpy") else value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list):
        return [_py(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return round(float(value), 5)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _spec(keras, t):
    return {"shape": list(t.shape), "dtype": keras.backend.standardize_dtype(t.dtype)}


def _set_dense_weights(keras, model, seed):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            layer.set_weights([rng.uniform(-0.5, 0.5, tuple(w.shape)).astype("float32") for w in layer.weights])


def symbolic_specs(tf, keras):
    layers = keras.layers
    x = keras.Input(shape=(1,), name="color", dtype="string")
    words = keras.Input(shape=(), dtype="string")
    lookup = layers.StringLookup(vocabulary=["red", "green", "blue"])
    ids = lookup(x)
    tv_int = layers.TextVectorization(max_tokens=10)
    tv_int.adapt(["a b c", "d e"])
    tv_fixed = layers.TextVectorization(max_tokens=10, output_sequence_length=4)
    tv_fixed.adapt(["a b c", "d e"])
    tv_hot = layers.TextVectorization(max_tokens=10, output_mode="multi_hot")
    tv_hot.adapt(["a b c", "d e"])
    return {
        "input": _spec(keras, x),
        "input.name": x.name,
        "input_scalar": _spec(keras, words),
        "string_lookup": _spec(keras, ids),
        "category_encoding": _spec(keras, layers.CategoryEncoding(num_tokens=lookup.vocabulary_size())(ids)),
        "lookup_one_hot": _spec(keras, layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")(words)),
        "lookup_multi_hot": _spec(keras, layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")(x)),
        "hashing": _spec(keras, layers.Hashing(num_bins=7)(x)),
        "text_vectorization_int": _spec(keras, tv_int(words)),
        "text_vectorization_fixed": _spec(keras, tv_fixed(words)),
        "text_vectorization_multi_hot": _spec(keras, tv_hot(words)),
        "int_input_integer_lookup": _spec(
            keras, layers.IntegerLookup(vocabulary=[3, 7])(keras.Input(shape=(1,), dtype="int64"))
        ),
    }


def pet_features(tf):
    return {
        "color": tf.constant([[c] for c in _COLORS]),
        "age": tf.constant([[a] for a in _AGES], tf.int64),
        "fee": tf.constant([[f] for f in _FEES]),
    }


def pet_model(tf, keras):
    """The structured-data tutorial's shape: string and int columns encoded, concatenated, Dense."""
    layers = keras.layers
    color = keras.Input(shape=(1,), name="color", dtype="string")
    age = keras.Input(shape=(1,), name="age", dtype="int64")
    fee = keras.Input(shape=(1,), name="fee")
    color_lookup = layers.StringLookup(max_tokens=5)
    color_lookup.adapt(np.array(["red", "red", "green", "blue", "green", "red", "black"]))
    age_lookup = layers.IntegerLookup(max_tokens=4)
    age_lookup.adapt(np.array([1, 2, 2, 3, 3, 3, 9], dtype="int64"))
    norm = layers.Normalization(axis=None)
    norm.adapt(np.array([0.0, 50.0, 100.0, 100.0], dtype="float32"))
    encoded = [
        layers.CategoryEncoding(num_tokens=color_lookup.vocabulary_size())(color_lookup(color)),
        layers.CategoryEncoding(num_tokens=age_lookup.vocabulary_size())(age_lookup(age)),
        norm(fee),
    ]
    features = layers.concatenate(encoded)
    hidden = layers.Dense(4, activation="relu")(features)
    out = layers.Dense(1)(hidden)
    model = keras.Model({"color": color, "age": age, "fee": fee}, out)
    _set_dense_weights(keras, model, 7)
    return model


_COLORS = ["red", "blue", "purple", "green"]
_AGES = [2, 3, 4, 9]
_FEES = [0.0, 50.0, 100.0, 25.0]


def functional_predictions(tf, keras):
    model = pet_model(tf, keras)
    features = pet_features(tf)
    ds = tf.data.Dataset.from_tensor_slices(
        (
            {k: np.array(v)[:, None] for k, v in (("color", _COLORS), ("age", _AGES), ("fee", _FEES))},
            np.array([1, 0, 1, 0]),
        )
    ).batch(2)
    one = {"color": tf.convert_to_tensor(["blue"]), "age": tf.convert_to_tensor([3]), "fee": tf.convert_to_tensor([50])}
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    return {
        "call": _py(model(features)),
        "predict_dataset": _py(model.predict(ds, verbose=0)),
        "predict_one": _py(model.predict(one, verbose=0)),
        "evaluate": {k: _py(v) for k, v in model.evaluate(ds, return_dict=True, verbose=0).items()},
        "output": _spec(keras, model.output),
        "input_names": sorted(t.name for t in model.inputs),
        "input_dtypes": sorted(keras.backend.standardize_dtype(t.dtype) for t in model.inputs),
    }


def model_config(tf, keras):
    model = pet_model(tf, keras)
    config = model.get_config()
    inputs = [layer for layer in config["layers"] if layer["class_name"] == "InputLayer"]
    return {
        "input_configs": sorted(
            ([i["config"]["name"], i["config"]["dtype"], i["config"]["batch_shape"]] for i in inputs)
        ),
        "layer_classes": sorted(layer["class_name"] for layer in config["layers"]),
        "rebuilt_input_dtypes": sorted(
            keras.backend.standardize_dtype(t.dtype) for t in keras.Model.from_config(config).inputs
        ),
    }


def save_and_load(tf, keras):
    model = pet_model(tf, keras)
    path = os.path.join(tempfile.mkdtemp(), "pets.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assets = {n: archive.read(n).decode("utf-8").splitlines() for n in names if n.startswith("assets/")}
    reloaded = keras.models.load_model(path)
    features = pet_features(tf)
    return {
        "members": [n for n in names if n != "metadata.json"],
        "assets": assets,
        "reloaded": _py(reloaded.predict(features, verbose=0)),
        "original": _py(model.predict(features, verbose=0)),
    }


def text_model(tf, keras):
    layers = keras.layers
    text = keras.Input(shape=(1,), dtype="string", name="text")
    tv = layers.TextVectorization(max_tokens=8, output_sequence_length=3)
    tv.adapt(["the cat sat", "the dog ran", "a cat ran"])
    x = layers.Embedding(8, 2)(tv(text))
    x = layers.GlobalAveragePooling1D()(x)
    out = layers.Dense(1)(x)
    model = keras.Model(text, out)
    rng = np.random.default_rng(11)
    model.set_weights([rng.uniform(-0.5, 0.5, tuple(w.shape)).astype("float32") for w in model.weights])
    path = os.path.join(tempfile.mkdtemp(), "text.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assets = sorted(n for n in archive.namelist() if n.startswith("assets/"))
    reloaded = keras.models.load_model(path)
    batch = tf.constant([["the cat ran"], ["zebra"]])
    return {
        "predict": _py(model.predict(batch, verbose=0)),
        "reloaded": _py(reloaded.predict(batch, verbose=0)),
        "assets": assets,
        "vectorized": _spec(keras, model.layers[1].output),
    }


def lambda_strings(tf, keras):
    """A Lambda of tf.strings ops keeps a string tensor; a lookup after it makes numbers."""
    layers = keras.layers
    x = keras.Input(shape=(1,), dtype="string")
    lowered = layers.Lambda(lambda s: tf.strings.lower(s), output_shape=(1,))(x)  # TF needs output_shape here
    ids = layers.StringLookup(vocabulary=["cat", "dog"])(lowered)
    model = keras.Model(x, ids)
    return {
        "lowered": _spec(keras, lowered),
        "ids": _spec(keras, ids),
        "predict": _py(model.predict(tf.constant([["CAT"], ["Dog"], ["cow"]]), verbose=0)),
    }


CASES = {
    f.__name__: f
    for f in (symbolic_specs, functional_predictions, model_config, save_and_load, text_model, lambda_strings)
}
