"""Image codecs (`tf.io` / `tf.image` `decode_png`, `encode_jpeg`, `decode_image`, ...) over Pillow.

Pillow is optional: each codec imports it when called and says how to install it.
Images are uint8 (or uint16 for 16-bit PNG) tensors `[height, width, channels]`;
GIFs are `[frames, height, width, 3]`.
"""

import io as _io
import struct

import numpy as np
import torch

from capas import errors
from capas.ops import strings as _strings
from capas.ops._convert import as_torch_dtype
from capas.ops._convert import convert_to_tensor

_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_GIF_MAGIC = (b"GIF87a", b"GIF89a")
_BMP_MAGIC = b"BM"


def _pil(op):
    try:
        from PIL import Image
    except ImportError as exc:
        raise ImportError(f"tf.io.{op} needs Pillow to read and write images: `pip install pillow`.") from exc
    return Image


def _bytes(contents, op):
    if isinstance(contents, (bytes, bytearray)):
        return bytes(contents)
    if isinstance(contents, _strings.StringTensor) and contents.ndim == 0:
        value = contents.numpy()
        return value if isinstance(value, bytes) else value.item()
    raise TypeError(
        f"tf.io.{op}: `contents` must be a scalar string (the bytes of one file), e.g. tf.io.read_file(path); "
        f"received {type(contents).__name__}{list(getattr(contents, 'shape', []))}."
    )


def _open(data, op):
    image_module = _pil(op)
    try:
        image = image_module.open(_io.BytesIO(data))
        image.load()
    except Exception as exc:  # noqa: BLE001 - Pillow raises several kinds for bad data
        raise errors.InvalidArgumentError(None, None, f"tf.io.{op}: the contents could not be decoded: {exc}") from exc
    return image


def _gray(rgb):
    """libpng's rgb_to_gray as TF calls it (0.299, 0.587 in 1/32768 steps, truncated): `[h, w, 1]` uint8."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((9797 * r + 19234 * g + 3737 * b) >> 15).astype(np.uint8)[..., None]


def _to_channels(image, channels, op):
    """A Pillow image as an `[h, w, c]` array with `channels` (0: as stored)."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image).astype(np.uint16)[..., None]
        if channels in (0, 1):
            return array
        if channels == 3:
            return np.repeat(array, 3, axis=-1)
        return np.concatenate([np.repeat(array, 3, axis=-1), np.full_like(array, 65535)], axis=-1)
    if channels == 0:
        if mode in ("L", "1"):
            channels = 1
        elif mode == "LA":
            channels = 2
        elif mode in ("RGBA", "PA") or (mode == "P" and "transparency" in image.info):
            channels = 4
        else:
            channels = 3
    if channels not in (1, 2, 3, 4):
        raise ValueError(f"tf.io.{op}: `channels` must be 0, 1, 3 or 4; received {channels}.")
    target = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[channels]
    if image.mode == target:
        converted = image
    elif channels == 1 and image.mode not in ("L", "1", "LA"):
        return _gray(np.asarray(image.convert("RGB"), dtype=np.uint8))
    else:
        converted = image.convert(target)
    array = np.asarray(converted, dtype=np.uint8)
    return array[..., None] if array.ndim == 2 else array


def _tensor(array):
    return torch.from_numpy(np.array(array, copy=True, order="C"))


def decode_png(contents, channels=0, dtype="uint8", name=None):
    """Decode a PNG into `[height, width, channels]` uint8 (uint16 for 16-bit PNGs with `dtype=tf.uint16`).

    Example:

    >>> import capas as tf
    >>> png = tf.io.encode_png(tf.constant([[[1, 2, 3]]], tf.uint8))
    >>> tf.io.decode_png(png).numpy().tolist()
    [[[1, 2, 3]]]
    """
    data = _bytes(contents, "decode_png")
    image = _open(data, "decode_png")
    array = _to_channels(image, int(channels), "decode_png")
    dtype = as_torch_dtype(dtype)
    if dtype == torch.uint16 and array.dtype == np.uint8:
        array = array.astype(np.uint16) * 257
    elif dtype == torch.uint8 and array.dtype == np.uint16:
        array = (array >> 8).astype(np.uint8)  # as TF (libpng's strip_16)
    return _tensor(array)


def encode_png(image, compression=-1, name=None):
    """Encode `[height, width, channels]` uint8/uint16 (1 to 4 channels) as PNG; `compression` 0-9, -1 default.

    Decoding gives back the same pixels, bit for bit (the bytes are Pillow's, not TF's libpng's).
    """
    Image = _pil("encode_png")
    x = convert_to_tensor(image)
    if x.ndim != 3 or x.shape[-1] not in (1, 2, 3, 4):
        raise ValueError(
            f"tf.io.encode_png: `image` must be [height, width, channels] with 1 to 4 channels; received shape "
            f"{list(x.shape)}."
        )
    if x.dtype not in (torch.uint8, torch.uint16):
        raise TypeError(
            f"tf.io.encode_png: `image` must be uint8 or uint16; received {x.dtype}. Convert with "
            "tf.image.convert_image_dtype(image, tf.uint8)."
        )
    array = x.cpu().numpy()
    buffer = _io.BytesIO()
    level = 6 if compression is None or compression < 0 else int(compression)
    if array.dtype == np.uint16:
        if array.shape[-1] != 1:
            raise ValueError("tf.io.encode_png: capas writes 16-bit PNGs with one channel only (Pillow's limit).")
        Image.fromarray(np.ascontiguousarray(array[..., 0])).save(buffer, format="PNG", compress_level=level)
    else:
        pixels = array[..., 0] if array.shape[-1] == 1 else array
        Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG", compress_level=level)
    return _strings.StringTensor(buffer.getvalue())


