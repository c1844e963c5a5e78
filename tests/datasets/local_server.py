"""A local HTTP server (127.0.0.1, a free port, a thread) serving a folder, counting the requests."""

import functools
import http.server
import socket
import threading

import pytest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, requests=None, **kwargs):
        self._requests = requests
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self._requests.append(self.path)
        super().do_GET()

    def log_message(self, format, *args):
        pass


class LocalServer:
    """``url`` is the base URL (ending in ``/``); files put in ``root`` are served; ``requests`` lists paths."""

    def __init__(self, root):
        self.root = root
        self.requests = []
        handler = functools.partial(_QuietHandler, directory=str(root), requests=self.requests)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def put(self, name, data: bytes):
        (self.root / name).write_bytes(data)
        return self.url + name

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def local_server(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    server = LocalServer(root)
    yield server
    server.close()


def closed_port_url(name="file.bin"):
    """A URL on 127.0.0.1 where nothing listens: a download there fails as it would offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/{name}"


@pytest.fixture
def dataset_mirror(local_server, tmp_path, monkeypatch):
    """The tiny dataset files served locally; loaders pointed at them, with their checksums; a fresh cache."""
    from brickwork.datasets import (
        boston_housing,
        california_housing,
        cifar10,
        cifar100,
        fashion_mnist,
        imdb,
        mnist,
        reuters,
    )
    from tests.datasets.dataset_files import SERVED, checksum

    for name, data in SERVED.items():
        local_server.put(name, data)
    for module in (boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters):
        for name in module.FILE_HASHES:
            monkeypatch.setitem(module.FILE_HASHES, name, checksum(name))
    monkeypatch.setenv("BRICKWORK_DATASETS_ORIGIN", local_server.url)
    monkeypatch.setenv("BRICKWORK_HOME", str(tmp_path / "home"))
    return local_server
