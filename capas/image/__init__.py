"""`tf.image`: image ops on channels-last tensors (capas/image/image_ops.py)."""

from capas.image.image_ops import adjust_brightness as adjust_brightness
from capas.image.image_ops import adjust_contrast as adjust_contrast
from capas.image.image_ops import adjust_gamma as adjust_gamma
from capas.image.image_ops import adjust_saturation as adjust_saturation
from capas.image.image_ops import central_crop as central_crop
from capas.image.image_ops import convert_image_dtype as convert_image_dtype
from capas.image.image_ops import crop_to_bounding_box as crop_to_bounding_box
from capas.image.image_ops import flip_left_right as flip_left_right
from capas.image.image_ops import flip_up_down as flip_up_down
from capas.image.image_ops import grayscale_to_rgb as grayscale_to_rgb
from capas.image.image_ops import hsv_to_rgb as hsv_to_rgb
from capas.image.image_ops import pad_to_bounding_box as pad_to_bounding_box
from capas.image.image_ops import per_image_standardization as per_image_standardization
from capas.image.image_ops import random_brightness as random_brightness
from capas.image.image_ops import random_contrast as random_contrast
from capas.image.image_ops import random_crop as random_crop
from capas.image.image_ops import random_flip_left_right as random_flip_left_right
from capas.image.image_ops import random_flip_up_down as random_flip_up_down
from capas.image.image_ops import random_saturation as random_saturation
from capas.image.image_ops import resize as resize
from capas.image.image_ops import resize_with_crop_or_pad as resize_with_crop_or_pad
from capas.image.image_ops import rgb_to_grayscale as rgb_to_grayscale
from capas.image.image_ops import rgb_to_hsv as rgb_to_hsv
from capas.image.image_ops import rot90 as rot90
from capas.image.image_ops import stateless_random_brightness as stateless_random_brightness
from capas.image.image_ops import stateless_random_contrast as stateless_random_contrast
from capas.image.image_ops import stateless_random_crop as stateless_random_crop
from capas.image.image_ops import stateless_random_flip_left_right as stateless_random_flip_left_right
from capas.image.image_ops import stateless_random_flip_up_down as stateless_random_flip_up_down
from capas.image.image_ops import stateless_random_saturation as stateless_random_saturation
from capas.image.image_ops import transpose as transpose

# tfcore2: the image codecs of tf.io (capas/io/image_codecs.py), also under tf.image as in TF
from capas.io.image_codecs import decode_and_crop_jpeg as decode_and_crop_jpeg
from capas.io.image_codecs import decode_bmp as decode_bmp
from capas.io.image_codecs import decode_gif as decode_gif
from capas.io.image_codecs import decode_image as decode_image
from capas.io.image_codecs import decode_jpeg as decode_jpeg
from capas.io.image_codecs import decode_png as decode_png
from capas.io.image_codecs import encode_jpeg as encode_jpeg
from capas.io.image_codecs import encode_png as encode_png
from capas.io.image_codecs import extract_jpeg_shape as extract_jpeg_shape
from capas.io.image_codecs import is_jpeg as is_jpeg
