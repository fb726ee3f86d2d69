"""A model sharded across processes with FSDP2: `FSDPStrategy`, or Keras 3's `ModelParallel`.

    python examples/distributed_fsdp.py                          # one process: nothing is sharded
    torchrun --nproc_per_node 2 examples/distributed_fsdp.py     # 2 processes, each keeps half of the model
    torchrun --nproc_per_node 2 examples/distributed_fsdp.py --keras3   # the same, spelled as in Keras 3

Every process runs this same program. The weights, their gradients and the
optimizer state are split by rows across the processes, each Dense layer one
FSDP2 unit (gathered only while it runs); `fit` sees global batches, as with
MirroredStrategy. The checkpoint is one complete `.keras`
file (rank 0 writes it), which a one-process program (or Keras 3) loads.
"""

import os
import sys
import tempfile

import numpy as np

import capas as tf
from capas import keras
from capas.distribute import sharding


def make_model():
    return keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10),
        ]
    )


if "--keras3" in sys.argv:
    devices = keras.distribution.list_devices()
    mesh = keras.distribution.DeviceMesh((len(devices),), ["model"], devices)
    layout_map = keras.distribution.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = ("model", None)  # rows over all processes (FSDP2's Shard(0))
    layout_map[".*dense.*bias"] = ("model",)  # unmatched variables would stay replicated, as in Keras 3
    keras.distribution.set_distribution(keras.distribution.ModelParallel(layout_map=layout_map))
    scope = keras.distribution.distribution().scope()
else:
    scope = tf.distribute.FSDPStrategy().scope()
replicas, rank = tf.distribute.world_size(), tf.distribute.rank()

rng = np.random.default_rng(0)
x = rng.normal(size=(4096, 64)).astype("float32")
y = np.argmax(x[:, :10] + 0.1 * x[:, 10:20], axis=1)
train = tf.data.Dataset.from_tensor_slices((x[:3584], y[:3584])).shuffle(3584, seed=1).batch(128)
val = tf.data.Dataset.from_tensor_slices((x[3584:], y[3584:])).batch(128)

with scope:
    model = make_model()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        metrics=["accuracy"],
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )


class ShowShards(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        stored, full = sharding.local_numel(self.model)
        if rank == 0:
            print(f"rank 0 keeps {stored} of the {full} parameters between steps ({replicas} processes)")


path = os.path.join(tempfile.gettempdir(), "capas_fsdp_example.keras")
model.fit(
    train,
    epochs=2,
    validation_data=val,
    verbose=2 if rank == 0 else 0,
    callbacks=[ShowShards(), keras.callbacks.ModelCheckpoint(path)],
)
loss, accuracy = model.evaluate(val, verbose=0)  # on every rank: a model call gathers the shards
model.save(path)  # on every rank: the ranks gather, rank 0 writes
if rank == 0:
    print(f"Eval loss: {loss:.4f}, Eval accuracy: {accuracy:.4f}; saved {path}")
