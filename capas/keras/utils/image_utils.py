"""Images from and to files: `load_img`, `img_to_array`, `array_to_img`, `save_img` (Pillow),
and the decode/resize steps of `image_dataset_from_directory`.

Pillow is optional (`pip install capas[images]`, or `pip install Pillow`).
"""

import numpy as np
import torch

_PIL_RESAMPLE = {
    "nearest": "NEAREST",
    "bilinear": "BILINEAR",
    "bicubic": "BICUBIC",
    "hamming": "HAMMING",
    "box": "BOX",
    "lanczos": "LANCZOS",
}
_MODES = {"grayscale": ("L", 1), "rgb": ("RGB", 3), "rgba": ("RGBA", 4)}


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "capas.keras.utils image functions need Pillow: `pip install Pillow` (or `pip install capas[images]`)."
        ) from None
    return Image


def _config():
    # Imported late: capas.keras.utils loads before capas.keras.config is ready (config imports layers).
    # in-function: import cycle keras.config -> keras.saving.serialization_lib -> keras.utils -> this module
    from capas.keras import config

    return config


def _data_format(data_format):
    data_format = data_format or _config().image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first', received {data_format!r}.")
    return data_format


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """Load an image file into a PIL image.

    Args:
        path: path of the image file (or a file-like object).
        color_mode: "grayscale", "rgb" or "rgba".
        target_size: None (the original size) or `(height, width)`.
        interpolation: resampling for `target_size`: "nearest", "bilinear", "bicubic", "hamming", "box", "lanczos".
        keep_aspect_ratio: crop the center to the target aspect ratio before resizing.

    Returns:
        A PIL Image.

    Example:

    >>> import numpy as np, os, tempfile
    >>> from capas import keras
    >>> path = os.path.join(tempfile.mkdtemp(), "a.png")
    >>> keras.utils.save_img(path, np.zeros((4, 6, 3), "uint8"), scale=False)
    >>> keras.utils.img_to_array(keras.utils.load_img(path, target_size=(2, 3))).shape
    (2, 3, 3)
    """
    image_module = _pil()
    if color_mode not in _MODES:
        raise ValueError(f'color_mode must be "grayscale", "rgb" or "rgba"; received color_mode={color_mode!r}.')
    if isinstance(path, (str, bytes)) or hasattr(path, "__fspath__"):
        with open(path, "rb") as f:
            img = image_module.open(f)
            img.load()
    else:
        img = image_module.open(path)
    mode = _MODES[color_mode][0]
    if not (color_mode == "grayscale" and img.mode in ("L", "I;16", "I")) and img.mode != mode:
        img = img.convert(mode)
    if target_size is not None:
        height, width = int(target_size[0]), int(target_size[1])
        if (img.size[0], img.size[1]) != (width, height):
            if interpolation not in _PIL_RESAMPLE:
                raise ValueError(f"interpolation must be one of {sorted(_PIL_RESAMPLE)}; received {interpolation!r}.")
            resample = getattr(image_module.Resampling, _PIL_RESAMPLE[interpolation])
            if keep_aspect_ratio:
                w, h = img.size
                crop_w, crop_h = min(w, int(h * width / height)), min(h, int(w * height / width))
                left, top = (w - crop_w) // 2, (h - crop_h) // 2
                img = img.crop((left, top, left + crop_w, top + crop_h))
            img = img.resize((width, height), resample)
    return img


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image -> a numpy array `(height, width, channels)` (or channels first).

    Example:

    >>> from PIL import Image
    >>> from capas import keras
    >>> keras.utils.img_to_array(Image.new("L", (3, 2))).shape
    (2, 3, 1)
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or _config().floatx())
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(f"img_to_array: unsupported image shape {x.shape}; expected (height, width[, channels]).")
    return x.transpose(2, 0, 1) if data_format == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3D array `(height, width, channels)` -> a PIL image.

    With `scale=True`, values are shifted and scaled to fill 0-255.

    Example:

    >>> import numpy as np
    >>> from capas import keras
    >>> keras.utils.array_to_img(np.random.rand(2, 3, 3)).size
    (3, 2)
    """
    image_module = _pil()
    data_format = _data_format(data_format)
    x = np.asarray(x.detach().cpu() if isinstance(x, torch.Tensor) else x, dtype=dtype or _config().floatx())
    if x.ndim != 3:
        raise ValueError(
            f"array_to_img expects an image array of rank 3 (height, width, channels); got shape {x.shape}."
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image_module.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"array_to_img: unsupported channel number {channels}; expected 1, 3 or 4.")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Save an image array to `path` (format from `file_format` or the extension).

    Example:

    >>> import numpy as np, os, tempfile
    >>> from capas import keras
    >>> path = os.path.join(tempfile.mkdtemp(), "b.png")
    >>> keras.utils.save_img(path, np.ones((2, 2, 1)) * 255, scale=False)
    >>> os.path.exists(path)
    True
    """
    img = array_to_img(x, data_format=data_format, scale=scale)
    extension = str(path).lower().rsplit(".", 1)[-1]
    if img.mode == "RGBA" and (file_format or extension).lower() in ("jpg", "jpeg"):
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


