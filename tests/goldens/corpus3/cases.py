"""Cases behind the fixes made for conformance programs 097 onwards (tests/test_corpus3_fixes.py),
run unchanged by record.py (real TensorFlow) and by the tests (capas).

Each case is a function of the `tf` module returning JSON-friendly data.
"""

import numpy as np


def _np(value, digits=5):
    return np.round(np.asarray(value, dtype="float64"), digits).tolist()


def _set_weights(layer, seed):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(-0.3, 0.3, tuple(int(d) for d in w.shape)).astype("float32")
                       for w in layer.weights])


def mha_first_call_by_keywords(tf):
    """The transformer tutorial's CrossAttention: mha(query=x, key=context, value=context)."""
    x = tf.constant(np.linspace(-1, 1, 2 * 3 * 4).reshape(2, 3, 4).astype("float32"))
    context = tf.constant(np.linspace(1, -1, 2 * 5 * 6).reshape(2, 5, 6).astype("float32"))
    mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = mha(query=x, key=context, value=context, return_attention_scores=True)
    shapes = [list(w.shape) for w in mha.weights]
    _set_weights(mha, 1)
    out2 = mha(query=x, value=context, key=context)
    return {"shape": list(out.shape), "scores_shape": list(scores.shape), "weight_shapes": shapes,
            "output": _np(out2)}


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


CASES = {name: fn for name, fn in sorted(globals().items())
         if callable(fn) and not name.startswith("_")}


def run_case(tf, name):
    return CASES[name](tf)
