"""Distributed training with Keras: MirroredStrategy scope, compile/fit, callbacks, save and reload.

Source: tensorflow/docs site/en/tutorials/distribute/keras.ipynb
Covers: tf.distribute.MirroredStrategy() (one replica here) and num_replicas_in_sync, a
dataset.map(scale).cache().batch(BATCH_SIZE) pipeline with the global batch size, building and
compiling a Conv2D/MaxPooling2D/Flatten/Dense model inside strategy.scope(), callbacks
(ModelCheckpoint with '{epoch:04d}.weights.h5' and save_weights_only, LearningRateScheduler with a
step decay, a PrintLR callback reading model.optimizer.learning_rate), loading the latest
checkpoint with pathlib, evaluate, model.save('.keras'), load_model with and without the strategy
scope, compile and evaluate of the reloaded models. (TensorBoard is left out; no shuffle.)
"""
import os
import pathlib
import tempfile

import numpy as np
from _target import init_weights, report, tf

rng = np.random.default_rng(92)
mnist_train = tf.data.Dataset.from_tensor_slices(
    (rng.integers(0, 256, (96, 28, 28, 1)).astype("uint8"), rng.integers(0, 10, 96).astype("int64")))
mnist_test = tf.data.Dataset.from_tensor_slices(
    (rng.integers(0, 256, (32, 28, 28, 1)).astype("uint8"), rng.integers(0, 10, 32).astype("int64")))

strategy = tf.distribute.MirroredStrategy()
report("num_replicas_in_sync", strategy.num_replicas_in_sync)

BUFFER_SIZE = 10000
BATCH_SIZE_PER_REPLICA = 32
BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync


def scale(image, label):
    image = tf.cast(image, tf.float32)
    image /= 255

    return image, label


train_dataset = mnist_train.map(scale).cache().batch(BATCH_SIZE)
eval_dataset = mnist_test.map(scale).batch(BATCH_SIZE)
report("train_spec", [[list(s.shape), s.dtype] for s in train_dataset.element_spec])

with strategy.scope():
    model = tf.keras.Sequential([
        tf.keras.layers.Conv2D(8, 3, activation='relu', input_shape=(28, 28, 1)),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(16, activation='relu'),
        tf.keras.layers.Dense(10)
    ])
    init_weights(model, seed=8, scale=0.05)

    model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  optimizer=tf.keras.optimizers.Adam(learning_rate=0.001),
                  metrics=['accuracy'])

checkpoint_dir = os.path.join(tempfile.mkdtemp(), 'training_checkpoints')
checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt_{epoch:04d}.weights.h5")


def decay(epoch):
    if epoch < 1:
        return 1e-3
    elif epoch >= 1 and epoch < 2:
        return 1e-4
    else:
        return 1e-5


lrs = []


class PrintLR(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        lrs.append(float(model.optimizer.learning_rate.numpy()))


callbacks = [
    tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_prefix,
                                       save_weights_only=True),
    tf.keras.callbacks.LearningRateScheduler(decay),
    PrintLR()
]

EPOCHS = 3
history = model.fit(train_dataset, epochs=EPOCHS, callbacks=callbacks, verbose=0)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
report("history_lr", history.history.get("learning_rate"), tol=1e-6)
report("printed_lrs", lrs, tol=1e-7)
report("checkpoint_files", sorted(os.listdir(checkpoint_dir)))

latest_checkpoint = sorted(pathlib.Path(checkpoint_dir).glob('*'))[-1]
model.load_weights(latest_checkpoint)
eval_loss, eval_acc = model.evaluate(eval_dataset, verbose=0)
report("eval", [eval_loss, eval_acc], tol=1e-3)

path = os.path.join(tempfile.mkdtemp(), 'my_model.keras')
model.save(path)
unreplicated_model = tf.keras.models.load_model(path)
unreplicated_model.compile(
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=tf.keras.optimizers.Adam(),
    metrics=['accuracy'])
eval_loss, eval_acc = unreplicated_model.evaluate(eval_dataset, verbose=0)
report("unreplicated_eval", [eval_loss, eval_acc], tol=1e-3)

with strategy.scope():
    replicated_model = tf.keras.models.load_model(path)
    replicated_model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                             optimizer=tf.keras.optimizers.Adam(),
                             metrics=['accuracy'])
    eval_loss, eval_acc = replicated_model.evaluate(eval_dataset, verbose=0)
report("replicated_eval", [eval_loss, eval_acc], tol=1e-3)
