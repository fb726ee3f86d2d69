"""Random number generation: shapes, dtypes, ranges and seeded reproducibility (not the values).

Source: tensorflow/docs site/en/guide/random_numbers.ipynb
Covers: tf.random.Generator.from_seed normal/uniform shapes and dtypes, the same seed giving the
same numbers (within one framework), tf.random.set_seed + tf.random.uniform repeatability,
stateless_uniform with a seed pair, uniform bounds and integer dtypes, tf.random.shuffle keeping
elements, tf.random.categorical output shape/range, and keras.random / initializers with seeds.
"""
import numpy as np
from _target import keras, report, tf

g1 = tf.random.Generator.from_seed(1)
a = g1.normal(shape=[2, 3])
report("normal.shape", a.shape)
report("normal.dtype", a.dtype)
g2 = tf.random.Generator.from_seed(1)
report("same_seed_same_values", bool(np.array_equal(a.numpy(), g2.normal(shape=[2, 3]).numpy())))
u = g1.uniform(shape=[100], minval=2, maxval=5)
report("uniform_in_range", bool(tf.reduce_all(u >= 2).numpy() and tf.reduce_all(u < 5).numpy()))
ui = g1.uniform(shape=[50], minval=0, maxval=10, dtype=tf.int32)
report("uniform_int.dtype", ui.dtype)
report("uniform_int_in_range", bool(np.all((ui.numpy() >= 0) & (ui.numpy() < 10))))

tf.random.set_seed(1234)
x1 = tf.random.uniform([3])
tf.random.set_seed(1234)
x2 = tf.random.uniform([3])
report("set_seed_repeat", bool(np.array_equal(x1.numpy(), x2.numpy())))
s1 = tf.random.stateless_uniform(shape=[2, 2], seed=[1, 2])
s2 = tf.random.stateless_uniform(shape=[2, 2], seed=[1, 2])
report("stateless_repeat", bool(np.array_equal(s1.numpy(), s2.numpy())))
report("stateless.shape", s1.shape)
n = tf.random.normal([4, 5], mean=1.0, stddev=0.5, seed=3)
report("normal_fn.shape", n.shape)
report("truncated_normal_bound", bool(np.all(np.abs(tf.random.truncated_normal([200]).numpy()) <= 2.0)))
shuffled = tf.random.shuffle(tf.range(10))
report("shuffle_keeps_elements", sorted(shuffled.numpy().tolist()))
samples = tf.random.categorical(tf.math.log([[0.5, 0.5]]), 5)
report("categorical.shape", samples.shape)
report("categorical.dtype", samples.dtype)
report("categorical_range", bool(np.all((samples.numpy() >= 0) & (samples.numpy() < 2))))

seed_gen = keras.random.SeedGenerator(42)
kn = keras.random.normal((2, 2), seed=seed_gen)
report("keras_random_normal.shape", kn.shape)
init = keras.initializers.GlorotUniform(seed=7)
w1 = init(shape=(4, 3))
w2 = keras.initializers.GlorotUniform(seed=7)(shape=(4, 3))
report("initializer_same_seed", bool(np.allclose(np.array(w1), np.array(w2))))
limit = np.sqrt(6.0 / (4 + 3))
report("glorot_within_limit", bool(np.all(np.abs(np.array(w1)) <= limit)))
