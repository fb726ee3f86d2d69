"""Checkpoint object tracking: lists and dicts of variables, delayed restoration, partial restore.

Source: tensorflow/docs site/en/guide/checkpoint.ipynb ("Loading mechanics", "Delayed
restorations", "List and dictionary tracking", "Manually inspecting checkpoints")
Covers: tf.train.Checkpoint with attributes assigned later (listed / mapped containers), save and
restore of a single variable through a dict key, restoring into a partial object graph
(bias only) with expect_partial, delayed restoration of a Dense layer built after restore,
and tf.train.load_checkpoint keys/shapes.
"""
import os
import tempfile

import numpy as np
from _target import keras, report, tf

d = tempfile.mkdtemp()
save = tf.train.Checkpoint()
save.listed = [tf.Variable(1.0)]
save.listed.append(tf.Variable(2.0))
save.mapped = {"one": save.listed[0]}
save.mapped["two"] = save.listed[1]
save_path = save.save(os.path.join(d, "tf_list_example"))
report("save_path_suffix", os.path.basename(save_path))

restore = tf.train.Checkpoint()
v2 = tf.Variable(0.0)
report("before_restore", v2.numpy())
restore.mapped = {"two": v2}
restore.restore(save_path)
report("after_restore", v2.numpy())

model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, name="l1")])
model.layers[0].set_weights([np.arange(6, dtype="float32").reshape(2, 3), np.array([1.0, 2.0, 3.0], "float32")])
ckpt = tf.train.Checkpoint(model=model)
path = ckpt.write(os.path.join(d, "model_ckpt"))

new_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, name="l1")])
for w in new_model.weights:
    w.assign(tf.zeros_like(w))
status = tf.train.Checkpoint(model=new_model).read(path)
status.expect_partial()
report("restored_bias", new_model.layers[0].bias)
report("restored_kernel", new_model.layers[0].kernel)

reader = tf.train.load_checkpoint(path)
shape_map = reader.get_variable_to_shape_map()
report("n_saved_float_arrays", sum(1 for k, s in shape_map.items() if list(s) in ([2, 3], [3])))
report("saved_shapes", sorted(list(s) for k, s in shape_map.items() if list(s) in ([2, 3], [3])))
