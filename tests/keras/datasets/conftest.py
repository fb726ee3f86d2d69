"""Fixtures for the dataset tests: a private cache folder and a local HTTP server.

No test touches the real `~/.capas` (HOME and CAPAS_DATASETS_DIR point into
tmp_path) or the network (the origin is a server on 127.0.0.1).
"""

import hashlib
import http.server
import threading

import pytest

from capas.keras.datasets import _sources


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The cache folder (not yet created), private to the test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CAPAS_DATASETS_DIR", str(folder))
    monkeypatch.delenv("CAPAS_DATASETS_ORIGIN", raising=False)
    return folder


def _toy_source(fname, data, dataset="mnist"):
    return _sources.Source(
        fname,
        "https://example.invalid/" + fname.rsplit("/", 1)[-1],
        hashlib.sha256(data).hexdigest(),
        dataset=dataset,
    )


@pytest.fixture
def toy_source():
    """`toy_source(fname, data)`: a `Source` whose canonical bytes are `data`."""
    return _toy_source


class _Server:
    def __init__(self):
        self.files = {}  # url path ("/toy.npz") -> bytes
        self.truncate_once = {}  # url path -> number of bytes sent before hanging up
        self.ignore_range = False
        self.requests = []  # (path, Range header or None)
        self.url = None


@pytest.fixture
def server(cache, monkeypatch):
    """A threaded HTTP server on 127.0.0.1 that honours Range and can cut transfers."""
    state = _Server()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            state.requests.append((self.path, self.headers.get("Range")))
            data = state.files.get(self.path)
            if data is None:
                self.send_error(404)
                return
            start = 0
            rng = self.headers.get("Range")
            if rng and not state.ignore_range:
                start = int(rng.split("=")[1].split("-")[0])
                if start >= len(data):
                    self.send_error(416)
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            body = data[start:]
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            cut = state.truncate_once.pop(self.path, None)
            if cut is not None:
                self.wfile.write(body[:cut])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("CAPAS_DATASETS_ORIGIN", state.url)
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join()
