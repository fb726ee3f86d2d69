"""FarmHash Fingerprint64 and SipHash-2-4 against published reference values."""

import struct

from capas.ops._hashes import fingerprint64, siphash64

_M = (1 << 64) - 1


def test_fingerprint64_known_values():
    # Guava's FarmHashFingerprint64Test (4, 32 and 256 bytes) and go-farm's golden values (<= 32 bytes).
    assert fingerprint64(b"test") == 8581389452482819506
    assert fingerprint64(b"test" * 8) == -4196240717365766262 & _M
    assert fingerprint64(b"test" * 64) == 3500507768004279527
    assert fingerprint64(b"a") == 0xB3454265B6DF75E3
    assert fingerprint64(b"abcdefghij") == 0x8A3ABB6A5F3FB7FB
    assert fingerprint64(b"Nepal premier won't resign.") == 0x8EB3808D1CCFC779


def test_fingerprint64_every_length_matches_the_reference_checksum():
    # Guava's testMultipleLengths: a running checksum over fingerprints of every length up to ~3200
    # bytes, whose value the C++ reference implementation produced.
    def remix(h):
        h ^= h >> 41
        return (h * 949921979) & _M

    buf, n, h = bytearray(3200), 0, 0
    for i in range(800):
        for k in range(4):
            length = (i, i * i % max(n, 1), i * i * i % max(n, 1), n)[k]
            h = remix(h ^ fingerprint64(bytes(buf[:length])))
            buf[n] = ord("a") + (h & 0xFFFFF) % 26
            n += 1
        x0, x1, x2, x3 = buf[n - 1], buf[n - 2], buf[n - 3], buf[n // 2]
        buf[((x0 << 16) + (x1 << 8) + x2) % n] ^= x3
        buf[((x1 << 16) + (x2 << 8) + x3) % n] ^= i % 256
    assert h == 0x7A1D67C50EC7E167


def test_siphash64_paper_vector():
    # The SipHash paper's test vector: key 00..0f, message 00..0e.
    key = struct.unpack("<QQ", bytes(range(16)))
    assert siphash64(key, bytes(range(15))) == 0xA129CA6149BE45E5
