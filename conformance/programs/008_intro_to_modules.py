"""tf.Module: variables, submodules, names, and checkpointing a module.

Source: tensorflow/docs site/en/guide/intro_to_modules.ipynb
Covers: a SimpleModule with trainable and non-trainable variables, a Dense module and a
SequentialModule, trainable_variables / variables / submodules, name_scope names, calling with
fixed weights, tf.train.Checkpoint write/restore and tf.train.list_variables.
"""
import os
import tempfile

import numpy as np
from _target import report, tf


class SimpleModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.a_variable = tf.Variable(5.0, name="train_me")
        self.non_trainable_variable = tf.Variable(5.0, trainable=False, name="do_not_train_me")

    def __call__(self, x):
        return self.a_variable * x + self.non_trainable_variable


simple_module = SimpleModule(name="simple")
report("call", simple_module(tf.constant(5.0)).numpy())
report("trainable_variables", [v.numpy() for v in simple_module.trainable_variables])
report("variables", [v.numpy() for v in simple_module.variables])
report("module.name", simple_module.name)


class Dense(tf.Module):
    def __init__(self, in_features, out_features, seed, name=None):
        super().__init__(name=name)
        rng = np.random.default_rng(seed)
        self.w = tf.Variable(rng.normal(size=(in_features, out_features)).astype("float32"), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        y = tf.matmul(x, self.w) + self.b
        return tf.nn.relu(y)


class SequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(in_features=3, out_features=3, seed=1)
        self.dense_2 = Dense(in_features=3, out_features=2, seed=2)

    def __call__(self, x):
        x = self.dense_1(x)
        return self.dense_2(x)


my_model = SequentialModule(name="the_model")
report("model_results", my_model(tf.constant([[2.0, 2.0, 2.0]])), tol=1e-5)
report("submodules", [type(m).__name__ for m in my_model.submodules])
report("n_variables", len(my_model.variables))
report("variable_shapes", [v.shape for v in my_model.variables])

chkp_path = os.path.join(tempfile.mkdtemp(), "my_checkpoint")
checkpoint = tf.train.Checkpoint(model=my_model)
path = checkpoint.write(chkp_path)
report("write_returns_str", isinstance(path, str))
names = [name for name, shape in tf.train.list_variables(chkp_path)]
report("list_variables", sorted(n for n in names if n.startswith("model/")))
shapes = dict(tf.train.list_variables(chkp_path))
report("list_variables_shape", shapes["model/dense_2/w/.ATTRIBUTES/VARIABLE_VALUE"])

new_model = SequentialModule()
for v in new_model.variables:
    v.assign(tf.zeros_like(v))
new_checkpoint = tf.train.Checkpoint(model=new_model)
new_checkpoint.restore(chkp_path)
report("restored_results", new_model(tf.constant([[2.0, 2.0, 2.0]])), tol=1e-5)
