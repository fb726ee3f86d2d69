"""The seed's model trained on the real MNIST digits, offline: the main job of `make demo`.

The functional model Input(784) -> Dense(64, relu) -> Dense(64, relu) -> Dense(10, softmax),
compiled with RMSprop(1e-3), sparse categorical crossentropy and sparse categorical accuracy,
trained on the 60,000 training images with a validation split and the four callbacks the seed
names (ModelCheckpoint, EarlyStopping, CSVLogger, TensorBoard), then evaluated on the 10,000
test images. Everything it writes goes into a fresh run folder; nothing is overwritten.

    python examples/mnist_seed.py [--out demo_out] [--epochs 20]

The data comes from the capas dataset cache (`scripts/get_mnist.sh` fills it offline).
"""

import argparse
import datetime
import os
import sys
import time

import numpy as np

import capas as tf  # noqa: F401  (the tutorial's import line)
from capas import keras
from capas.keras import layers


def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def get_compiled_model():
    model = get_uncompiled_model()
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    return model


def new_run_folder(base):
    """A new folder under `base` for this run: earlier runs are never overwritten."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = os.path.join(base, f"run-{stamp}")
    suffix = 1
    while os.path.exists(path):
        path = os.path.join(base, f"run-{stamp}-{suffix}")
        suffix += 1
    os.makedirs(path)
    return path


def plot_training(history, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    h = history.history
    epochs = np.arange(1, len(h["loss"]) + 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    ax1.plot(epochs, h["loss"], "o-", label="train")
    ax1.plot(epochs, h["val_loss"], "o-", label="validation")
    ax1.set(title="Loss (sparse categorical crossentropy)", xlabel="epoch", ylabel="loss")
    ax1.legend()
    ax2.plot(epochs, h["sparse_categorical_accuracy"], "o-", label="train")
    ax2.plot(epochs, h["val_sparse_categorical_accuracy"], "o-", label="validation")
    ax2.set(title="Accuracy", xlabel="epoch", ylabel="accuracy")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_predictions(images, labels, predicted, path, n=40):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Show the first mistakes first, then correct ones, so errors are visible.
    wrong = np.flatnonzero(predicted != labels)
    right = np.flatnonzero(predicted == labels)
    order = np.concatenate([wrong[: n // 4], right])[:n]
    cols = 10
    rows = int(np.ceil(len(order) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.3, rows * 1.55))
    for ax, i in zip(axes.ravel(), order):
        ax.imshow(images[i], cmap="gray_r")
        ok = predicted[i] == labels[i]
        ax.set_title(
            f"{predicted[i]} (true {labels[i]})" if not ok else f"{predicted[i]}",
            color="green" if ok else "red",
            fontsize=9,
        )
        for spine in ax.spines.values():
            spine.set_edgecolor("green" if ok else "red")
            spine.set_linewidth(0 if ok else 2.5)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes.ravel()[len(order) :]:
        ax.axis("off")
    fig.suptitle("Test digits: predicted label (red: mistakes, with the true label)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="demo_out", help="base folder; each run gets its own subfolder")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--verbose", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0, help="random seed (weights, shuffling)")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(args.seed)

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    print(f"MNIST: {x_train.shape[0]} training and {x_test.shape[0]} test images of {x_train.shape[1:]} pixels")
    x_train_flat = x_train.reshape(-1, 784).astype("float32") / 255.0
    x_test_flat = x_test.reshape(-1, 784).astype("float32") / 255.0

    out = new_run_folder(args.out)
    best_path = os.path.join(out, "best_model.keras")
    csv_path = os.path.join(out, "training_log.csv")
    log_dir = os.path.join(out, "tensorboard")
    watch = "val_sparse_categorical_accuracy"
    callbacks = [
        keras.callbacks.ModelCheckpoint(filepath=best_path, monitor=watch, save_best_only=True),
        keras.callbacks.EarlyStopping(monitor=watch, patience=4, restore_best_weights=True),
        keras.callbacks.CSVLogger(csv_path),
        keras.callbacks.TensorBoard(log_dir=log_dir),
    ]

    model = get_compiled_model()
    model.summary()
    start = time.perf_counter()
    history = model.fit(
        x_train_flat,
        y_train,
        batch_size=args.batch_size,
        epochs=args.epochs,
        validation_split=0.1,
        callbacks=callbacks,
        verbose=args.verbose,
    )
    train_seconds = time.perf_counter() - start

    test_loss, test_acc = model.evaluate(x_test_flat, y_test, batch_size=1024, verbose=0)
    print(f"\nTraining took {train_seconds:.1f}s for {len(history.history['loss'])} epochs.")
    print(f"Test loss {test_loss:.4f}, test accuracy {test_acc:.4f}")

    probs = model.predict(x_test_flat, batch_size=1024, verbose=0)
    predicted = probs.argmax(axis=1)
    training_png = os.path.join(out, "training.png")
    predictions_png = os.path.join(out, "predictions.png")
    plot_training(history, training_png)
    plot_predictions(x_test, y_test, predicted, predictions_png)

    final_path = os.path.join(out, "final_model.keras")
    model.save(final_path)
    restored = keras.models.load_model(final_path)
    same = np.allclose(restored.predict(x_test_flat, batch_size=1024, verbose=0), probs, atol=1e-6)
    print(f"\nReloaded {final_path}: predictions identical to the trained model: {same}")

    print("\nFiles written:")
    for label, path in (
        ("best model", best_path),
        ("final model", final_path),
        ("CSV log", csv_path),
        ("TensorBoard logs", log_dir),
        ("training curves", training_png),
        ("test predictions", predictions_png),
    ):
        print(f"  {label:17s} {path}")
    print(f"\nOpen TensorBoard with:  tensorboard --logdir {log_dir}")
    if test_acc < 0.97:
        print("Test accuracy is below the 97% this demo promises.", file=sys.stderr)
        return 1
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
