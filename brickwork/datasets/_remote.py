"""Where the datasets come from: Keras's URLs and checksums, with a mirror override, through ``get_file``."""

from __future__ import annotations

import os
import posixpath
import urllib.parse

from brickwork.utils.file_utils import get_file

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# A mirror serving the same files under one base URL (an offline cache server, or a test's local server).
ORIGIN_ENV = "BRICKWORK_DATASETS_ORIGIN"


def fetch(fname: str, origin: str, file_hash: str, cache_dir: str | os.PathLike | None = None, **kwargs) -> str:
    """The local path of a dataset file: downloaded once into ``<cache>/datasets``, verified, then reused.

    Args:
        fname: the cache file name.
        origin: Keras's URL of the file; with ``$BRICKWORK_DATASETS_ORIGIN`` set, the file of the same
            name under that base URL is fetched instead (the checksum stays the same).
        file_hash: the file's SHA-256 (or, for the word indexes Keras publishes so, MD5).
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).
        **kwargs: passed to ``get_file`` (``extract``, ``cache_subdir``...).
    """
    mirror = os.environ.get(ORIGIN_ENV)
    if mirror:
        origin = mirror.rstrip("/") + "/" + posixpath.basename(urllib.parse.urlsplit(origin).path)
    return get_file(fname, origin=origin, file_hash=file_hash, cache_dir=cache_dir, **kwargs)


def split_point(count: int, test_split: float) -> int:
    """The index where the training part ends, for a ``test_split`` fraction kept for testing."""
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be in [0, 1).")
    return int(count * (1 - test_split))
