"""tf.io / tf.image codec and bytes-op cases run unchanged by TensorFlow (record.py) and capas (tests/test_io_codecs.py).

Keys starting with `bytes_` hold files TensorFlow encoded (base64): inputs for capas's
decoders, not compared (PNG/JPEG encoders may write other bytes for the same pixels).
"""

import base64
import gzip
import io
import os
import tempfile
import zlib

import numpy as np


def _py(x):
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray):
        return _py(x.tolist())
    if isinstance(x, bytes):
        return "b:" + x.decode("latin-1")
    if isinstance(x, (list, tuple)):
        return [_py(v) for v in x]
    if isinstance(x, np.generic):
        return _py(x.item())
    return x


def _dt(x):
    return str(getattr(x.dtype, "name", x.dtype)).replace("torch.", "")


def images():
    yy, xx = np.mgrid[0:16, 0:12]
    rgb = np.stack([yy * 15, xx * 20, (yy + xx) * 7], axis=-1).astype("uint8")
    gray = rgb[..., :1]
    rgba = np.concatenate([rgb, (xx * 21)[..., None].astype("uint8")], axis=-1)
    gray16 = (yy * 4000 + xx * 7).astype("uint16")[..., None]
    return rgb, gray, rgba, gray16


def _pil_file(array, fmt, **kw):
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt, **kw)
    return buffer.getvalue()


