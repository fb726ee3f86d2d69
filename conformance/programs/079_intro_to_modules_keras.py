"""Keras layers and models as modules: a Layer subclass with build, a Model of layers, checkpoints.

Source: tensorflow/docs site/en/guide/intro_to_modules.ipynb ("Keras models and layers",
"Saving weights", "Checkpointing")
Covers: a keras.layers.Layer subclass FlexibleDense that creates its weights in build from the input
shape, its weights before/after the first call, a keras.Model subclass MySequentialModel made of two
such layers (submodules, variables), a functional keras.Model of the same layers, tf.train.Checkpoint
of a model: save, list_variables names and shapes, restore into a fresh model and compare outputs,
and model.save_weights / load_weights.
The guide creates the weights with tf.Variable in build; Keras 3 (TF >= 2.16) does not track a raw
tf.Variable held by a Layer, so this program uses add_weight as the Keras 3 layer guides do (capas
does track them: see docs/differences.md, "Conformance differences").
"""
import os
import tempfile

import numpy as np
from _target import keras, report, tf


class FlexibleDense(tf.keras.layers.Layer):
    def __init__(self, out_features, **kwargs):
        super().__init__(**kwargs)
        self.out_features = out_features

    def build(self, input_shape):
        rng = np.random.default_rng(int(input_shape[-1]) * 10 + self.out_features)
        self.w = self.add_weight(shape=(int(input_shape[-1]), self.out_features), name="w",
                                 initializer=keras.initializers.Constant(
                                     rng.normal(size=(int(input_shape[-1]), self.out_features)).astype("float32")))
        self.b = self.add_weight(shape=(self.out_features,), name="b", initializer="zeros")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


flexible_dense = FlexibleDense(out_features=3)
report("weights_before_build", len(flexible_dense.variables))
x = tf.constant([[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]])
report("model_results", flexible_dense(x), tol=1e-5)
report("weights_after_build", len(flexible_dense.variables))
report("variable_shapes", sorted(tuple(v.shape) for v in flexible_dense.variables))
try:
    flexible_dense(tf.constant([[2.0, 2.0, 2.0, 2.0]]))
    report("wrong_width_error", "no error")
except Exception as exc:  # noqa: BLE001
    report("wrong_width_error", type(exc).__name__)


class MySequentialModel(tf.keras.Model):
    def __init__(self, name=None, **kwargs):
        super().__init__(**kwargs)
        self.dense_1 = FlexibleDense(out_features=3)
        self.dense_2 = FlexibleDense(out_features=2)

    def call(self, x):
        x = self.dense_1(x)
        return self.dense_2(x)


my_sequential_model = MySequentialModel(name="the_model")
report("seq_model_results", my_sequential_model(tf.constant([[2.0, 2.0, 2.0]])), tol=1e-5)
report("n_variables", len(my_sequential_model.variables))
report("n_trainable", len(my_sequential_model.trainable_variables))
report("n_submodule_layers", len(my_sequential_model.layers))
report("layer_types", [type(l).__name__ for l in my_sequential_model.layers])

inputs = tf.keras.Input(shape=[3, ])
x = FlexibleDense(3)(inputs)
x = FlexibleDense(2)(x)
my_functional_model = tf.keras.Model(inputs=inputs, outputs=x)
report("functional_results", my_functional_model(tf.constant([[2.0, 2.0, 2.0]])), tol=1e-5)
report("functional_n_layers", len(my_functional_model.layers))
report("functional_output_shape", my_functional_model.output.shape)

tmp = tempfile.mkdtemp()
chkp_path = os.path.join(tmp, "my_checkpoint")
checkpoint = tf.train.Checkpoint(model=my_sequential_model)
save_path = checkpoint.write(chkp_path)
listed = tf.train.list_variables(chkp_path)
report("checkpoint_n_entries", len([n for n, _ in listed if n.startswith("model/")]))
report("checkpoint_shapes", sorted(list(s) for n, s in listed if n.startswith("model/")))

new_model = MySequentialModel()
new_model(tf.constant([[0.0, 0.0, 0.0]]))
for v in new_model.variables:
    v.assign(tf.zeros_like(v))
report("new_model_before_restore", new_model(tf.constant([[2.0, 2.0, 2.0]])), tol=1e-6)
new_checkpoint = tf.train.Checkpoint(model=new_model)
new_checkpoint.restore(chkp_path)
report("new_model_after_restore", new_model(tf.constant([[2.0, 2.0, 2.0]])), tol=1e-5)

weights_path = os.path.join(tmp, "model.weights.h5")
my_functional_model.save_weights(weights_path)
other = tf.keras.Model(inputs, FlexibleDense(2)(FlexibleDense(3)(inputs)))
for v in other.variables:
    v.assign(tf.ones_like(v))
other.load_weights(weights_path)
report("loaded_weights_results", other(tf.constant([[2.0, 2.0, 2.0]])), tol=1e-5)
