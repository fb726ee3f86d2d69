"""FSDPStrategy's units: which layers are FSDP2 units, their shards, and what is gathered while a layer runs.

argv: out_dir, units ("layers" or "model"). Run with torchrun (2 ranks) or plainly (one replica, the reference).
Writes results_rank{r}.json (units, what the last layer saw gathered during its forward) and weights_rank{r}.npz.
"""

import json
import os
import sys

import numpy as np
import torch

import capas as tf
from capas import keras
from capas.distribute import sharding

out_dir, units = sys.argv[1], sys.argv[2]
torch.set_num_threads(1)
torch.manual_seed(0)
strategy = tf.distribute.FSDPStrategy(units=units)
rank = tf.distribute.rank()

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 8)).astype("float32")
y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("int64") + (x[:, 2] > 1).astype("int64")
seen = []  # per training forward of the probe layer: the model's variables that hold storage at that moment
seen_inference = []  # the same for the forwards without gradients (predict, validation)


class Probe(keras.layers.Dense):
    """A Dense layer that records, when it runs, which of the model's variables are gathered (hold storage)."""

    def call(self, inputs):
        if "model" in globals():  # (not while the Sequential builds itself)
            gathered = sorted(v.path for v in model.trainable_weights if v.untyped_storage().nbytes() > 0)
            (seen if torch.is_grad_enabled() else seen_inference).append(gathered)
        return super().call(inputs)


class Penalized(keras.layers.Dense):
    """A Dense layer that adds a loss on its own kernel in its call (a gradient that skips its outputs)."""

    def call(self, inputs):
        self.add_loss(0.01 * tf.reduce_sum(tf.square(self.kernel)))
        return super().call(inputs)


with strategy.scope():
    model = keras.Sequential(
        [
            keras.Input((8,)),
            Penalized(33, activation="relu", name="dense_a"),
            # a regularized kernel: model.losses reads it after the forward, so it joins the root unit
            keras.layers.Dense(16, activation="tanh", kernel_regularizer=keras.regularizers.L2(0.01), name="dense_b"),
            # softmax: the crossentropy reads the logits behind the output, as tf.keras does
            Probe(3, activation="softmax", name="probe"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.SparseCategoricalCrossentropy())
first_predict = model.predict(x, batch_size=16, verbose=0)  # before fit: from the shards
history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, validation_data=(x[:32], y[:32]), verbose=0)

results = {
    "replicas": strategy.num_replicas_in_sync,
    "loss": history.history["loss"],
    "seen": seen,
    "seen_inference": seen_inference,
    "first_predict": first_predict.tolist(),
    "val_loss": history.history["val_loss"],
    "units": [
        {
            "owner": None if unit.owner is None else unit.owner.name,
            "root": unit.root is unit,
            "variables": [v.path for v in unit.variables],
            "local_shapes": [list(p.sharded_param.to_local().shape) for p in unit.fsdp_params],
            "placements": [str(p.sharded_param.placements) for p in unit.fsdp_params],
            "children": [child.owner.name for child in unit.children],
        }
        for unit in sharding._UNITS
    ],
}
np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
with open(os.path.join(out_dir, f"results_rank{rank}.json"), "w") as f:
    json.dump(results, f)
if tf.distribute.is_distributed():
    torch.distributed.barrier()
    torch.distributed.destroy_process_group()
