"""A fit that loses a rank: argv = out_dir, mode ('none', 'crash' or 'hang'), backup_dir.

'crash': rank 1 exits at the end of epoch 1 on the first attempt; 'hang': rank 1 sleeps there.
"""

import os
import sys
import time

import numpy as np
import torch

import capas as tf
from capas import keras

out_dir, mode, backup_dir = sys.argv[1], sys.argv[2], sys.argv[3]
torch.set_num_threads(1)
torch.manual_seed(0)
strategy = tf.distribute.MirroredStrategy()
rank = strategy.cluster_resolver.task_id
first_attempt = int(os.environ.get("TORCHELASTIC_RESTART_COUNT", "0")) == 0


class LoseRank1(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if mode != "none" and rank == 1 and epoch == 1 and first_attempt:
            open(os.path.join(out_dir, f"lost_{mode}"), "w").close()
            if mode == "crash":
                os._exit(3)
            time.sleep(600)


rng = np.random.default_rng(0)
x = rng.normal(size=(64, 5)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
with strategy.scope():
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)])
    model.compile(
        optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
model.fit(
    x, y, batch_size=16, epochs=4, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(backup_dir), LoseRank1()]
)
np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
if tf.distribute.is_distributed():
    torch.distributed.barrier()  # both ranks are done before gloo's threads are torn down
    torch.distributed.destroy_process_group()
