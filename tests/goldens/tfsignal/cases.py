"""tf.signal cases run unchanged by TensorFlow (record.py) and capas (tests/signal/test_signal.py).

Each case returns {name: array}; complex results are split into their real and imaginary parts.
"""

import numpy as np


def _rng():
    return np.random.default_rng(7)


def _out(value):
    a = np.asarray(value)
    if np.iscomplexobj(a):
        return {
            "real": np.round(a.real.astype("float64"), 8).tolist(),
            "imag": np.round(a.imag.astype("float64"), 8).tolist(),
            "dtype": str(a.dtype),
        }
    return {"value": np.round(a.astype("float64"), 8).tolist(), "dtype": str(a.dtype), "shape": list(a.shape)}


def ffts(tf):
    rng = _rng()
    c = (rng.normal(size=(2, 4, 6)) + 1j * rng.normal(size=(2, 4, 6))).astype("complex64")
    r = rng.normal(size=(2, 4, 6)).astype("float32")
    r64 = r.astype("float64")
    x, xr = tf.constant(c), tf.constant(r)
    out = {
        "fft": tf.signal.fft(x),
        "ifft": tf.signal.ifft(x),
        "fft2d": tf.signal.fft2d(x),
        "ifft2d": tf.signal.ifft2d(x),
        "fft3d": tf.signal.fft3d(x),
        "ifft3d": tf.signal.ifft3d(x),
        "fft_c128": tf.signal.fft(tf.constant(c.astype("complex128"))),
        "rfft": tf.signal.rfft(xr),
        "rfft_f64": tf.signal.rfft(tf.constant(r64)),
        "rfft_len4": tf.signal.rfft(xr, fft_length=[4]),
        "rfft_len9": tf.signal.rfft(xr, fft_length=[9]),
        "rfft2d": tf.signal.rfft2d(xr),
        "rfft2d_len": tf.signal.rfft2d(xr, fft_length=[3, 8]),
        "rfft3d": tf.signal.rfft3d(xr),
        "irfft": tf.signal.irfft(tf.signal.rfft(xr)),
        "irfft_len7": tf.signal.irfft(x, fft_length=[7]),
        "irfft_default": tf.signal.irfft(x),
        "irfft2d": tf.signal.irfft2d(x),
        "irfft2d_len": tf.signal.irfft2d(x, fft_length=[4, 5]),
        "irfft3d": tf.signal.irfft3d(x),
        "fftshift": tf.signal.fftshift(xr),
        "fftshift_axes": tf.signal.fftshift(xr, axes=[1, 2]),
        "fftshift_axis": tf.signal.fftshift(xr, axes=1),
        "ifftshift": tf.signal.ifftshift(xr),
        "ifftshift_axes": tf.signal.ifftshift(tf.range(7), axes=0),
    }
    return {k: _out(v) for k, v in out.items()}


# TF 2.21 registers no CPU kernel for FFTND/IFFTND/RFFTND/IRFFTND, so the `*nd` forms are not
# recorded here: tests/signal/test_signal.py checks them against numpy.fft, which defines them.


def framing(tf):
    x = tf.reshape(tf.range(2 * 11 * 3, dtype=tf.float32), [2, 11, 3])
    out = {
        "frame": tf.signal.frame(tf.range(10), 4, 3),
        "frame_pad_end": tf.signal.frame(tf.range(10), 4, 3, pad_end=True, pad_value=-1),
        "frame_axis1": tf.signal.frame(x, 4, 2, axis=1),
        "frame_axis1_pad": tf.signal.frame(x, 4, 2, pad_end=True, axis=1),
        "frame_last": tf.signal.frame(x, 2, 1),
        "frame_short": tf.signal.frame(tf.range(3), 5, 2),
        "frame_short_pad": tf.signal.frame(tf.range(3), 5, 2, pad_end=True),
        "overlap_and_add": tf.signal.overlap_and_add(tf.reshape(tf.range(24, dtype=tf.float32), [2, 3, 4]), 3),
        "overlap_and_add_gap": tf.signal.overlap_and_add(tf.ones([3, 2]), 3),
    }
    return {k: _out(v) for k, v in out.items()}


