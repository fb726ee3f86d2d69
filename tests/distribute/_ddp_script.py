"""A data-parallel training script, started by the tests with torchrun (2 processes, gloo)."""

import os
import sys

import numpy as np
import torch


def model_and_data(keras):
    from capas.keras import layers

    inputs = keras.Input((6,))
    hidden = layers.Dense(8, activation="relu", name="hidden")(inputs)
    model = keras.Model(inputs, layers.Dense(3, activation="softmax", name="out")(hidden))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 6)).astype("float32")
    return model, x, np.argmax(x[:, :3], axis=1)


def main(out_dir, shuffle):
    torch.distributed.init_process_group("gloo")
    rank = torch.distributed.get_rank()
    torch.set_num_threads(1)
    from capas import keras

    torch.manual_seed(100 + rank)  # different starting weights on purpose: fit broadcasts rank 0's
    model, x, y = model_and_data(keras)
    if rank == 0:
        model.set_weights([np.load(os.path.join(out_dir, f"w{i}.npy")) for i in range(4)])
    model.compile(keras.optimizers.SGD(0.1, momentum=0.9), "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=3, shuffle=shuffle, verbose=0)
    np.savez(
        os.path.join(out_dir, f"rank{rank}.npz"),
        *model.get_weights(),
        loss=np.array(history.history["loss"]),
        acc=np.array(history.history["accuracy"]),
    )
    torch.distributed.barrier()  # both ranks are done before gloo's threads are torn down
    torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] == "shuffle")
