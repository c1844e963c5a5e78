"""RemoteMonitor posts each epoch's logs to a real local HTTP server the test starts."""

import http.server
import json
import threading
import urllib.parse

import numpy as np
import pytest

import brickwork as keras


@pytest.fixture
def receiver():
    """A local server recording (path, content type, body) of every POST."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], self.headers.get("X-Run"), body.decode()))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()


@pytest.mark.parametrize("send_as_json", [False, True])
def test_each_epoch_is_posted(receiver, send_as_json):
    root, received = receiver
    monitor = keras.callbacks.RemoteMonitor(root=root, path="/epoch/", headers={"X-Run": "7"},
                                            send_as_json=send_as_json)
    monitor.on_epoch_end(0, {"loss": np.float32(0.5), "accuracy": 0.75})
    monitor.on_epoch_end(1, {"loss": np.float32(0.25)})
    assert [r[0] for r in received] == ["/epoch/", "/epoch/"] and received[0][2] == "7"
    bodies = [json.loads(body) if send_as_json else json.loads(urllib.parse.parse_qs(body)["data"][0])
              for _, _, _, body in received]
    assert bodies == [{"epoch": 0, "loss": 0.5, "accuracy": 0.75}, {"epoch": 1, "loss": 0.25}]
    assert received[0][1] == ("application/json" if send_as_json else "application/x-www-form-urlencoded")


def test_an_unreachable_server_warns_and_training_goes_on(closed_port):
    monitor = keras.callbacks.RemoteMonitor(root=closed_port, timeout=2)
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor"):
        monitor.on_epoch_end(0, {"loss": 1.0})


@pytest.fixture
def closed_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_fit_posts_once_per_epoch(receiver):
    if not keras.backend.SUPPORTS_TRAINING:
        pytest.skip(f"the {keras.backend.backend()} backend is for inference only")
    root, received = receiver
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0,
                        callbacks=[keras.callbacks.RemoteMonitor(root=root, send_as_json=True)])
    posted = [json.loads(body) for *_, body in received]
    assert [p["epoch"] for p in posted] == [0, 1]
    np.testing.assert_allclose([p["loss"] for p in posted], history.history["loss"], rtol=1e-6)
