"""`RemoteMonitor`: post each epoch's logs to a server."""

import json
import urllib.parse
import urllib.request
import warnings

import numpy as np

from capas.keras.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Send the epoch logs to a server with an HTTP POST at the end of each epoch.

    The body is `{field: json.dumps({"epoch": ..., **logs})}` form-encoded,
    or the JSON object itself with `send_as_json=True`. A server that cannot
    be reached gives a warning, not an error.

    Args:
        root: the server's root URL.
        path: the path the events are posted to.
        field: the form field holding the JSON data.
        headers: optional HTTP headers.
        send_as_json: send the logs as a JSON body (`application/json`).

    Differs from Keras: uses the standard library's `urllib` (no `requests`).

    Example:

    >>> import capas.keras as keras
    >>> monitor = keras.callbacks.RemoteMonitor(root="http://localhost:9000")
    """

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
        timeout=10,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json
        self.timeout = timeout

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout):  # noqa: S310 - the user's URL
                pass
        except (OSError, ValueError) as e:
            warnings.warn(
                f"RemoteMonitor: could not reach the root server at {self.root!s} ({e}).",
                stacklevel=2,
            )
