"""``TensorBoard``: write metrics, learning rate and weight histograms as TensorBoard event files.

Files are written by the ``tensorboard`` package's own event writer (``pip install tensorboard``;
TensorFlow is not needed), in Keras's layout: ``<log_dir>/train`` and ``<log_dir>/validation``,
with tags ``epoch_<metric>``, ``batch_<metric>``, ``evaluation_<metric>_vs_iterations`` and
``<weight path>/histogram``.
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

from brickwork import backend
from brickwork.callbacks.callback import Callback
from brickwork.callbacks.learning_rate_scheduler import learning_rate_logs
from brickwork.callbacks.logs import pythonify_logs

_HISTOGRAM_BINS = 30  # tf.summary.histogram's default


def _tensorboard():
    """The pieces of the ``tensorboard`` package used here, imported on first use."""
    try:
        from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as error:
        raise ImportError(
            "keras.callbacks.TensorBoard needs the `tensorboard` package: `pip install tensorboard` "
            "(TensorFlow is not required)."
        ) from error
    return EventFileWriter, event_pb2, summary_pb2, tensor_pb2


class _EventWriter:
    """One event file in one folder: scalars, histograms and text-like tensors."""

    def __init__(self, logdir: str):
        EventFileWriter, self._event_pb2, self._summary_pb2, self._tensor_pb2 = _tensorboard()
        os.makedirs(logdir, exist_ok=True)
        self._writer = EventFileWriter(logdir)

    def _add(self, value, step: int) -> None:
        summary = self._summary_pb2.Summary(value=[value])
        self._writer.add_event(self._event_pb2.Event(wall_time=time.time(), step=int(step), summary=summary))

    def scalar(self, tag: str, value, step: int) -> None:
        self._add(self._summary_pb2.Summary.Value(tag=tag, simple_value=float(value)), step)

    def histogram(self, tag: str, values, step: int) -> None:
        values = np.asarray(values, dtype=np.float64).ravel()
        if values.size == 0:
            return
        counts, edges = np.histogram(values, bins=_HISTOGRAM_BINS)
        histogram = self._summary_pb2.HistogramProto(
            min=float(values.min()), max=float(values.max()), num=float(values.size), sum=float(values.sum()),
            sum_squares=float(np.dot(values, values)), bucket_limit=edges[1:].tolist(), bucket=counts.tolist())
        self._add(self._summary_pb2.Summary.Value(tag=tag, histo=histogram), step)

    def keras_model(self, tag: str, json_config: str, step: int) -> None:
        """The model's JSON config, which TensorBoard's graph plugin draws as a conceptual graph."""
        metadata = self._summary_pb2.SummaryMetadata(
            plugin_data=self._summary_pb2.SummaryMetadata.PluginData(plugin_name="graph_keras_model", content=b"1"))
        tensor = self._tensor_pb2.TensorProto(dtype=7, string_val=[json_config.encode()])  # 7: DT_STRING
        self._add(self._summary_pb2.Summary.Value(tag=tag, metadata=metadata, tensor=tensor), step)

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()


class TensorBoard(Callback):
    """Log training to TensorBoard: per-epoch (and optionally per-batch) metrics, the learning rate,
    weight histograms.

    Run ``tensorboard --logdir=<log_dir>`` to see them.

    Args:
        log_dir: the folder for the event files (``train/`` and ``validation/`` are created in it).
        histogram_freq: every this many epochs, write a histogram of every weight (0: never).
        write_graph: write the model's config so TensorBoard's graph tab can draw it.
        write_images: not supported (accepted for compatibility; warns when True).
        write_steps_per_second: also log training steps per second.
        update_freq: ``"epoch"``, ``"batch"`` (= 1) or an integer ``N``: also write ``batch_<metric>``
            scalars every ``N`` training batches (counted across epochs).
        profile_batch: profiling is not available; must be 0.
        embeddings_freq: every this many epochs, save the weights (with the embeddings) next to the logs.
        embeddings_metadata: accepted for compatibility.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        tensorboard = keras.callbacks.TensorBoard(log_dir="./logs", histogram_freq=1)
        model.fit(x, y, epochs=2, validation_split=0.2, callbacks=[tensorboard])
    """

    # Batch logs stay backend tensors unless a batch summary is due (no device sync per step).
    _handles_tensor_logs = True

    def __init__(self, log_dir: str | os.PathLike = "logs", histogram_freq: int = 0, write_graph: bool = True,
                 write_images: bool = False, write_steps_per_second: bool = False, update_freq="epoch",
                 profile_batch=0, embeddings_freq: int = 0, embeddings_metadata=None):
        super().__init__()
        _tensorboard()  # fail here, at construction, when the package is missing
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        if self.update_freq != "epoch" and not (isinstance(self.update_freq, int) and self.update_freq > 0):
            raise ValueError(f"TensorBoard: update_freq must be 'epoch', 'batch' or a positive integer; "
                             f"received {update_freq!r}.")
        if profile_batch:
            raise ValueError(f"TensorBoard: profiling is not available in brickwork; received "
                             f"profile_batch={profile_batch!r} (must be 0).")
        if write_images:
            warnings.warn("TensorBoard: write_images is not supported; weights are logged as histograms only.",
                          stacklevel=2)
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._global_train_batch = 0
        self._batch_start_time = 0.0
        self._epoch_start_time = 0.0
        self._epoch_start_iterations = 0

    def set_model(self, model) -> None:
        super().set_model(model)
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._close_writers()

    def _writer(self, which: str) -> _EventWriter:
        # Created on first use so that, e.g., no validation file appears without validation.
        if which not in self._writers:
            self._writers[which] = _EventWriter(self._train_dir if which == "train" else self._val_dir)
        return self._writers[which]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # ------------------------------------------------------------------ hooks
    def on_train_begin(self, logs=None) -> None:
        self._global_train_batch = 0
        if self.write_graph:
            self._write_model_config()

    def on_train_end(self, logs=None) -> None:
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None) -> None:
        if self.write_steps_per_second:
            self._epoch_start_time = time.time()
            self._epoch_start_iterations = self._iterations()

    def on_train_batch_begin(self, batch, logs=None) -> None:
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None) -> None:
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        writer, step = self._writer("train"), self._global_train_batch
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._batch_start_time, 1e-12)
            writer.scalar("batch_steps_per_second", 1.0 / elapsed, step)
        for name, value in pythonify_logs(logs).items():
            if _is_scalar(value):
                writer.scalar(f"batch_{name}", value, step)

    def on_epoch_end(self, epoch, logs=None) -> None:
        self._log_epoch_metrics(epoch, pythonify_logs(logs))
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self.model.save_weights(os.path.join(self._train_dir, f"keras_embedding.ckpt-{epoch}.weights.h5"))

    def on_test_end(self, logs=None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return
        writer, step = self._writer("validation"), self._iterations()
        for name, value in pythonify_logs(logs).items():
            if _is_scalar(value):
                writer.scalar(f"evaluation_{name}_vs_iterations", value, step)
        writer.flush()

    # ------------------------------------------------------------------ writing
    def _collect_learning_rate(self, logs: dict) -> dict:
        """``logs`` with the model's learning rate(s) added (one per inner optimizer of a MultiOptimizer)."""
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # a LossScaleOptimizer's
        if hasattr(optimizer, "optimizers") or hasattr(optimizer, "learning_rate"):
            logs.update(learning_rate_logs(optimizer))
        return logs

    def _log_epoch_metrics(self, epoch: int, logs: dict) -> None:
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[len("val_"):]: v for k, v in logs.items() if k.startswith("val_")}
        self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._epoch_start_time, 1e-12)
            train_logs["steps_per_second"] = (self._iterations() - self._epoch_start_iterations) / elapsed
        for which, entries in (("train", train_logs), ("validation", val_logs)):
            if not entries:
                continue
            writer = self._writer(which)
            for name, value in entries.items():
                if _is_scalar(value):
                    writer.scalar(f"epoch_{name}", value, epoch)
            writer.flush()

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for layer in getattr(self.model, "layers", []):
            for weight in layer.weights:
                name = getattr(weight, "path", None) or weight.name
                writer.histogram(f"{name.replace(':', '_')}/histogram", backend.convert_to_numpy(weight), epoch)
        writer.flush()

    def _write_model_config(self) -> None:
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return  # a subclassed model has no config to draw
        try:
            config = self.model.to_json()
        except Exception as error:  # a model that cannot be serialized must not stop training
            warnings.warn(f"TensorBoard: the model failed to serialize as JSON; no graph written. {error}",
                          stacklevel=2)
            return
        writer = self._writer("train")
        writer.keras_model("keras", config, step=0)
        writer.flush()

    def _iterations(self) -> int:
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return 0
        return int(backend.convert_to_numpy(optimizer.iterations))


def _is_scalar(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