def _gif():
    from PIL import Image

    rgb = images()[0]
    frames = [Image.fromarray(rgb), Image.fromarray(255 - rgb)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def png(tf):
    rgb, gray, rgba, gray16 = images()
    out = {}
    for name, img in (("rgb", rgb), ("gray", gray), ("rgba", rgba)):
        encoded = tf.io.encode_png(tf.constant(img))
        out[f"bytes_{name}"] = base64.b64encode(encoded.numpy()).decode()
        decoded = tf.io.decode_png(encoded)
        out[f"roundtrip_{name}"] = [_dt(decoded), _py(decoded) == img.tolist()]
        for channels in (1, 3, 4):
            out[f"{name}_to_{channels}"] = _py(tf.io.decode_png(encoded, channels=channels))
    encoded16 = tf.io.encode_png(tf.constant(gray16))
    out["bytes_gray16"] = base64.b64encode(encoded16.numpy()).decode()
    out["gray16"] = [
        _dt(tf.io.decode_png(encoded16, dtype=tf.uint16)),
        _py(tf.io.decode_png(encoded16, dtype=tf.uint16)),
    ]
    out["gray16_as_uint8"] = _py(tf.io.decode_png(encoded16))
    out["image_gray16"] = _py(tf.io.decode_image(encoded16, dtype=tf.uint16))
    return out


def jpeg(tf):
    rgb, gray, _, _ = images()
    encoded = tf.io.encode_jpeg(tf.constant(rgb))
    encoded_gray = tf.io.encode_jpeg(tf.constant(gray), quality=80)
    encoded_444 = tf.io.encode_jpeg(tf.constant(rgb), quality=70, chroma_downsampling=False)
    png_bytes = tf.io.encode_png(tf.constant(rgb))
    return {
        "bytes_rgb": base64.b64encode(encoded.numpy()).decode(),
        "bytes_gray": base64.b64encode(encoded_gray.numpy()).decode(),
        "bytes_444": base64.b64encode(encoded_444.numpy()).decode(),
        "is_jpeg": [bool(tf.io.is_jpeg(encoded)), bool(tf.io.is_jpeg(png_bytes))],
        "shape": _py(tf.io.extract_jpeg_shape(encoded)),
        "shape_gray_int64": [_py(tf.io.extract_jpeg_shape(encoded_gray, output_type=tf.int64)), "int64"],
    }


def decoded_jpeg(tf, goldens):
    """Decode the JPEG files TF wrote (given as `goldens['jpeg']`)."""
    files = {k[6:]: base64.b64decode(v) for k, v in goldens["jpeg"].items() if k.startswith("bytes_")}
    out = {}
    for name, data in files.items():
        for channels in (0, 1, 3):
            image = tf.io.decode_jpeg(tf.constant(data), channels=channels)
            out[f"{name}_{channels}"] = [_dt(image), _py(image)]
        out[f"{name}_image"] = _py(tf.io.decode_image(tf.constant(data)))
    out["rgb_ratio2"] = _py(tf.io.decode_jpeg(tf.constant(files["rgb"]), ratio=2))
    out["rgb_crop"] = _py(tf.io.decode_and_crop_jpeg(tf.constant(files["rgb"]), [3, 2, 8, 5]))
    out["gray_crop_image_ns"] = _py(
        tf.image.decode_and_crop_jpeg(tf.constant(files["gray"]), [0, 4, 16, 8], channels=1)
    )
    return out


def decoded_png(tf, goldens):
    """Decode the PNG files TF wrote."""
    files = {k[6:]: base64.b64decode(v) for k, v in goldens["png"].items() if k.startswith("bytes_")}
    out = {}
    for name, data in files.items():
        out[name] = _py(tf.io.decode_png(tf.constant(data), dtype=tf.uint16 if name == "gray16" else tf.uint8))
        out[f"{name}_image_float"] = _py(tf.io.decode_image(tf.constant(data), dtype=tf.float32))
    return out


def gif_bmp(tf):
    rgb, _, rgba, _ = images()
    gif = tf.constant(_gif())
    bmp = tf.constant(_pil_file(rgb, "BMP"))
    bmp_rgba = tf.constant(_pil_file(rgba, "BMP"))
    frames = tf.io.decode_gif(gif)
    return {
        "gif": [_dt(frames), _py(frames)],
        "gif_image": list(tf.io.decode_image(gif).shape),
        "gif_first": _py(tf.io.decode_image(gif, expand_animations=False)),
        "bmp": _py(tf.io.decode_bmp(bmp)),
        "bmp_image": _py(tf.io.decode_image(bmp)),
        "bmp_rgba": _py(tf.io.decode_bmp(bmp_rgba)),
        "bmp_rgba_3": _py(tf.io.decode_bmp(bmp_rgba, channels=3)),
    }


def byte_ops(tf):
    raw = tf.constant([np.arange(6, dtype="<i2").tobytes(), np.arange(10, 16, dtype="<i2").tobytes()])
    out = {
        "raw_int16": _py(tf.io.decode_raw(raw, tf.int16)),
        "raw_uint8": _py(tf.io.decode_raw(raw, tf.uint8)),
        "raw_big": _py(tf.io.decode_raw(raw, tf.int16, little_endian=False)),
        "raw_float32": _py(tf.io.decode_raw(tf.constant(np.array([1.5, -2.0], "<f4").tobytes()), tf.float32)),
        "raw_fixed": _py(tf.io.decode_raw(tf.constant([b"\x01\x02\x03", b"\x04"]), tf.uint8, fixed_length=2)),
        "raw_2d": _py(tf.io.decode_raw(tf.constant([[b"ab"], [b"cd"]]), tf.uint8)),
        "b64": _py(tf.io.encode_base64(tf.constant([b"hello?>", b"\xff\xfe", b""]))),
        "b64_pad": _py(tf.io.encode_base64(tf.constant(["hi", "abcd"]), pad=True)),
        "b64_decode": _py(tf.io.decode_base64(tf.constant(["aGVsbG8_Pg", "__4", "aGk="]))),
        "zlib": _py(tf.io.decode_compressed(tf.constant([zlib.compress(b"abc" * 10)]), "ZLIB")),
        "gzip": _py(tf.io.decode_compressed(tf.constant(gzip.compress(b"xyz")), compression_type="GZIP")),
        "plain": _py(tf.io.decode_compressed(tf.constant(b"same"))),
    }
    with tempfile.TemporaryDirectory() as folder:
        for name in ("b.txt", "a.txt", "c.csv", "d.txt"):
            open(os.path.join(folder, name), "w").close()
        found = tf.io.matching_files(os.path.join(folder, "*.txt"))
        out["matching"] = [os.path.basename(p) for p in np.asarray(found.numpy()).reshape(-1).tolist()]
        many = tf.io.matching_files([os.path.join(folder, "c*"), os.path.join(folder, "a*")])
        out["matching_many"] = [os.path.basename(p) for p in np.asarray(many.numpy()).reshape(-1).tolist()]
        out["matching_none"] = list(tf.io.matching_files(os.path.join(folder, "*.png")).shape)
    out["matching"] = [p.decode() if isinstance(p, bytes) else p for p in out["matching"]]
    out["matching_many"] = [p.decode() if isinstance(p, bytes) else p for p in out["matching_many"]]
    return out


CASES = {"png": png, "jpeg": jpeg, "gif_bmp": gif_bmp, "byte_ops": byte_ops}
DEPENDENT = {"decoded_jpeg": decoded_jpeg, "decoded_png": decoded_png}
