"""tf.summary and tf.audio cases run unchanged by TensorFlow (record.py) and capas (tests/summary, tests/test_audio.py).

The summary program writes event files with `tf.summary`; both sides read them back with
TensorBoard's own `EventAccumulator`, so the goldens hold what TensorBoard sees.
"""

import io
import tempfile
import wave

import numpy as np


def _rng():
    return np.random.default_rng(11)


def summary_program(tf, logdir):
    """Write a fixed set of summaries; return what each op returned."""
    rng = _rng()
    returned = {"no_writer_scalar": bool(tf.summary.scalar("nowhere", 1.0, step=0))}
    writer = tf.summary.create_file_writer(logdir)
    returned["should_record_outside"] = bool(tf.summary.should_record_summaries())
    with writer.as_default():
        returned["should_record_inside"] = bool(tf.summary.should_record_summaries())
        for step in range(3):
            tf.summary.scalar("loss", 1.0 / (step + 1), step=step)
        tf.summary.scalar("int_scalar", tf.constant(3), step=0)
        tf.summary.experimental.set_step(7)
        returned["get_step"] = int(tf.summary.experimental.get_step())
        tf.summary.scalar("acc", tf.constant(0.5, tf.float64))
        with tf.name_scope("block"):
            tf.summary.scalar("lr", 0.01)
        tf.summary.histogram("weights", tf.constant(rng.normal(size=(40, 5)).astype("float32")), step=1)
        tf.summary.histogram("weights_b4", tf.constant(rng.uniform(size=(50,)).astype("float32")), step=1, buckets=4)
        tf.summary.histogram("constant", tf.ones([6]), step=2)
        tf.summary.histogram("empty", tf.zeros([0]), step=2)
        images = rng.uniform(size=(4, 3, 5, 3)).astype("float32")
        tf.summary.image("img_float", tf.constant(images), step=3)
        tf.summary.image("img_uint8", tf.constant((images * 255).astype("uint8")[:1, :, :, :1]), step=3, max_outputs=5)
        tf.summary.text("note", "hello *markdown*", step=4)
        tf.summary.text("notes", tf.constant(["a", "b"]), step=4)
        clip = np.sin(np.linspace(0, 20, 80)).reshape(2, 40, 1).astype("float32")
        tf.summary.audio("clip", tf.constant(clip), 8000, step=5)
        tf.summary.write("raw_ints", tf.constant([1, 2, 3]), step=6)
        with tf.summary.record_if(False):
            returned["record_if_false"] = bool(tf.summary.scalar("skipped", 1.0, step=0))
            returned["should_record_false"] = bool(tf.summary.should_record_summaries())
        with tf.summary.record_if(lambda: True):
            returned["record_if_callable"] = bool(tf.summary.scalar("kept", 2.0, step=0))
    tf.summary.experimental.set_step(None)
    try:
        with writer.as_default():
            tf.summary.scalar("no_step", 1.0)
        returned["no_step_error"] = None
    except ValueError as exc:
        returned["no_step_error"] = str(exc)
    with writer.as_default(step=9):
        tf.summary.scalar("as_default_step", 1.0)
    step = tf.summary.experimental.get_step()
    returned["step_after_as_default"] = None if step is None else int(step)
    with tf.summary.create_noop_writer().as_default():
        returned["noop_scalar"] = bool(tf.summary.scalar("noop", 1.0, step=0))
    writer.flush()
    writer.close()
    return returned


def _decode_png(data):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data))).tolist()


def _decode_wav(data):
    with wave.open(io.BytesIO(data), "rb") as f:
        return {
            "rate": f.getframerate(),
            "channels": f.getnchannels(),
            "frames": np.frombuffer(f.readframes(f.getnframes()), "<i2").tolist(),
        }


def read_events(logdir):
    """Every tensor summary in `logdir`, as TensorBoard's EventAccumulator reads it."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util import tensor_util

    acc = EventAccumulator(logdir, size_guidance={"tensors": 0})
    acc.Reload()
    out = {}
    for tag in sorted(acc.Tags()["tensors"]):
        metadata = acc.summary_metadata.get(tag)
        plugin = metadata.plugin_data.plugin_name if metadata is not None else ""
        events = []
        for event in acc.Tensors(tag):
            value = tensor_util.make_ndarray(event.tensor_proto)
            entry = {"step": event.step, "dtype": str(value.dtype), "shape": list(value.shape)}
            if plugin == "images":
                entry["value"] = [v.decode() for v in value[:2]] + [_decode_png(v) for v in value[2:]]
            elif plugin == "audio":
                entry["value"] = [[_decode_wav(row[0]), row[1].decode()] for row in value]
            elif value.dtype == object:
                entry["value"] = [v.decode() for v in value.reshape(-1)]
            else:
                entry["value"] = np.asarray(value, dtype="float64").round(6).tolist()
            events.append(entry)
        out[tag] = {"plugin": plugin, "events": events}
    return out


def summary(tf):
    with tempfile.TemporaryDirectory() as logdir:
        returned = summary_program(tf, logdir)
        return {"returned": returned, "events": read_events(logdir)}


def audio(tf):
    rng = _rng()
    samples = np.concatenate([rng.uniform(-1.2, 1.2, size=(30, 2)), [[1.0, -1.0], [0.99999, 1 / 65536]]])
    wav = tf.audio.encode_wav(tf.constant(samples.astype("float32")), 22050)
    decoded, rate = tf.audio.decode_wav(wav)
    mono = tf.audio.encode_wav(tf.constant(samples[:, :1].astype("float32")), 8000)
    out = {
        "wav_bytes": list(wav.numpy()),
        "decoded": np.asarray(decoded).tolist(),
        "decoded_dtype": str(np.asarray(decoded).dtype),
        "rate": int(rate),
        "rate_dtype": str(np.asarray(rate).dtype),
        "first_channel": np.asarray(tf.audio.decode_wav(wav, desired_channels=1)[0]).tolist(),
        "mono_to_2": np.asarray(tf.audio.decode_wav(mono, desired_channels=2)[0]).tolist(),
        "pad_samples": np.asarray(tf.audio.decode_wav(wav, desired_samples=40)[0]).tolist(),
        "cut_samples": np.asarray(tf.audio.decode_wav(wav, desired_samples=5)[0]).tolist(),
    }
    out["mono_to_3"] = np.asarray(tf.audio.decode_wav(mono, desired_channels=3)[0]).tolist()
    out["stereo_to_3"] = np.asarray(tf.audio.decode_wav(wav, desired_channels=3)[0]).tolist()
    return out


CASES = {"summary": summary, "audio": audio}
