"""Where pretrained weights come from: Keras's URLs and file hashes, through ``get_file``, with a mirror override."""

from __future__ import annotations

import os
import posixpath
import urllib.parse

from brickwork.utils.file_utils import get_file

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/keras-applications/"

# A mirror serving the same files under one base URL (an offline cache server, or a test's local server).
ORIGIN_ENV = "BRICKWORK_APPLICATIONS_ORIGIN"


def fetch(fname: str, origin: str, file_hash: str | None) -> str:
    """The local path of a published file: downloaded once into ``<cache>/models``, verified, then reused.

    Args:
        fname: the cache file name (Keras's).
        origin: Keras's URL of the file; with ``$BRICKWORK_APPLICATIONS_ORIGIN`` set, the file of the
            same name under that base URL is fetched instead (the hash stays the same).
        file_hash: the file's MD5 or SHA-256 as Keras publishes it (None: Keras checks none).
    """
    mirror = os.environ.get(ORIGIN_ENV)
    if mirror:
        origin = mirror.rstrip("/") + "/" + posixpath.basename(urllib.parse.urlsplit(origin).path)
    return get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
