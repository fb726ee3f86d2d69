"""Cases behind the fixes made for conformance programs 097 onwards (tests/test_corpus3_fixes.py),
run unchanged by record.py (real TensorFlow) and by the tests (capas).

Each case is a function of the `tf` module returning JSON-friendly data.
"""

import numpy as np


def _np(value, digits=5):
    return np.round(np.asarray(value, dtype="float64"), digits).tolist()


def _set_weights(layer, seed):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(-0.3, 0.3, tuple(int(d) for d in w.shape)).astype("float32") for w in layer.weights])


def mha_first_call_by_keywords(tf):
    """The transformer tutorial's CrossAttention: mha(query=x, key=context, value=context)."""
    x = tf.constant(np.linspace(-1, 1, 2 * 3 * 4).reshape(2, 3, 4).astype("float32"))
    context = tf.constant(np.linspace(1, -1, 2 * 5 * 6).reshape(2, 5, 6).astype("float32"))
    mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = mha(query=x, key=context, value=context, return_attention_scores=True)
    shapes = [list(w.shape) for w in mha.weights]
    _set_weights(mha, 1)
    out2 = mha(query=x, value=context, key=context)
    return {"shape": list(out.shape), "scores_shape": list(scores.shape), "weight_shapes": shapes, "output": _np(out2)}


def build_shapes_by_keyword_name(tf):
    """A layer whose build takes two shapes, first called with keywords in another order."""
    seen = []

    class Pair(tf.keras.layers.Layer):
        def build(self, a_shape, b_shape):
            seen.append([list(a_shape), list(b_shape)])
            self.w = self.add_weight(shape=(int(a_shape[-1]), int(b_shape[-1])), initializer="ones")

        def call(self, a, b):
            return tf.matmul(a, self.w) + b

    layer = Pair()
    out = layer(b=tf.ones((2, 3)), a=tf.ones((2, 4)))
    return {"build_shapes": seen, "output": _np(out)}


def compat_text_helpers(tf):
    """tf.compat.as_bytes / as_text / as_str / as_str_any / path_to_str, and their errors."""
    import pathlib

    def err(fn):
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - the type name is the result
            return type(exc).__name__
        return "no error"

    return {
        "as_bytes": [
            tf.compat.as_bytes("JFIF").decode("latin-1"),
            tf.compat.as_bytes(b"ab").decode(),
            tf.compat.as_bytes(bytearray(b"xy")).decode(),
            type(tf.compat.as_bytes("x")).__name__,
            list(tf.compat.as_bytes("caf\u00e9")),
            list(tf.compat.as_bytes("caf\u00e9", "latin-1")),
        ],
        "in_peek": tf.compat.as_bytes("JFIF") in b"\xff\xd8\xff\xe0\x00\x10JFIF",
        "as_text": [
            tf.compat.as_text(b"caf\xc3\xa9"),
            tf.compat.as_text("abc"),
            tf.compat.as_str(b"x"),
            tf.compat.as_text(b"caf\xe9", encoding="latin-1"),
        ],
        "as_str_any": [
            tf.compat.as_str_any(3),
            tf.compat.as_str_any(b"b"),
            tf.compat.as_str_any([1, 2]),
            tf.compat.as_str_any(1.5),
        ],
        "path_to_str": [
            tf.compat.path_to_str(pathlib.Path("a") / "b"),
            tf.compat.path_to_str("c"),
            tf.compat.path_to_str(5),
        ],
        "errors": [
            err(lambda: tf.compat.as_bytes(5)),
            err(lambda: tf.compat.as_text(None)),
            err(lambda: tf.compat.as_bytes(["a"])),
        ],
    }


def keras_preprocessing_namespace(tf):
    """tf.keras.preprocessing: the dataset utilities, .sequence.pad_sequences and .image helpers."""
    pre = tf.keras.preprocessing
    names = sorted(
        n
        for n in (
            "image_dataset_from_directory",
            "text_dataset_from_directory",
            "timeseries_dataset_from_array",
            "image",
            "sequence",
        )
        if hasattr(pre, n)
    )
    padded = pre.sequence.pad_sequences([[1, 2, 3], [4]], maxlen=2)
    ds = pre.timeseries_dataset_from_array(np.arange(6), None, sequence_length=3, batch_size=2)
    image_names = [n for n in ("array_to_img", "img_to_array", "load_img", "save_img") if hasattr(pre.image, n)]
    return {
        "names": names,
        "padded": padded.tolist(),
        "windows": [b.numpy().tolist() for b in ds],
        "image": image_names,
    }


def train_step_data_without_targets(tf):
    """fit(x) without y hands train_step the inputs themselves (a tuple/list of inputs as (x,))."""
    seen = []

    def describe(data):
        if isinstance(data, (tuple, list)):
            return [type(data).__name__, len(data), [describe(d) for d in data]]
        return list(data.shape)

    class Probe(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x[0] if isinstance(x, (tuple, list)) else x)

        def train_step(self, data):
            seen.append(describe(data))
            return {"n": tf.constant(1.0)}

    x = np.ones((4, 3), dtype="float32")
    model = Probe()
    model.compile(optimizer="sgd", run_eagerly=True)  # each step runs in Python, as in capas
    model.fit(x, batch_size=2, epochs=1, verbose=0)
    model.fit(tf.data.Dataset.from_tensor_slices(x).batch(4), epochs=1, verbose=0)
    model.fit(x, x[:, :1], batch_size=4, epochs=1, verbose=0)
    model.fit((x, x), batch_size=4, epochs=1, verbose=0)
    return seen


def masks_of_a_list_of_outputs(tf):
    """A layer returning a list of tensors gets each its mask from compute_mask's list (eager call)."""
    ops = tf.keras.ops

    class TemporalSplit(tf.keras.layers.Layer):
        def call(self, inputs):
            return ops.split(inputs, 2, axis=1)

        def compute_mask(self, inputs, mask=None):
            if mask is None:
                return None
            return ops.split(mask, 2, axis=1)

    class HalfMasked(tf.keras.layers.Layer):
        def call(self, inputs):
            return (inputs * 2.0, inputs)

        def compute_mask(self, inputs, mask=None):
            return [mask, None]

    x = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], dtype="float32")[..., None] * np.ones((1, 1, 3), "float32")
    masked = tf.keras.layers.Masking()(tf.constant(x))
    first, second = TemporalSplit()(masked)
    doubled, same = HalfMasked()(masked)
    unmasked = TemporalSplit()(tf.constant(x))
    return {
        "first": np.asarray(first._keras_mask).tolist(),
        "second": np.asarray(second._keras_mask).tolist(),
        "doubled": np.asarray(doubled._keras_mask).tolist(),
        "same_has_mask": getattr(same, "_keras_mask", None) is not None,
        "unmasked_has_mask": [getattr(t, "_keras_mask", None) is not None for t in unmasked],
    }


def add_metric_is_gone(tf):
    """Layer.add_metric was removed in Keras 3: TF 2.21 raises NotImplementedError."""
    try:
        tf.keras.layers.Dense(1).add_metric(tf.constant(1.0), name="m")
    except Exception as exc:  # noqa: BLE001 - the type name is the result
        return type(exc).__name__
    return "no error"


CASES = {name: fn for name, fn in sorted(globals().items()) if callable(fn) and not name.startswith("_")}


def run_case(tf, name):
    return CASES[name](tf)