def decode_jpeg(
    contents,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
):
    """Decode a JPEG into `[height, width, channels]` uint8 (`ratio` 1, 2, 4 or 8 downscales while decoding).

    Decoded by Pillow's libjpeg; TF documents that its own JPEG results may differ from other
    decoders' by small amounts (its `dct_method` is a speed/accuracy choice), and capas's do.
    """
    data = _bytes(contents, "decode_jpeg")
    image = _pil("decode_jpeg")
    if ratio not in (1, 2, 4, 8):
        raise ValueError(f"tf.io.decode_jpeg: `ratio` must be 1, 2, 4 or 8; received {ratio}.")
    try:
        opened = image.open(_io.BytesIO(data))
        if opened.format != "JPEG":
            raise errors.InvalidArgumentError(None, None, "tf.io.decode_jpeg: the contents are not a JPEG image.")
        # libjpeg scales (`ratio`) and outputs luma (`channels=1`) while decoding, as TF asks it to
        mode = "L" if int(channels) == 1 else opened.mode
        if ratio != 1 or mode != opened.mode:
            opened.draft(mode, (max(1, opened.width // ratio), max(1, opened.height // ratio)))
        opened.load()
    except errors.InvalidArgumentError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise errors.InvalidArgumentError(
            None, None, f"tf.io.decode_jpeg: the contents could not be decoded: {exc}"
        ) from exc
    if int(channels) not in (0, 1, 3):
        raise ValueError(f"tf.io.decode_jpeg: `channels` must be 0, 1 or 3; received {channels}.")
    return _tensor(_to_channels(opened, int(channels), "decode_jpeg"))


def decode_and_crop_jpeg(
    contents,
    crop_window,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
):
    """`decode_jpeg`, then the window `crop_window = [y, x, height, width]` of it."""
    window = [int(v) for v in (crop_window.tolist() if isinstance(crop_window, torch.Tensor) else crop_window)]
    if len(window) != 4:
        raise ValueError(f"tf.io.decode_and_crop_jpeg: `crop_window` must be [y, x, height, width]; received {window}.")
    image = decode_jpeg(
        contents, channels, ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method
    )
    y, x, h, w = window
    if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > image.shape[0] or x + w > image.shape[1]:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"tf.io.decode_and_crop_jpeg: crop window {window} does not fit the {image.shape[0]}x{image.shape[1]} image.",
        )
    return image[y : y + h, x : x + w]


def encode_jpeg(
    image,
    format="",
    quality=95,
    progressive=False,
    optimize_size=False,
    chroma_downsampling=True,
    density_unit="in",
    x_density=300,
    y_density=300,
    xmp_metadata="",
    name=None,
):
    """Encode `[height, width, 1 or 3]` uint8 as JPEG (`quality` 0-100, 4:2:0 chroma unless `chroma_downsampling=False`)."""
    Image = _pil("encode_jpeg")
    x = convert_to_tensor(image)
    if x.ndim != 3 or x.shape[-1] not in (1, 3) or x.dtype != torch.uint8:
        raise ValueError(
            f"tf.io.encode_jpeg: `image` must be uint8 [height, width, 1 or 3]; received {x.dtype} shape "
            f"{list(x.shape)}."
        )
    array = x.cpu().numpy()
    if format == "grayscale" and array.shape[-1] == 3:
        raise ValueError("tf.io.encode_jpeg: format='grayscale' needs a 1-channel image.")
    picture = Image.fromarray(np.ascontiguousarray(array[..., 0] if array.shape[-1] == 1 else array))
    options = {
        "quality": int(quality),
        "progressive": bool(progressive),
        "optimize": bool(optimize_size),
        "subsampling": 2 if chroma_downsampling else 0,
        "dpi": (x_density, y_density),
    }
    buffer = _io.BytesIO()
    picture.save(buffer, format="JPEG", **options)
    return _strings.StringTensor(buffer.getvalue())


def decode_gif(contents, name=None):
    """Decode a GIF into `[frames, height, width, 3]` uint8 (each frame composed as shown)."""
    data = _bytes(contents, "decode_gif")
    if not data.startswith(_GIF_MAGIC):
        raise errors.InvalidArgumentError(None, None, "tf.io.decode_gif: the contents are not a GIF image.")
    image = _open(data, "decode_gif")
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGB"), dtype=np.uint8))
    return _tensor(np.stack(frames))


def decode_bmp(contents, channels=0, name=None):
    """Decode an uncompressed 24- or 32-bit BMP into `[height, width, channels]` uint8 (`channels` 0, 3 or 4).

    As TF, 32-bit files keep their fourth (alpha) byte; no Pillow is needed.
    """
    data = _bytes(contents, "decode_bmp")
    if not data.startswith(_BMP_MAGIC) or len(data) < 30:
        raise errors.InvalidArgumentError(None, None, "tf.io.decode_bmp: the contents are not a BMP image.")
    (offset,) = struct.unpack_from("<I", data, 10)
    width, height = struct.unpack_from("<ii", data, 18)
    (bits,) = struct.unpack_from("<H", data, 28)
    compression = struct.unpack_from("<I", data, 30)[0] if len(data) >= 34 else 0
    if bits not in (24, 32) or compression not in (0, 3):
        raise errors.InvalidArgumentError(
            None,
            None,
            f"tf.io.decode_bmp: only uncompressed 24- and 32-bit BMPs are supported; this one has {bits} bits.",
        )
    depth = bits // 8
    row = (width * depth + 3) // 4 * 4
    rows = abs(height)
    if len(data) < offset + row * rows:
        raise errors.InvalidArgumentError(None, None, "tf.io.decode_bmp: the file is truncated.")
    pixels = np.frombuffer(data, np.uint8, row * rows, offset).reshape(rows, row)[:, : width * depth]
    pixels = pixels.reshape(rows, width, depth)
    if height > 0:  # bottom-up rows
        pixels = pixels[::-1]
    order = [2, 1, 0, 3][:depth]  # BGR(A) -> RGB(A)
    pixels = pixels[..., order]
    channels = int(channels) or depth
    if channels not in (1, 3, 4):
        raise ValueError(f"tf.io.decode_bmp: `channels` must be 0, 1, 3 or 4; received {channels}.")
    if channels == 4 and depth == 3:
        pixels = np.concatenate([pixels, np.full(pixels.shape[:2] + (1,), 255, np.uint8)], axis=-1)
    elif channels == 3:
        pixels = pixels[..., :3]
    elif channels == 1:
        pixels = _gray(pixels)
    return _tensor(pixels)


def is_jpeg(contents, name=None):
    """True (a bool scalar) when `contents` start with the JPEG signature."""
    return torch.tensor(_bytes(contents, "is_jpeg").startswith(_JPEG_MAGIC))


def extract_jpeg_shape(contents, output_type="int32", name=None):
    """`[height, width, channels]` of a JPEG, read from its header without decoding it."""
    data = _bytes(contents, "extract_jpeg_shape")
    image = _pil("extract_jpeg_shape")
    try:
        opened = image.open(_io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001
        raise errors.InvalidArgumentError(None, None, f"tf.io.extract_jpeg_shape: not a JPEG image: {exc}") from exc
    if opened.format != "JPEG":
        raise errors.InvalidArgumentError(None, None, "tf.io.extract_jpeg_shape: the contents are not a JPEG image.")
    channels = {"L": 1, "RGB": 3, "CMYK": 4, "YCbCr": 3}.get(opened.mode, 3)
    return torch.tensor([opened.height, opened.width, channels], dtype=as_torch_dtype(output_type))


def decode_image(contents, channels=None, dtype="uint8", name=None, expand_animations=True):
    """Decode a BMP, GIF, JPEG or PNG, found by its signature.

    GIFs give `[frames, h, w, 3]` (the first frame `[h, w, 3]` when `expand_animations=False`);
    others `[h, w, channels]`. A float `dtype` scales to [0, 1] as `tf.image.convert_image_dtype`.
    """
    data = _bytes(contents, "decode_image")
    channels = 0 if channels is None else int(channels)
    if data.startswith(_JPEG_MAGIC):
        image = decode_jpeg(data, channels=channels)
    elif data.startswith(_PNG_MAGIC):
        wide = (
            as_torch_dtype(dtype) == torch.uint16 or as_torch_dtype(dtype).is_floating_point
        )  # as TF: 16 bits, then scaled
        image = decode_png(data, channels=channels, dtype="uint16" if wide else "uint8")
    elif data.startswith(_GIF_MAGIC):
        if channels not in (0, 3):
            raise ValueError(f"tf.io.decode_image: a GIF has 3 channels; received channels={channels}.")
        image = decode_gif(data)
        if not expand_animations:
            image = image[0]
    elif data.startswith(_BMP_MAGIC):
        image = decode_bmp(data, channels=channels)
    else:
        raise errors.InvalidArgumentError(
            None, None, "tf.io.decode_image: unknown image format; expected JPEG, PNG, GIF or BMP."
        )
    dtype = as_torch_dtype(dtype)
    if dtype == image.dtype:
        return image
    # in-function: import cycle capas.image -> capas.io.image_codecs
    from capas.image.image_ops import convert_image_dtype

    return convert_image_dtype(image, dtype)