# ------------------------------------------------------------- datasets
def decode_image(path, num_channels):
    """An image file -> uint8 tensor `(height, width, num_channels)` (the first frame of a GIF)."""
    image_module = _pil()
    with open(path, "rb") as f:
        img = image_module.open(f)
        img.load()
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[num_channels]
    if num_channels == 1 and img.format == "PNG" and img.mode not in ("L", "LA", "I", "I;16", "1"):
        array = _png_gray(np.asarray(img.convert("RGB"), dtype=np.int64))
    elif img.mode != mode:
        array = np.asarray(img.convert(mode), dtype="uint8")
    else:
        array = np.asarray(img, dtype="uint8")
    if array.ndim == 2:
        array = array[:, :, None]
    return torch.from_numpy(array.copy())


def _png_gray(rgb):
    # TF's color -> grayscale for PNG: weights 0.299/0.587/0.114 in 16-bit fixed point, truncated
    # (Pillow rounds, which is 1 off for about a third of the pixels).
    gray = (19595 * rgb[..., 0] + 38470 * rgb[..., 1] + 7471 * rgb[..., 2]) >> 16
    return gray.astype("uint8")


_TORCH_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic", "area": "area"}


def resize(image, size, interpolation):
    """`tf.image.resize` (half-pixel centers, no antialias) of an HWC image.

    float32 out, except "nearest", which keeps the input dtype, as TF does.
    Differs from TF: "bicubic" uses torch's cubic kernel (a=-0.75; TF uses
    a=-0.5) and "area" is exact for integer factors only.
    """
    if interpolation not in _TORCH_MODES:
        raise ValueError(
            f"interpolation={interpolation!r} is not supported by capas; use one of {sorted(_TORCH_MODES)}."
        )
    height, width = int(size[0]), int(size[1])
    x = image.permute(2, 0, 1)[None].to(torch.float32)
    if tuple(x.shape[-2:]) != (height, width):
        kwargs = {"align_corners": False} if interpolation in ("bilinear", "bicubic") else {}
        x = torch.nn.functional.interpolate(x, size=(height, width), mode=_TORCH_MODES[interpolation], **kwargs)
    out = x[0].permute(1, 2, 0)
    return out.to(image.dtype) if interpolation == "nearest" else out.contiguous()


def crop_to_aspect_ratio(image, size):
    """The centered crop of an HWC image with the aspect ratio of `size` (Keras's `smart_resize` crop)."""
    height, width = image.shape[0], image.shape[1]
    crop_h = min(height, int(float(width * size[0]) / size[1]))
    crop_w = min(width, int(float(height * size[1]) / size[0]))
    top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
    return image[top : top + crop_h, left : left + crop_w]


def resize_with_pad(image, size, interpolation):
    """`tf.image.resize_with_pad`: resize keeping the aspect ratio, then center it on zeros."""
    # TF's arithmetic, in float32: the padding comes from the unrounded resized size.
    height, width = np.float32(image.shape[0]), np.float32(image.shape[1])
    target_h, target_w = np.float32(size[0]), np.float32(size[1])
    ratio = max(width / target_w, height / target_h)
    float_h, float_w = height / ratio, width / ratio
    new_h, new_w = int(np.floor(float_h)), int(np.floor(float_w))
    resized = resize(image, (new_h, new_w), interpolation).to(torch.float32)
    top = max(0, int(np.floor((target_h - float_h) / np.float32(2))))
    left = max(0, int(np.floor((target_w - float_w) / np.float32(2))))
    out = torch.zeros((size[0], size[1], image.shape[2]), dtype=torch.float32)
    out[top : top + new_h, left : left + new_w] = resized
    return out
