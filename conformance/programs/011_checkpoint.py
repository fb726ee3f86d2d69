"""Training checkpoints: tf.train.Checkpoint and CheckpointManager around a Keras model.

Source: tensorflow/docs site/en/guide/checkpoint.ipynb
Covers: a subclassed Net, a toy dataset, an optimizer, Checkpoint(step, optimizer, net, iterator),
CheckpointManager(max_to_keep=3) save / latest_checkpoint / checkpoints, restoring the latest
checkpoint into a fresh object graph, tf.train.list_variables and load_checkpoint.
"""
import os
import tempfile

import numpy as np
from _target import keras, report, tf


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.l1 = keras.layers.Dense(5)

    def call(self, x):
        return self.l1(x)


net = Net()
net(tf.zeros([1, 1]))
net.l1.set_weights([np.array([[0.1, -0.2, 0.3, -0.4, 0.5]], "float32"), np.zeros(5, "float32")])


def toy_dataset():
    inputs = tf.range(10.0)[:, None]
    labels = inputs * 5.0 + tf.range(5.0)[None, :]
    return tf.data.Dataset.from_tensor_slices(dict(x=inputs, y=labels)).repeat().batch(2)


def train_step(net, example, optimizer):
    with tf.GradientTape() as tape:
        output = net(example["x"])
        loss = tf.reduce_mean(tf.abs(output - example["y"]))
    variables = net.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss


opt = keras.optimizers.Adam(0.1)
dataset = toy_dataset()
iterator = iter(dataset)
ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, iterator=iterator)
directory = tempfile.mkdtemp()
manager = tf.train.CheckpointManager(ckpt, os.path.join(directory, "tf_ckpts"), max_to_keep=3)
report("latest_before", manager.latest_checkpoint)


def train_and_checkpoint(net, manager):
    ckpt.restore(manager.latest_checkpoint)
    for _ in range(50):
        example = next(iterator)
        loss = train_step(net, example, opt)
        ckpt.step.assign_add(1)
        if int(ckpt.step) % 10 == 0:
            save_path = manager.save()
            report("saved", [int(ckpt.step), os.path.basename(save_path)])
            report("loss", float(loss), tol=1e-4)


train_and_checkpoint(net, manager)
report("checkpoints", [os.path.basename(p) for p in manager.checkpoints])
report("latest", os.path.basename(manager.latest_checkpoint))

new_net = Net()
new_net(tf.zeros([1, 1]))
new_opt = keras.optimizers.Adam(0.1)
new_iterator = iter(toy_dataset())
new_ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=new_opt, net=new_net, iterator=new_iterator)
status = new_ckpt.restore(manager.latest_checkpoint)
report("restored_step", int(new_ckpt.step))
report("restored_kernel", new_net.l1.kernel, tol=1e-5)
report("restored_iterator_next", next(new_iterator)["x"])
names = [name for name, shape in tf.train.list_variables(manager.latest_checkpoint)]
report("has_step", "step/.ATTRIBUTES/VARIABLE_VALUE" in names)
reader = tf.train.load_checkpoint(manager.latest_checkpoint)
report("reader_step", reader.get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE"))
