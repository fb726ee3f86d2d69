"""Cases behind the fixes made for conformance programs 081-094 (tests/test_corpus2_fixes.py),
run unchanged by record.py (real TensorFlow) and by the tests (capas).

Each case is a function of the `tf` module returning JSON-friendly data. The classes and the
function a saved module holds are made at module level (`setup`), as a tutorial defines them, so
that capas finds them by name when it loads the SavedModel back.
"""

import os
import tempfile

import numpy as np


def double_it(x):
    """A module-level preprocessing step held by an export module (quickstart_core's onehot_origin)."""
    return x * 2.0


def setup(tf):
    """Define the tf.Module subclasses of the cases at module level, for `tf`."""

    def export_init(self, scale):  # no super().__init__(), as the Core API tutorials
        self.scale = tf.Variable(scale)
        self.offset = tf.constant([1.0, 2.0, 3.0])  # a constant tensor, not a variable
        self.prepare = double_it
        self.built = True

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def export_call(self, x):
        return self.prepare(x) * self.scale + self.offset

    cls = type("ExportModule", (tf.Module,), {"__init__": export_init, "__call__": export_call})
    cls.__module__ = __name__
    globals()["ExportModule"] = cls


def _np(value):
    return np.asarray(value).tolist()


def _bytes(values):
    return [v.decode("utf-8") if isinstance(v, bytes) else _bytes(v) for v in values]


def module_without_super_init(tf):
    module = ExportModule(4.0)  # noqa: F821 - made by setup()
    x = tf.constant([1.0, 2.0, 3.0])
    direct = _np(module(x))
    try:
        module.name
        name = "no error"
    except AttributeError:
        name = "AttributeError"
    path = os.path.join(tempfile.mkdtemp(), "export")
    tf.saved_model.save(module, path)
    loaded = tf.saved_model.load(path)
    return {"direct": direct, "loaded": _np(loaded(x)), "name": name, "variables": [_np(v) for v in module.variables]}


def seeded_uniform_in_function(tf):
    @tf.function
    def draw():
        return tf.random.uniform([2, 3], minval=-1.0, maxval=1.0, seed=22)

    a, b = draw(), draw()
    return {
        "shape": list(a.shape),
        "dtype": a.dtype.name,
        "in_range": bool(np.all((a.numpy() >= -1) & (a.numpy() < 1))),
        "calls_differ": bool(not np.array_equal(a.numpy(), b.numpy())),
    }


def string_lookup_on_ragged(tf):
    chars = tf.strings.unicode_split(["abcdefg", "xyz"], input_encoding="UTF-8")
    ids_from_chars = tf.keras.layers.StringLookup(vocabulary=list("abcdefgy"), mask_token=None)
    ids = ids_from_chars(chars)
    chars_from_ids = tf.keras.layers.StringLookup(
        vocabulary=ids_from_chars.get_vocabulary(), invert=True, mask_token=None
    )
    back = chars_from_ids(ids)
    return {
        "type": type(ids).__name__,
        "ids": ids.to_list(),
        "ids_dtype": ids.dtype.name,
        "dense": _np(ids.to_tensor()),
        "back": _bytes(back.to_list()),
        "joined": _bytes(tf.strings.reduce_join(back, axis=-1).numpy().tolist()),
    }


def reduce_join_ragged(tf):
    rt = tf.ragged.constant([["a", "b"], ["c"], []])
    out = tf.strings.reduce_join(rt, axis=-1)
    sep = tf.strings.reduce_join(rt, axis=1, separator="-")
    return {"shape": list(out.shape), "joined": _bytes(out.numpy().tolist()), "sep": _bytes(sep.numpy().tolist())}


def initializers_alias(tf):
    zeros = tf.initializers.zeros()
    return {
        "same": tf.initializers is tf.keras.initializers,
        "zeros": _np(zeros([2, 2])),
        "constant": _np(tf.initializers.Constant(3.0)([2])),
    }


def model_loss_attribute(tf):
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    before = model.loss
    loss = tf.keras.losses.MeanSquaredError()
    model.compile(optimizer="sgd", loss=loss)
    model2 = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model2.compile(optimizer="sgd", loss="mse")
    return {"before": before, "is_object": model.loss is loss, "string": model2.loss}


def checkpoint_restore_before_build(tf):
    def create_model():
        return tf.keras.Sequential([tf.keras.layers.Conv2D(2, 3), tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)])

    rng = np.random.default_rng(0)
    model = create_model()
    model.build((None, 6, 6, 1))
    model.set_weights([rng.uniform(-1, 1, tuple(w.shape)).astype("float32") for w in model.weights])
    optimizer = tf.keras.optimizers.Adam()
    folder = tempfile.mkdtemp()
    path = tf.train.Checkpoint(optimizer=optimizer, model=model).save(os.path.join(folder, "ckpt"))
    new_model = create_model()  # not built: its weights do not exist yet
    checkpoint = tf.train.Checkpoint(optimizer=tf.keras.optimizers.Adam(), model=new_model)
    checkpoint.restore(tf.train.latest_checkpoint(folder))
    x = rng.uniform(size=(2, 6, 6, 1)).astype("float32")
    return {
        "latest_is_path": tf.train.latest_checkpoint(folder) == path,
        "same_output": bool(np.allclose(new_model(x).numpy(), model(x).numpy(), atol=1e-6)),
        "same_weights": [bool(np.allclose(a, b)) for a, b in zip(new_model.get_weights(), model.get_weights())],
    }


def fit_unbuilt_model_on_dataset(tf):
    # A Sequential without an input shape fit on a tf.data.Dataset: its weights are made by the
    # first train step, which must still apply its update (time_series multi-step models).
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 1, 6)).astype("float32")
    y = rng.normal(size=(32, 4, 6)).astype("float32")
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(24, kernel_initializer=tf.initializers.zeros()), tf.keras.layers.Reshape([4, 6])]
    )
    model.compile(loss=tf.keras.losses.MeanSquaredError(), optimizer=tf.keras.optimizers.Adam())
    history = model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16), epochs=2, verbose=0)
    return {
        "iterations": int(model.optimizer.iterations.numpy()),
        "loss": [round(v, 5) for v in history.history["loss"]],
        "bias": np.round(model.get_weights()[1][:4], 6).tolist(),
    }


def map_fn_cases(tf):
    s = tf.constant([[1.0, 3.0, 4.0], [2.0, 2.0, 4.0]])
    props = tf.map_fn(lambda x: tf.cumsum(x) / tf.reduce_sum(x), s)
    pair = tf.map_fn(lambda x: (x[0] + x[1], x[0] * x[1]), (tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])))
    lengths = tf.map_fn(lambda x: tf.shape(x)[0], tf.ones([2, 5]), fn_output_signature=tf.int32)
    ints = tf.map_fn(lambda x: x * 2, tf.constant([[1, 2], [3, 4]]))
    return {
        "props": [props.dtype.name, _np(props)],
        "pair": [_np(p) for p in pair],
        "lengths": [lengths.dtype.name, _np(lengths)],
        "ints": [ints.dtype.name, _np(ints)],
    }


CASES = {
    name: fn
    for name, fn in sorted(globals().items())
    if callable(fn) and not name.startswith("_") and name not in ("setup", "double_it")
}


def run_case(tf, name):
    setup(tf)
    return CASES[name](tf)
