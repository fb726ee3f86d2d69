"""FSDPStrategy (FSDP2) in fit and in a custom loop; run with torchrun (2 ranks) or plainly (one replica).

argv: out_dir, then "fit" or "loop" (or "keras3": the same fit, spelled with keras.distribution).
Writes its results (weights, history, evaluation, per-rank storage) to out_dir.
"""

import contextlib
import json
import os
import sys

import numpy as np
import torch

import capas as tf
from capas import keras

out_dir, mode = sys.argv[1], sys.argv[2]
torch.set_num_threads(1)
torch.manual_seed(0)

if mode == "keras3":  # Keras 3's spelling: a distribution set for the program
    devices = keras.distribution.list_devices()
    mesh = keras.distribution.DeviceMesh(shape=(len(devices),), axis_names=("model",), devices=devices)
    layout_map = keras.distribution.LayoutMap(mesh)
    layout_map["dense_a/kernel"] = ("model", None)  # rows (8: 4 per rank)
    layout_map["dense_b/kernel"] = (None, "model")  # columns (16: 8 per rank)
    layout_map["dense_out/kernel"] = ("model", None)
    # the biases match no pattern: replicated, as in Keras 3
    keras.distribution.set_distribution(keras.distribution.ModelParallel(layout_map=layout_map))
    strategy = keras.distribution.distribution()  # its scope() is FSDPStrategy's
    replicas = len(devices)
else:
    strategy = tf.distribute.FSDPStrategy()
    replicas = strategy.num_replicas_in_sync
rank = tf.distribute.rank()

rng = np.random.default_rng(0)
x = rng.normal(size=(96, 8)).astype("float32")
y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("int64") + (x[:, 2] > 1).astype("int64")
x_val, y_val = rng.normal(size=(32, 8)).astype("float32"), rng.integers(0, 3, 32)
GLOBAL_BATCH = 16


def make_model():
    return keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(33, activation="relu", name="dense_a"),  # 33 rows: uneven shards on 2 ranks
            keras.layers.Dense(16, activation="tanh", name="dense_b"),
            keras.layers.Dense(3, name="dense_out"),
        ]
    )


storage = []


class Storage(keras.callbacks.Callback):
    """What this rank holds during fit: elements of its shards, of the full model, of the optimizer slots."""

    def on_train_batch_end(self, batch, logs=None):
        if batch:
            return
        from capas.distribute import sharding

        stored, full = sharding.local_numel(self.model)
        freed = sum(v.untyped_storage().nbytes() == 0 for v in self.model.trainable_weights)
        slots = sum(v.numel() for v in self.model.optimizer.variables if v.dim() >= 1)
        storage.append({"stored": stored, "full": full, "freed": freed, "slots": slots})


results = {"replicas": replicas}
if mode in ("fit", "keras3"):
    train = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    val = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(GLOBAL_BATCH)
    with strategy.scope() if mode == "fit" else contextlib.nullcontext():  # Keras 3: no scope needed
        model = make_model()
        model.compile(
            optimizer=keras.optimizers.Adam(0.01),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    checkpoint = keras.callbacks.ModelCheckpoint(os.path.join(out_dir, "ckpt.keras"))
    history = model.fit(train, epochs=3, validation_data=val, callbacks=[Storage(), checkpoint], verbose=0)
    results["history"] = history.history
    results["evaluate"] = model.evaluate(val, verbose=0)
    results["predict"] = model.predict(x_val, batch_size=GLOBAL_BATCH, verbose=0).tolist()
    model.save(os.path.join(out_dir, "final.keras"))  # every rank calls it; rank 0 writes
    model.save_weights(os.path.join(out_dir, "final.weights.h5"))
    np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
    # load_weights into a sharded model (made with other initial values): it predicts as the saved one
    torch.manual_seed(1)
    with strategy.scope():
        other = make_model()
        other.compile(
            optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        )
    other.load_weights(os.path.join(out_dir, "final.weights.h5"))
    other.fit(x[:GLOBAL_BATCH], y[:GLOBAL_BATCH], batch_size=GLOBAL_BATCH, epochs=1, verbose=0)  # from the shards
    results["other_predict"] = other.predict(x_val, batch_size=GLOBAL_BATCH, verbose=0).tolist()
elif mode == "extras":  # a scalar trainable variable (replicated: FSDP2 refuses scalars) and BackupAndRestore

    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.factor = self.add_weight(shape=(), initializer="ones", name="factor")

        def call(self, inputs):
            return inputs * self.factor

    with strategy.scope():
        model = keras.Sequential(
            [keras.Input((8,)), keras.layers.Dense(17, activation="relu"), Scale(), keras.layers.Dense(3)]
        )
        model.compile(
            optimizer=keras.optimizers.RMSprop(0.01), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        )
    backup = keras.callbacks.BackupAndRestore(os.path.join(out_dir, "backup"), delete_checkpoint=False)
    history = model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=2, shuffle=False, callbacks=[backup], verbose=0)
    results["history"] = history.history
    # a second fit resumes from the backup (restored into the sharded model): nothing left to train
    resumed = model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=3, shuffle=False, callbacks=[backup], verbose=0)
    results["resumed"] = resumed.history
    np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
else:  # a custom loop: GradientTape under strategy.run, losses reduced with strategy.reduce
    with strategy.scope():
        model = make_model()
        optimizer = keras.optimizers.SGD(0.1, momentum=0.9)
        loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
    dist_dataset = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    )

    def train_step(inputs):
        features, labels = inputs
        with tf.GradientTape() as tape:
            logits = model(features, training=True)
            loss = tf.nn.compute_average_loss(loss_object(labels, logits), global_batch_size=GLOBAL_BATCH)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    losses = []
    for _epoch in range(2):
        for batch in dist_dataset:
            per_replica = strategy.run(train_step, args=(batch,))
            losses.append(float(strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)))
            if not storage:
                from capas.distribute import sharding

                stored, full = sharding.local_numel(model)
                freed = sum(v.untyped_storage().nbytes() == 0 for v in model.trainable_weights)
                slots = sum(v.numel() for v in optimizer.variables if v.dim() >= 1)
                storage.append({"stored": stored, "full": full, "freed": freed, "slots": slots})
    results["losses"] = losses
    results["predict"] = model.predict(x_val, batch_size=GLOBAL_BATCH, verbose=0).tolist()
    np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
results["storage"] = storage
from capas.distribute import sharding  # noqa: E402

results["placements"] = {
    v.path: str(p.sharded_param.placements)
    for unit in sharding._UNITS
    for v, p in zip(unit.variables, unit.fsdp_params)
}
with open(os.path.join(out_dir, f"results_rank{rank}.json"), "w") as f:
    json.dump(results, f)
if tf.distribute.is_distributed():
    torch.distributed.barrier()
    torch.distributed.destroy_process_group()
