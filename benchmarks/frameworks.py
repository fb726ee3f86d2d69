"""The same workloads written with capas (eager and jit_compile) and with Keras 3 (torch backend)."""

import torch


def _seed_model(lib):
    inputs = lib.Input(shape=(784,), name="digits")
    x = lib.layers.Dense(64, activation="relu")(inputs)
    x = lib.layers.Dense(64, activation="relu")(x)
    return lib.Model(inputs, lib.layers.Dense(10, activation="softmax")(x))


def _wide_model(lib):
    inputs = lib.Input(shape=(784,))
    x = lib.layers.Dense(1024, activation="relu")(inputs)
    x = lib.layers.Dense(1024, activation="relu")(x)
    return lib.Model(inputs, lib.layers.Dense(10, activation="softmax")(x))


def _cnn_model(lib):
    layers = lib.layers
    inputs = lib.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    return lib.Model(inputs, layers.Dense(10, activation="softmax")(x))


SPECS = {
    "seed": (_seed_model, "RMSprop", 64),
    "wide": (_wide_model, "Adam", 256),
    "cnn": (_cnn_model, "Adam", 128),
}


class FitRunner:
    """One epoch of `model.fit` per `run()`."""

    def __init__(self, lib, workload, x, y, jit=False):
        build, opt_name, self.bs = SPECS[workload]
        self.model = build(lib)
        if workload == "cnn":
            x = x.reshape(-1, 28, 28, 1)
        self.x, self.y = x, y
        kwargs = {"jit_compile": True} if jit else {}
        self.model.compile(
            getattr(lib.optimizers, opt_name)(learning_rate=1e-3),
            "sparse_categorical_crossentropy",
            metrics=["sparse_categorical_accuracy"],
            **kwargs,
        )
        self.n = x.shape[0]

    def run(self):
        return self.model.fit(self.x, self.y, batch_size=self.bs, epochs=1, verbose=0, shuffle=True)

    @property
    def steps(self):
        return -(-self.n // self.bs)


class PredictRunner:
    def __init__(self, lib, x):
        self.model = _seed_model(lib)
        self.x = x
        self.n = x.shape[0]

    def run(self):
        return self.model.predict(self.x, batch_size=1024, verbose=0)

    @property
    def steps(self):
        return -(-self.n // 1024)


class EvaluateRunner:
    """`evaluate` of the seed model, compiled with its loss and accuracy, one pass per run()."""

    def __init__(self, lib, x, y):
        self.model = _seed_model(lib)
        self.model.compile("rmsprop", "sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
        self.x, self.y = x, y
        self.n = x.shape[0]

    def run(self):
        return self.model.evaluate(self.x, self.y, batch_size=1024, verbose=0)

    @property
    def steps(self):
        return -(-self.n // 1024)


class TapeRunner:
    """The seed's custom GradientTape loop (capas), one epoch per run()."""

    def __init__(self, tf, x, y, use_backward=False):
        self.tf = tf
        self.model = _seed_model(tf.keras)
        self.opt = tf.keras.optimizers.RMSprop(learning_rate=1e-3)
        self.loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
        self.x, self.y = x, y
        self.n = x.shape[0]
        self.use_backward = use_backward

    def run(self):
        tf, model, opt, loss_fn = self.tf, self.model, self.opt, self.loss_fn
        weights = model.trainable_weights
        perm = torch.randperm(self.n, device=self.x.device)
        for start in range(0, self.n, 64):
            idx = perm[start : start + 64]
            xb, yb = self.x.index_select(0, idx), self.y.index_select(0, idx)
            if self.use_backward:
                for w in weights:
                    w.grad = None
                with tf.record_gradients():
                    loss = loss_fn(yb, model(xb, training=True))
                loss.backward()
                grads = [w.grad for w in weights]
            else:
                with tf.GradientTape() as tape:
                    loss = loss_fn(yb, model(xb, training=True))
                grads = tape.gradient(loss, weights)
            opt.apply_gradients(zip(grads, weights))

    @property
    def steps(self):
        return -(-self.n // 64)


class Conv2DRunner:
    """Forward and backward of one Conv2D layer (channels_last, Keras's layout), repeated."""

    def __init__(self, lib, x, steps=50):
        self.layer = lib.layers.Conv2D(64, 3, padding="same")
        self.x = x  # (N, 28, 28, 32)
        self.steps = steps
        self.n = x.shape[0] * steps
        self.lib = lib
        self.layer(self.x[:1])

    def run(self):
        import capas

        for _ in range(self.steps):
            with capas.record_gradients():
                out = self.layer(self.x)
            out.sum().backward()