def windows(tf):
    out = {}
    for n in (1, 2, 5, 8):
        out[f"hann_{n}"] = tf.signal.hann_window(n)
        out[f"hann_{n}_symmetric"] = tf.signal.hann_window(n, periodic=False)
        out[f"hamming_{n}"] = tf.signal.hamming_window(n)
        out[f"hamming_{n}_symmetric"] = tf.signal.hamming_window(n, periodic=False)
        out[f"kaiser_{n}"] = tf.signal.kaiser_window(n)
        out[f"kaiser_{n}_beta3"] = tf.signal.kaiser_window(n, beta=3.0)
        out[f"vorbis_{n}"] = tf.signal.vorbis_window(n)
    for n in (2, 6, 8):
        out[f"kbd_{n}"] = tf.signal.kaiser_bessel_derived_window(n)
        out[f"kbd_{n}_beta4"] = tf.signal.kaiser_bessel_derived_window(n, beta=4.0)
    out["hann_f64"] = tf.signal.hann_window(6, dtype=tf.float64)
    out["kaiser_big_beta"] = tf.signal.kaiser_window(9, beta=800.0)
    out["hann_0"] = tf.signal.hann_window(0)
    return {k: _out(v) for k, v in out.items()}


def spectral(tf):
    rng = _rng()
    signals = tf.constant(rng.normal(size=(2, 1000)).astype("float32"))
    # TF's "Simple audio recognition" tutorial: a 16000-sample waveform, stft(255, 128), abs, new axis
    waveform = tf.constant((np.sin(np.arange(16000) / 7.0) * 0.3 + rng.normal(size=16000) * 0.05).astype("float32"))
    spectrogram = tf.abs(tf.signal.stft(waveform, frame_length=255, frame_step=128))
    spectrogram = spectrogram[..., tf.newaxis]
    stft = tf.signal.stft(signals, frame_length=64, frame_step=16)
    inverse = tf.signal.inverse_stft(stft, 64, 16, window_fn=tf.signal.inverse_stft_window_fn(16))
    out = {
        "tutorial_spectrogram": spectrogram,
        "stft": stft,
        "stft_fft_len": tf.signal.stft(signals, 50, 20, fft_length=100),
        "stft_pad_end": tf.signal.stft(signals, 64, 48, pad_end=True),
        "stft_hamming": tf.signal.stft(signals, 32, 32, window_fn=tf.signal.hamming_window),
        "stft_no_window": tf.signal.stft(signals, 32, 16, window_fn=None),
        "stft_f64": tf.signal.stft(tf.cast(signals, tf.float64), 40, 10),
        "inverse_stft_default": tf.signal.inverse_stft(stft, 64, 16),
        "inverse_stft_roundtrip": inverse,
        "inverse_stft_short_fft": tf.signal.inverse_stft(
            tf.signal.stft(signals, 50, 25, fft_length=32), 50, 25, fft_length=32
        ),
        "inverse_window_16": tf.signal.inverse_stft_window_fn(16)(64, tf.float32),
        "inverse_window_hamming": tf.signal.inverse_stft_window_fn(5, tf.signal.hamming_window)(12, tf.float32),
    }
    return {k: _out(v) for k, v in out.items()}


def mel(tf):
    rng = _rng()
    spectrogram = tf.constant(np.abs(rng.normal(size=(3, 129))).astype("float32"))
    matrix = tf.signal.linear_to_mel_weight_matrix()
    tut = tf.signal.linear_to_mel_weight_matrix(40, 257, 16000, 80.0, 7600.0)
    log_mel = tf.math.log(tf.tensordot(spectrogram, matrix, 1) + 1e-6)
    out = {
        "mel_default": matrix,
        "mel_40_257": tut,
        "mel_f64": tf.signal.linear_to_mel_weight_matrix(10, 33, 22050, 0.0, 11025.0, dtype=tf.float64),
        "mfccs": tf.signal.mfccs_from_log_mel_spectrograms(log_mel),
        "mfccs_1": tf.signal.mfccs_from_log_mel_spectrograms(tf.constant([[2.0]])),
    }
    return {k: _out(v) for k, v in out.items()}


