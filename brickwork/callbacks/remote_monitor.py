"""``RemoteMonitor``: each epoch's logs sent to a server by HTTP POST (standard library only).

Example:
    >>> import brickwork as keras
    >>> monitor = keras.callbacks.RemoteMonitor(root="http://localhost:9000", send_as_json=True)
    >>> model.fit(x, y, epochs=3, callbacks=[monitor])  # POST {"epoch": 0, "loss": ...} after each epoch
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from brickwork.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Posts ``{"epoch": ..., **logs}`` to ``root + path`` at the end of every epoch.

    Args:
        root: the server's address, e.g. ``"http://localhost:9000"``.
        path: the path posted to, appended to ``root``.
        field: the form field holding the JSON text (when not ``send_as_json``).
        headers: extra HTTP headers, a dict.
        send_as_json: send the logs as an ``application/json`` body instead of a form field.

    A server that cannot be reached gives a warning, not an error: training goes on.

    Example:
        monitor = RemoteMonitor(root="http://localhost:9000", path="/publish/epoch/end/")
        # model.fit(x, y, callbacks=[monitor]) posts each epoch's logs to that address
    """

    def __init__(self, root: str = "http://localhost:9000", path: str = "/publish/epoch/end/", field: str = "data",
                 headers: dict | None = None, send_as_json: bool = False, timeout: float = 10.0):
        super().__init__()
        self.root, self.path, self.field = root, path, field
        self.headers = headers
        self.send_as_json = send_as_json
        self.timeout = timeout

    def on_epoch_end(self, epoch, logs=None):
        record = {"epoch": epoch}
        for key, value in (logs or {}).items():
            record[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else _plain(value)
        if self.send_as_json:
            body, content_type = json.dumps(record).encode(), "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(record)}).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.root + self.path, data=body, method="POST",
                                         headers={"Content-Type": content_type, **(self.headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout):
                pass
        except (urllib.error.URLError, OSError, ValueError) as error:
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root} ({error}).", stacklevel=2)


def _plain(value):
    """A log value as a JSON number where it is a scalar tensor."""
    try:
        return float(value) if hasattr(value, "shape") and not tuple(value.shape) else value
    except (TypeError, ValueError):
        return value
