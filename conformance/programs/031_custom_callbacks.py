"""Writing your own callbacks: hook order, logs keys, early stopping and LR scheduling.

Source: keras-team/keras-io guides/writing_your_own_callbacks.py
(tensorflow/docs site/en/guide/keras/writing_your_own_callbacks)
Covers: a CustomCallback recording which methods run (train/test/predict begin/end, epoch and
batch hooks) and the keys of their logs, LossAndErrorPrintingCallback values, an
EarlyStoppingAtMinLoss with self.model.stop_training and get_weights/set_weights, a
CustomLearningRateScheduler reading/setting optimizer.learning_rate, keras.callbacks.EarlyStopping
and LearningRateScheduler.
"""
import numpy as np
from _target import init_weights, keras, report

rng = np.random.default_rng(0)
x_train = rng.random((32, 784)).astype("float32")
y_train = rng.random((32,)).astype("float32")


def get_model():
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(1)])
    init_weights(model, seed=1, scale=0.01)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01),
                  loss="mean_squared_error", metrics=["mean_absolute_error"])
    return model


class CustomCallback(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def _log(self, name, logs):
        self.events.append([name, sorted((logs or {}).keys())])

    def on_train_begin(self, logs=None): self._log("on_train_begin", logs)
    def on_train_end(self, logs=None): self._log("on_train_end", logs)
    def on_epoch_begin(self, epoch, logs=None): self._log("on_epoch_begin", logs)
    def on_epoch_end(self, epoch, logs=None): self._log("on_epoch_end", logs)
    def on_test_begin(self, logs=None): self._log("on_test_begin", logs)
    def on_test_end(self, logs=None): self._log("on_test_end", logs)
    def on_predict_begin(self, logs=None): self._log("on_predict_begin", logs)
    def on_predict_end(self, logs=None): self._log("on_predict_end", logs)
    def on_train_batch_begin(self, batch, logs=None): self._log("on_train_batch_begin", logs)
    def on_train_batch_end(self, batch, logs=None): self._log("on_train_batch_end", logs)
    def on_test_batch_begin(self, batch, logs=None): self._log("on_test_batch_begin", logs)
    def on_test_batch_end(self, batch, logs=None): self._log("on_test_batch_end", logs)
    def on_predict_batch_begin(self, batch, logs=None): self._log("on_predict_batch_begin", logs)
    def on_predict_batch_end(self, batch, logs=None): self._log("on_predict_batch_end", logs)


model = get_model()
cb = CustomCallback()
model.fit(x_train, y_train, batch_size=16, epochs=1, verbose=0, validation_split=0.5,
          callbacks=[cb], shuffle=False)
report("fit_events", cb.events)
cb = CustomCallback()
model.evaluate(x_train, y_train, batch_size=16, verbose=0, callbacks=[cb])
report("evaluate_events", cb.events)
cb = CustomCallback()
model.predict(x_train, batch_size=16, verbose=0, callbacks=[cb])
report("predict_events", cb.events)


class LossAndErrorPrintingCallback(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        report("batch_loss", [batch, logs["loss"]], tol=1e-4)

    def on_epoch_end(self, epoch, logs=None):
        report("epoch_end", [epoch, logs["loss"], logs["mean_absolute_error"]], tol=1e-4)


model = get_model()
model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=0, shuffle=False,
          callbacks=[LossAndErrorPrintingCallback()])


class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    def __init__(self, patience=0):
        super().__init__()
        self.patience = patience
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("loss")
        if np.less(current, self.best):
            self.best = current
            self.wait = 0
            self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                self.model.set_weights(self.best_weights)


model = get_model()
stopper = EarlyStoppingAtMinLoss()
history = model.fit(x_train, y_train, batch_size=8, epochs=30, verbose=0, shuffle=False, callbacks=[stopper])
report("early_stop_epoch", stopper.stopped_epoch)
report("early_stop_history_len", len(history.history["loss"]))


class CustomLearningRateScheduler(keras.callbacks.Callback):
    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        lr = float(np.array(self.model.optimizer.learning_rate))
        scheduled_lr = self.schedule(epoch, lr)
        self.model.optimizer.learning_rate = scheduled_lr
        report("scheduled_lr", [epoch, scheduled_lr], tol=1e-6)


LR_SCHEDULE = [(1, 0.05), (3, 0.01)]


def lr_schedule(epoch, lr):
    if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]:
        return lr
    for i in range(len(LR_SCHEDULE)):
        if epoch == LR_SCHEDULE[i][0]:
            return LR_SCHEDULE[i][1]
    return lr


model = get_model()
model.fit(x_train, y_train, batch_size=16, epochs=4, verbose=0, shuffle=False,
          callbacks=[CustomLearningRateScheduler(lr_schedule)])
report("final_lr", float(np.array(model.optimizer.learning_rate)), tol=1e-6)

model = get_model()
history = model.fit(x_train, y_train, batch_size=8, epochs=30, verbose=0, shuffle=False,
                    callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=1),
                               keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)])
# With the rate halved every epoch, by epoch ~27 a step moves the loss by ~1e-9, at float32's
# rounding of it: which epoch first fails to improve depends on the order of rounding in the
# kernels (TF's Eigen vs torch's oneDNN and MKL), so the epoch count is compared within one.
report("builtin_early_stopping_stopped", len(history.history["loss"]) < 30)
report("builtin_early_stopping_epochs", float(len(history.history["loss"])), tol=(0.0, 1.0))
report("builtin_history_keys", sorted(history.history.keys()))
report("builtin_lr_log", history.history["learning_rate"][:3], tol=1e-6)