def dcts(tf):
    rng = _rng()
    x = tf.constant(rng.normal(size=(3, 8)).astype("float32"))
    x64 = tf.constant(rng.normal(size=(2, 5)))
    out = {}
    for t in (1, 2, 3, 4):
        out[f"dct{t}"] = tf.signal.dct(x, type=t)
        out[f"idct{t}"] = tf.signal.idct(x, type=t)
        out[f"dct{t}_f64"] = tf.signal.dct(x64, type=t)
        out[f"dct{t}_n6"] = tf.signal.dct(x, type=t, n=6)
        out[f"dct{t}_n11"] = tf.signal.dct(x, type=t, n=11)
        if t != 1:
            out[f"dct{t}_ortho"] = tf.signal.dct(x, type=t, norm="ortho")
            out[f"idct{t}_ortho"] = tf.signal.idct(x, type=t, norm="ortho")
    signal = tf.constant(rng.normal(size=(2, 64)).astype("float32"))
    m = tf.signal.mdct(signal, 16)
    out["mdct"] = m
    out["mdct_pad_end"] = tf.signal.mdct(signal[:, :60], 16, pad_end=True)
    out["mdct_ortho_kbd"] = tf.signal.mdct(signal, 8, window_fn=tf.signal.kaiser_bessel_derived_window, norm="ortho")
    out["mdct_no_window"] = tf.signal.mdct(signal, 8, window_fn=None)
    out["inverse_mdct"] = tf.signal.inverse_mdct(m)
    out["inverse_mdct_ortho"] = tf.signal.inverse_mdct(tf.signal.mdct(signal, 8, norm="ortho"), norm="ortho")
    out["inverse_mdct_no_window"] = tf.signal.inverse_mdct(m, window_fn=None)
    return {k: _out(v) for k, v in out.items()}


def gradients(tf):
    """d/dx of sums through the transforms (TF's registered gradients vs torch autograd)."""
    rng = _rng()
    x = tf.Variable(rng.normal(size=(2, 40)).astype("float32"))
    out = {}
    fns = {
        "stft_abs": lambda v: tf.reduce_sum(tf.abs(tf.signal.stft(v, 16, 8)) * tf.range(9, dtype=tf.float32)),
        "rfft_real": lambda v: tf.reduce_sum(tf.math.real(tf.signal.rfft(v)) * tf.range(21, dtype=tf.float32)),
        "frame": lambda v: tf.reduce_sum(tf.signal.frame(v, 7, 3) ** 2),
        "overlap_and_add": lambda v: tf.reduce_sum(tf.signal.overlap_and_add(tf.reshape(v, [2, 5, 8]), 3) ** 2),
        "dct2": lambda v: tf.reduce_sum(tf.signal.dct(v) * tf.range(40, dtype=tf.float32)),
        "mdct": lambda v: tf.reduce_sum(tf.signal.mdct(v, 8) ** 2),
        "irfft": lambda v: tf.reduce_sum(
            tf.signal.irfft(tf.signal.rfft(v) * tf.cast(tf.range(21, dtype=tf.float32), tf.complex64)) ** 2
        ),
    }
    for name, fn in fns.items():
        with tf.GradientTape() as tape:
            y = fn(x)
        out[name] = tape.gradient(y, x)
    return {k: _out(v) for k, v in out.items()}


CASES = {
    "ffts": ffts,
    "framing": framing,
    "windows": windows,
    "spectral": spectral,
    "mel": mel,
    "dcts": dcts,
    "gradients": gradients,
}
