"""Text-pipeline cases run unchanged by TensorFlow (record.py) and capas (tests/test_textpipe.py).

Each case takes `(tf, keras)` and returns plain Python values (lists, str, ints).
"""

import numpy as np


def _py(value):
    value = value.numpy() if hasattr(value, "numpy") else value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list):
        return [_py(v) for v in value]
    return value


def string_shape_ops(tf, keras):
    s = tf.constant(["a", "b", "c"])
    return {
        "expand_dims": _py(tf.expand_dims(s, -1)),
        "expand_dims.shape": list(tf.expand_dims(s, 0).shape),
        "concat": _py(tf.concat([s, s[:1]], axis=0)),
        "stack": _py(tf.stack([s, s], axis=1)),
        "reshape": _py(tf.reshape(s, [3, 1])),
        "squeeze": _py(tf.squeeze(tf.reshape(s, [1, 3]))),
        "gather": _py(tf.gather(s, [2, 0])),
        "tile": _py(tf.tile(s, [2])),
        "reverse": _py(tf.reverse(s, [0])),
        "unstack": [_py(t) for t in tf.unstack(s)],
        "transpose": _py(tf.transpose(tf.reshape(s, [3, 1]))),
    }


def _custom_standardization(tf):
    def standardize(input_data):
        lowercase = tf.strings.lower(input_data)
        stripped = tf.strings.regex_replace(lowercase, "<br />", " ")
        return tf.strings.regex_replace(stripped, "[!.,]", "")

    return standardize


def text_vectorization_callables(tf, keras):
    texts = ["The Cat<br />sat.", "a DOG ran, far!", "the dog sat"]
    ds = tf.data.Dataset.from_tensor_slices(texts).batch(2)
    layer = keras.layers.TextVectorization(standardize=_custom_standardization(tf), output_sequence_length=5)
    layer.adapt(ds)
    batch = tf.expand_dims(tf.constant(["The DOG<br />ran", "unknown cat"]), -1)
    splitter = keras.layers.TextVectorization(split=lambda x: tf.strings.split(x, sep=","), output_mode="int")
    splitter.adapt(tf.constant(["a,b", "b,c,b"]))
    return {
        "vocabulary": layer.get_vocabulary(),
        "int_output": _py(layer(batch)),
        "split_vocabulary": splitter.get_vocabulary(),
        "split_output": _py(splitter(tf.constant(["b,a", "c"]))),
    }


def text_model_predict(tf, keras):
    layer = keras.layers.TextVectorization(output_sequence_length=4)
    layer.adapt(["the cat sat", "the dog ran far"])
    model = keras.Sequential(
        [
            keras.Input(shape=(4,), dtype="int64"),
            keras.layers.Embedding(10, 3),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1),
        ]
    )
    export = keras.Sequential([layer, model, keras.layers.Activation("sigmoid")])
    export.compile(loss="binary_crossentropy", optimizer="adam")
    examples = tf.constant(["the cat", "a dog ran", "far far"])
    return {
        "predict.shape": list(export.predict(examples, verbose=0).shape),
        "call.shape": list(export(examples).shape),
    }


CASES = {f.__name__: f for f in (string_shape_ops, text_vectorization_callables, text_model_predict)}
