"""A training run for the kill-and-resume test: python _resume_script.py OUT_DIR BACKUP_DIR [KILL_AT]."""

import os
import signal
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import torch  # noqa: E402

import capas.keras as keras  # noqa: E402

out_dir, backup_dir = sys.argv[1], sys.argv[2]
kill_at = int(sys.argv[3]) if len(sys.argv) > 3 else None
torch.manual_seed(0)
np.random.seed(0)
torch.set_num_threads(1)

rng = np.random.default_rng(0)
x = rng.normal(size=(48, 4)).astype("float32")
y = rng.integers(0, 3, size=(48,))
inputs = keras.Input((4,))
hidden = keras.layers.Dense(8, activation="relu")(inputs)
hidden = keras.layers.Dropout(0.3)(hidden)
outputs = keras.layers.Dense(3, activation="softmax")(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")


class Killer(keras.callbacks.Callback):
    """Dies with SIGKILL after the `kill_at`-th batch (counted over the whole run)."""

    seen = 0

    def on_train_batch_end(self, batch, logs=None):
        Killer.seen += 1
        if kill_at is not None and Killer.seen == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


backup = keras.callbacks.BackupAndRestore(backup_dir, save_freq=4, double_checkpoint=True)
model.fit(x, y, batch_size=8, epochs=4, shuffle=True, verbose=0, callbacks=[backup, Killer()])
np.savez(os.path.join(out_dir, "weights.npz"), *model.get_weights())
