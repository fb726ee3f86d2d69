"""Data-parallel training as in TF's "Distributed training with Keras" tutorial, on torchrun.

    python examples/distributed_mirrored.py                          # one process, one replica
    torchrun --nproc_per_node 2 examples/distributed_mirrored.py     # two replicas (gloo on CPU, NCCL on GPUs)

Only the imports differ from the TensorFlow program; the data is synthetic.
"""

import os
import tempfile

import numpy as np

import capas as tf
from capas import keras

strategy = tf.distribute.MirroredStrategy()
print(f"Number of devices: {strategy.num_replicas_in_sync}")

BATCH_SIZE_PER_REPLICA = 64
BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync

rng = np.random.default_rng(0)
images = rng.random((2048, 28, 28, 1), dtype=np.float32)
labels = (images.mean(axis=(1, 2, 3)) > 0.5).astype("int64") + 2 * (images[:, :14].mean(axis=(1, 2, 3)) > 0.5)
train_dataset = tf.data.Dataset.from_tensor_slices((images[:1792], labels[:1792])).shuffle(1792).batch(BATCH_SIZE)
eval_dataset = tf.data.Dataset.from_tensor_slices((images[1792:], labels[1792:])).batch(BATCH_SIZE)

with strategy.scope():
    model = keras.Sequential(
        [
            keras.layers.Conv2D(16, 3, activation="relu", input_shape=(28, 28, 1)),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(4),
        ]
    )
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(),
        metrics=["accuracy"],
    )

checkpoint_dir = os.path.join(tempfile.gettempdir(), "capas_training_checkpoints")
callbacks = [
    keras.callbacks.BackupAndRestore(os.path.join(checkpoint_dir, "backup")),  # resumes a restarted job
    keras.callbacks.ModelCheckpoint(
        os.path.join(checkpoint_dir, "ckpt_{epoch}.weights.h5"), save_weights_only=True
    ),  # written by rank 0 only
]
model.fit(train_dataset, epochs=2, validation_data=eval_dataset, callbacks=callbacks, verbose=2)  # rank 0 prints
eval_loss, eval_acc = model.evaluate(eval_dataset, verbose=0)
if strategy.cluster_resolver.task_id == 0:
    print(f"Eval loss: {eval_loss:.4f}, Eval accuracy: {eval_acc:.4f}")
