"""`TensorBoard`: write metrics, weight histograms and the model to TensorBoard event files."""

import os
import time
import warnings

import numpy as np

from capas.keras.callbacks._files import is_chief
from capas.keras.callbacks.callback import Callback


def _summary_writer_class():
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as e:
        raise ImportError(
            "keras.callbacks.TensorBoard needs the `tensorboard` package to write event files: "
            "`pip install tensorboard`."
        ) from e
    return SummaryWriter


def _weight_image(weight):
    """Keras's image of a weight: NHWC with 1, 3 or 4 channels, or None."""
    image = np.squeeze(np.asarray(weight, dtype=np.float32))
    if image.ndim == 1:
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.ndim == 3:
        image = np.transpose(image, (2, 0, 1))[..., None]  # channels_last kernels
    if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
        return image
    return None


class TensorBoard(Callback):
    """Log metrics (and optionally weight histograms) for TensorBoard.

    Writes event files under `log_dir/train` and `log_dir/validation`:
    scalars `epoch_<metric>` per epoch (step = 0-based epoch; the train
    folder also gets `epoch_learning_rate`, the validation folder the
    `val_*` metrics without the prefix and `evaluation_<metric>_vs_iterations`),
    `batch_<metric>` every `update_freq` batches (step = batches seen), and
    histograms `<weight path>/histogram` every `histogram_freq` epochs.
    View them with `tensorboard --logdir=path_to_your_logs`.

    Needs the `tensorboard` package (`pip install tensorboard`), used through
    `torch.utils.tensorboard`; TensorFlow is not needed.

    Args:
        log_dir: the folder of the event files.
        histogram_freq: every how many epochs to write weight histograms (0: never).
        write_graph: write the model's config (the "Keras" conceptual graph)
            for functional and Sequential models.
        write_images: write the weights as images (needs Pillow).
        write_steps_per_second: also log training steps per second.
        update_freq: `'epoch'`, `'batch'` or an integer N: write batch
            metrics every N batches. Each write reads the batch logs (a
            device sync), so frequent writes slow training down.
        profile_batch: must be 0. Differs from Keras: profiling is not
            available; use `torch.profiler`.
        embeddings_freq: every how many epochs to save the weights for the
            embedding projector.
        embeddings_metadata: a metadata file path, or a dict from embedding
            layer name to file path.

    Example:

    >>> import capas.keras as keras
    >>> tensorboard_callback = keras.callbacks.TensorBoard(log_dir="./logs")
    >>> # model.fit(x, y, epochs=2, callbacks=[tensorboard_callback])
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        _summary_writer_class()  # fail early with the install hint
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (
            not isinstance(update_freq, int) or isinstance(update_freq, bool) or update_freq < 1
        ):
            raise ValueError(
                f"TensorBoard: update_freq must be 'epoch', 'batch' or a positive integer. "
                f"Received: update_freq={update_freq!r}."
            )
        self.update_freq = update_freq
        if profile_batch:
            raise ValueError(
                "TensorBoard: profiling is not available in capas; use torch.profiler "
                f"(https://pytorch.org/docs/stable/profiler.html). Received: profile_batch={profile_batch} "
                "(must be 0)."
            )
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0
        self._writers = {}
        self._graph_written = False

    # -- writers ------------------------------------------------------------------------------
    def set_model(self, model):
        super().set_model(model)
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._close_writers()
        self._graph_written = False

    def _writer(self, which):
        if which not in self._writers:
            folder = self._train_dir if which == "train" else self._val_dir
            self._writers[which] = _summary_writer_class()(log_dir=folder)
        return self._writers[which]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _scalar(self, which, tag, value, step):
        self._writer(which).add_scalar(tag, float(value), global_step=int(step))

    # -- hooks --------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        if is_chief() and self.write_graph and not self._graph_written:
            self._write_model_config()
            self._graph_written = True

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = float(self.model.optimizer.iterations)
            self._epoch_start_time = time.time()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        step = self._global_train_batch
        if self.update_freq == "epoch" or step % self.update_freq != 0 or not is_chief():
            return
        if self.write_steps_per_second:
            self._scalar(
                "train", "batch_steps_per_second", 1.0 / max(time.time() - self._batch_start_time, 1e-12), step
            )
        for name, value in (logs or {}).items():  # reads the lazy logs: one sync every update_freq batches
            self._scalar("train", f"batch_{name}", value, step)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if not is_chief() or optimizer is None or not hasattr(optimizer, "iterations"):
            return
        step = int(optimizer.iterations)
        for name, value in (logs or {}).items():
            self._scalar("val", f"evaluation_{name}_vs_iterations", value, step)
        self._writer("val").flush()

    def on_epoch_end(self, epoch, logs=None):
        if not is_chief():
            return
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)
        for writer in self._writers.values():
            writer.flush()

    # -- what is written ----------------------------------------------------------------------
    def _learning_rates(self):
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if hasattr(optimizer, "optimizers"):
            return {f"learning_rate_{opt.name}": float(opt.learning_rate) for opt in optimizer.optimizers}
        if optimizer is not None and hasattr(optimizer, "learning_rate"):
            return {"learning_rate": float(optimizer.learning_rate)}
        return {}

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        train_logs.update(self._learning_rates())
        if self.write_steps_per_second:
            steps = float(self.model.optimizer.iterations) - self._previous_epoch_iterations
            train_logs["steps_per_second"] = steps / max(time.time() - self._epoch_start_time, 1e-12)
        for name, value in train_logs.items():
            self._scalar("train", f"epoch_{name}", value, epoch)
        for name, value in val_logs.items():
            self._scalar("val", f"epoch_{name}", value, epoch)

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for index, weight in enumerate(getattr(layer, "weights", None) or list(layer.parameters())):
                name = getattr(weight, "path", None) or f"{getattr(layer, 'name', type(layer).__name__)}/{index}"
                name = str(name).replace(":", "_")
                values = weight.detach().cpu().numpy()
                writer.add_histogram(f"{name}/histogram", values, global_step=epoch)
                if self.write_images:
                    self._log_weight_as_image(writer, values, f"{name}/image", epoch)

    def _log_weight_as_image(self, writer, values, tag, epoch):
        image = _weight_image(values)
        if image is None:
            return
        try:
            writer.add_images(tag, image, global_step=epoch, dataformats="NHWC")
        except ImportError:
            warnings.warn("TensorBoard(write_images=True) needs Pillow: `pip install pillow`.", stacklevel=2)
            self.write_images = False

    def _write_model_config(self):
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            config = self.model.to_json()
        except Exception as exc:  # noqa: BLE001 - a model that cannot serialize still trains
            warnings.warn(f"TensorBoard: model failed to serialize as JSON; not writing the graph. {exc}", stacklevel=2)
            return
        # in-function: tensorboard is an optional dependency (SummaryWriter above needs it too)
        from tensorboard.compat.proto import summary_pb2
        from tensorboard.compat.proto import tensor_pb2
        from tensorboard.compat.proto import tensor_shape_pb2
        from tensorboard.compat.proto import types_pb2

        metadata = summary_pb2.SummaryMetadata(
            plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="graph_keras_model", content=b"1")
        )
        tensor = tensor_pb2.TensorProto(
            dtype=types_pb2.DT_STRING,
            string_val=[config.encode("utf-8")],
            tensor_shape=tensor_shape_pb2.TensorShapeProto(),
        )
        summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="keras", metadata=metadata, tensor=tensor)])
        writer = self._writer("train")
        writer._get_file_writer().add_summary(summary, global_step=0)
        writer.flush()

    def _log_embeddings(self, epoch):
        path = os.path.join(self.log_dir, "train", f"keras_embedding.ckpt-{epoch}.weights.h5")
        self.model.save_weights(path)
        names = [layer.name for layer in self.model.layers if type(layer).__name__ == "Embedding"]
        metadata = self.embeddings_metadata
        if isinstance(metadata, dict):
            unknown = sorted(set(metadata) - set(names))
            if unknown:
                raise ValueError(
                    f"TensorBoard: unrecognized Embedding layer names in `embeddings_metadata`: {unknown}. "
                    f"The model's Embedding layers are {names}."
                )
        lines = []
        for name in names:
            lines.append("embeddings {")
            lines.append(f'  tensor_name: "{name}/embeddings"')
            path_for_layer = metadata.get(name) if isinstance(metadata, dict) else metadata
            if path_for_layer:
                lines.append(f'  metadata_path: "{path_for_layer}"')
            lines.append("}")
        with open(os.path.join(self.log_dir, "projector_config.pbtxt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
