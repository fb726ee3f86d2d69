"""HTTP download into a `.part` file that survives interruptions (standard library only).

A transfer appends to `<file>.part`. When a `.part` is already there, the
request asks for the rest with an HTTP `Range` header; a server that answers
with the whole file (200 instead of 206) makes the download start over.
"""

import os
import sys
import time
import urllib.error
import urllib.request

_CHUNK = 1 << 16
_TIMEOUT_S = 30


class TruncatedDownloadError(ConnectionError):
    """The connection closed before the whole file arrived; the `.part` is kept."""


def download(url, part_path, label, stream=None):
    """Fetch `url` into `part_path`, resuming from its current size.

    Args:
        url: the address.
        part_path: the partial file; created, appended to, or restarted.
        label: the file name shown on the progress line.
        stream: where progress goes (default `sys.stderr`).

    Returns:
        The number of bytes in `part_path` once the transfer is complete.

    Raises:
        urllib.error.URLError, OSError: the server could not be reached or
            refused the file (nothing is written in that case).
        TruncatedDownloadError: the transfer stopped early; `part_path` keeps
            what arrived, and the next call resumes from there.
    """
    have = os.path.getsize(part_path) if os.path.exists(part_path) else 0
    headers = {"User-Agent": "capas-datasets", "Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=_TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:
            # The `.part` is not a prefix the server can continue: start over.
            os.remove(part_path)
            return download(url, part_path, label, stream)
        raise
    with response:
        resumed = bool(have) and response.status == 206
        if resumed and not response.headers.get("Content-Range", "").startswith(f"bytes {have}-"):
            # A range other than the one asked for: drop the `.part`, start over.
            response.close()
            os.remove(part_path)
            return download(url, part_path, label, stream)
        if not resumed:
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        progress = _Progress(label, url, total, have, stream or sys.stderr)
        received = have
        with open(part_path, "ab" if resumed else "wb") as f:
            try:
                while True:
                    chunk = response.read(_CHUNK)
                    if not chunk:
                        break
                    f.write(chunk)
                    received += len(chunk)
                    progress.update(received)
            except (OSError, ValueError) as exc:  # IncompleteRead, reset, timeout
                f.flush()
                raise TruncatedDownloadError(
                    f"The download of {label} from {url} stopped after {received} of "
                    f"{total if total is not None else '?'} bytes ({exc})."
                ) from exc
            finally:
                f.flush()
                os.fsync(f.fileno())
        progress.done(received)
    if total is not None and received < total:
        raise TruncatedDownloadError(f"The download of {label} from {url} stopped after {received} of {total} bytes.")
    return received


class _Progress:
    """A progress line on stderr: redrawn in place on a terminal, a few plain lines otherwise."""

    def __init__(self, label, url, total, start, stream):
        self.label = label
        self.total = total
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last_draw = 0.0
        self.next_step = 0
        verb = f"Resuming at {_mb(start)}" if start else "Downloading"
        self._write(f"{verb} {label} from {url}\n")
        self._advance_step(start)

    def _write(self, text):
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed stderr must not break the download

    def _advance_step(self, received):
        # Without a terminal: one line per quarter (or per 10 MB when the size is unknown).
        if self.total:
            while self.next_step * self.total <= received * 4:
                self.next_step += 1
        else:
            self.next_step = received // (10 << 20) + 1

    def _line(self, received):
        if not self.total:
            return f"{self.label}: {_mb(received)}"
        frac = min(received / self.total, 1.0)
        bar = "=" * int(frac * 30)
        return f"{self.label}: [{bar:<30}] {frac:4.0%} {_mb(received)} of {_mb(self.total)}"

    def update(self, received):
        if self.tty:
            now = time.monotonic()
            if now - self.last_draw >= 0.1:
                self.last_draw = now
                self._write("\r" + self._line(received))
            return
        crossed = received * 4 >= self.next_step * self.total if self.total else received >= self.next_step * (10 << 20)
        if crossed and (not self.total or received < self.total):
            self._write(self._line(received) + "\n")
            self._advance_step(received)

    def done(self, received):
        self._write(("\r" if self.tty else "") + self._line(received) + "\n")


def _mb(n):
    return f"{n / 1e6:.1f} MB"
