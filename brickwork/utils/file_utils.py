"""``get_file``: download a file once into a cache, verify its checksum, extract archives safely.

A download goes to a temporary file next to its target, is hashed as it streams, and is moved
into place only once complete and verified: an interrupted or corrupted download leaves nothing
in the cache. Archive members that would land outside the extraction folder (``../x``, absolute
paths, links pointing out) are refused before anything is extracted.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile

from brickwork.backend.config import brickwork_home
from brickwork.utils.progbar import Progbar

_CHUNK_BYTES = 1 << 16
_TIMEOUT_SECONDS = 60


def get_file(fname: str | None = None, origin: str | None = None, untar: bool = False, md5_hash: str | None = None,
             file_hash: str | None = None, cache_subdir: str = "datasets", hash_algorithm: str = "auto",
             extract: bool = False, archive_format="auto", cache_dir: str | os.PathLike | None = None,
             force_download: bool = False) -> str:
    """Download a file from a URL unless the cache already holds it; return its local path.

    The file lands in ``<cache_dir>/<cache_subdir>/<fname>``; ``cache_dir`` defaults to
    ``$BRICKWORK_HOME`` or ``~/.brickwork``. With a ``file_hash`` the download is verified (and a
    cached copy that does not match is downloaded again). With ``extract=True`` a tar or zip archive
    is unpacked and the folder it was unpacked into is returned.

    Args:
        fname: the local file name (default: the last part of ``origin``'s path). With ``extract``, a
            name without an extension names the extraction folder.
        origin: the URL to download from.
        untar: deprecated form of ``extract=True, archive_format="tar"``.
        md5_hash: deprecated form of ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: the expected SHA-256 (or MD5) hex digest of the file.
        cache_subdir: the folder under ``cache_dir`` (an absolute path is used as is).
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (from the hash's length).
        extract: unpack the archive after download.
        archive_format: ``"auto"`` (tar then zip), ``"tar"``, ``"zip"``, a list of them, or None.
        cache_dir: the cache root.
        force_download: download even when a cached copy exists.

    Returns:
        The path of the file, or of the extraction folder with ``extract``.

    Example:
        path = keras.utils.get_file(origin="https://example.com/flower_photos.tgz", extract=True)
    """
    if origin is None:
        raise ValueError('get_file: please specify the "origin" argument (the URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = os.path.join(_writable_cache_dir(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    provided = os.fspath(fname) if fname is not None else None
    fname = provided or os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"get_file: can't parse the file name from origin={origin!r}; pass `fname`.")
    if os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(f"get_file: `fname` must be a file name, not a path; use `cache_dir` to choose the "
                         f"folder. Received: fname={fname!r}")
    if extract or untar:
        if provided and "." in fname:
            download_target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[:fname.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            download_target = os.path.join(datadir, f"{fname}_archive")
    else:
        download_target = os.path.join(datadir, fname)

    downloaded = False
    if force_download or not _usable_cached(download_target, file_hash, hash_algorithm):
        _download(origin, download_target, file_hash, hash_algorithm)
        downloaded = True
    if not (extract or untar):
        return download_target
    if downloaded or not os.path.isdir(extraction_dir):
        if not extract_archive(download_target, extraction_dir, "tar" if untar else archive_format):
            raise ValueError(f"get_file: {download_target} is not an archive of format {archive_format!r}; "
                             "nothing was extracted.")
    return extraction_dir


def _writable_cache_dir(cache_dir) -> str:
    base = os.path.expanduser(os.fspath(cache_dir)) if cache_dir is not None else brickwork_home()
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if os.access(base, os.W_OK):
        return base
    # A read-only home (some CI and containers): fall back to the temporary folder, as Keras does.
    return os.path.join(tempfile.gettempdir(), ".brickwork")


def _usable_cached(path: str, file_hash: str | None, algorithm: str) -> bool:
    if not os.path.exists(path):
        return False
    if file_hash is None or validate_file(path, file_hash, algorithm):
        return True
    print(f"A local file was found at {path}, but its {_algorithm_name(algorithm, file_hash)} hash does not match "
          f"the expected {file_hash}: downloading it again.")
    return False


def _download(origin: str, target: str, file_hash: str | None, algorithm: str) -> None:
    """Stream ``origin`` into ``target`` through a temporary file, verifying the hash before the move."""
    print(f"Downloading data from {origin}")
    hasher = resolve_hasher(algorithm, file_hash)
    handle, partial = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".part",
                                       dir=os.path.dirname(target))
    try:
        with os.fdopen(handle, "wb") as out:
            _stream(origin, target, out, hasher)
        if file_hash is not None and not _same_hash(hasher.hexdigest(), file_hash):
            raise ValueError(
                f"Incomplete or corrupted file detected: the {hasher.name} hash of the file downloaded from "
                f"{origin} is {hasher.hexdigest()}, which does not match the expected {file_hash}. "
                f"Nothing was written to the cache ({target})."
            )
        os.replace(partial, target)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


def _stream(origin: str, target: str, out, hasher) -> None:
    try:
        response = urllib.request.urlopen(origin, timeout=_TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        raise OSError(f"URL fetch failure on {origin}: HTTP {error.code} {error.reason}.") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ConnectionError(
            f"Could not download {origin} ({reason}), and there is no usable copy in the cache at {target}. "
            "Connect to the network and try again, or put the file at that path by hand."
        ) from error
    with response:
        length = response.headers.get("Content-Length")
        progbar = Progbar(int(length) if length and length.isdigit() else None, unit_name="byte")
        if not progbar._dynamic_display:
            progbar.interval = 10.0  # a log file gets a line every few seconds, not a line per chunk
        received = 0
        while chunk := response.read(_CHUNK_BYTES):
            out.write(chunk)
            hasher.update(chunk)
            received += len(chunk)
            progbar.update(received, finalize=False)
        progbar.update(received, finalize=True)


def resolve_hasher(algorithm: str = "auto", file_hash: str | None = None):
    """A ``hashlib`` object: SHA-256, or MD5 when asked or when ``file_hash`` has MD5's length (auto).

    Any other name falls back to MD5, the legacy default Keras keeps, with a warning naming it.

    Example:
        >>> resolve_hasher("auto", file_hash="0" * 32).name
        'md5'
    """
    if algorithm == "sha256" or (algorithm == "auto" and (file_hash is None or len(file_hash) == 64)):
        return hashlib.sha256()
    if algorithm not in ("md5", "auto"):
        warnings.warn(f"resolve_hasher: unknown hash algorithm {algorithm!r} (expected 'sha256', 'md5' or "
                      "'auto'); using MD5, the legacy default.", stacklevel=2)
    return hashlib.md5()


def _algorithm_name(algorithm: str, file_hash: str | None) -> str:
    return resolve_hasher(algorithm, file_hash).name


def _same_hash(actual: str, expected: str) -> bool:
    return actual.lower() == str(expected).strip().lower()


def hash_file(fpath: str | os.PathLike, algorithm: str = "sha256", chunk_size: int = _CHUNK_BYTES) -> str:
    """The hex digest of a file (``"sha256"``, ``"md5"``, or ``"auto"`` = SHA-256)."""
    hasher = resolve_hasher(algorithm)
    with open(fpath, "rb") as file:
        while chunk := file.read(chunk_size):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath: str | os.PathLike, file_hash: str, algorithm: str = "auto",
                  chunk_size: int = _CHUNK_BYTES) -> bool:
    """Whether the file's hash is ``file_hash`` (algorithm from the hash's length with ``"auto"``)."""
    name = resolve_hasher(algorithm, file_hash).name
    return _same_hash(hash_file(fpath, "md5" if name == "md5" else "sha256", chunk_size), file_hash)


# ---------------------------------------------------------------------- archives
def extract_archive(file_path: str | os.PathLike, path: str | os.PathLike = ".", archive_format="auto") -> bool:
    """Extract a tar (plain, gz, bz2, xz) or zip archive into ``path``; False if it is neither.

    Every member is checked first: one whose path or link target would land outside ``path`` is
    refused with a ``ValueError`` and nothing is extracted. The extraction happens in a temporary
    folder moved into place at the end, so a failure leaves no half-extracted folder.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else list(archive_format))
    file_path, path = os.fspath(file_path), os.fspath(path)
    for kind in formats:
        if kind not in ("tar", "zip"):
            raise ValueError(f"archive_format must be 'auto', 'tar', 'zip' or None; received {kind!r}.")
        if kind == "tar" and tarfile.is_tarfile(file_path):
            with tarfile.open(file_path) as archive:
                _extract_into(path, lambda tmp: _extract_tar(archive, tmp))
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                _extract_into(path, lambda tmp: _extract_zip(archive, tmp))
            return True
    return False


def _extract_into(path: str, extract) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=os.path.basename(path) + ".", suffix=".partial", dir=parent)
    try:
        extract(staging)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            shutil.rmtree(staging)


def _inside(base: str, relative: str) -> bool:
    """Whether ``base/relative`` (resolved) stays inside ``base``."""
    return resolve_sub_path(base, relative) is not None


def path_to_string(path):
    """``path`` as a string (``os.PathLike`` objects through ``os.fspath``); anything else as it is."""
    return os.fspath(path) if isinstance(path, os.PathLike) or hasattr(path, "__fspath__") else path


def resolve_path(path) -> str:
    """The absolute path with every symbolic link resolved."""
    return os.path.realpath(os.path.abspath(path))


def resolve_sub_path(base_dir, path):
    """``path`` (relative to ``base_dir``, or absolute) resolved, or ``None`` where it leads outside ``base_dir``.

    Example:
        >>> resolve_sub_path("/data", "../etc/passwd") is None
        True
    """
    base = resolve_path(base_dir)
    target = os.path.realpath(os.path.join(base, path))
    return target if os.path.commonpath([base, target]) == base else None


def is_link_in_dir(info, base_dir) -> bool:
    """Whether an archive link member and what it points to both stay inside ``base_dir``.

    A symbolic link's target is read from the link's own folder, a hard link's from the archive's root.
    """
    if resolve_sub_path(base_dir, info.name) is None:
        return False
    start = os.path.dirname(info.name) if info.issym() else ""
    return resolve_sub_path(base_dir, os.path.join(start, info.linkname)) is not None


def filter_safe_tarinfos(members, base_dir):
    """The tar ``members`` that extract inside ``base_dir``; each other one is skipped with a warning.

    Example:
        >>> with tarfile.open("data.tar.gz") as archive:
        ...     archive.extractall("out", members=filter_safe_tarinfos(archive.getmembers(), "out"))
    """
    base_dir = resolve_path(base_dir)
    for member in members:
        safe = not os.path.isabs(member.name) and resolve_sub_path(base_dir, member.name) is not None
        if safe and (member.issym() or member.islnk()):
            safe = is_link_in_dir(member, base_dir)  # an absolute target is fine where it stays inside
        if safe and ".." in pathlib.PurePath(member.name).parts:  # e.g. link/../x through a symlink
            safe = False
        if safe:
            yield member
        else:
            warnings.warn(f"Skipping invalid path during archive extraction: '{member.name}'.", stacklevel=2)


_REMOTE_PREFIXES = ("gs://", "gcs://", "hdfs://", "s3://", "/gcs/", "/hdfs/", "/cns/", "/tfhub/", "/cfs/",
                    "/readahead/")


def is_remote_path(path) -> bool:
    """Whether ``path`` names a remote or cluster file system (``gs://``, ``hdfs://``, ``/cns/`` …)."""
    path = str(path_to_string(path))
    return path.startswith(_REMOTE_PREFIXES) or bool(re.match(r"^/placer/(prod|test)(/scratch)?/home/", path))


def _raise_if_no_gfile(path):
    raise ValueError("Handling remote paths requires installing TensorFlow (for its gfile), which brickwork does "
                     f"not use: read and write local paths, or copy the file first. Received path: {path}")


def _refuse(member: str, why: str):
    return ValueError(f"Refusing to extract archive member {member!r}: {why}. Nothing was extracted.")


def _extract_tar(archive: tarfile.TarFile, destination: str) -> None:
    members = archive.getmembers()
    for member in members:
        if os.path.isabs(member.name) or not _inside(destination, member.name):
            raise _refuse(member.name, "its path leads outside the extraction folder")
        if member.issym():
            target = os.path.join(os.path.dirname(member.name), member.linkname)
            if os.path.isabs(member.linkname) or not _inside(destination, target):
                raise _refuse(member.name, f"it links to {member.linkname!r}, outside the extraction folder")
        elif member.islnk() and (os.path.isabs(member.linkname) or not _inside(destination, member.linkname)):
            raise _refuse(member.name, f"it links to {member.linkname!r}, outside the extraction folder")
        elif not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
            raise _refuse(member.name, "it is a device or special file")
    if sys.version_info >= (3, 12) or hasattr(tarfile, "data_filter"):
        archive.extractall(destination, members=members, filter="data")  # the stdlib's own checks as well
    else:
        archive.extractall(destination, members=members)


def _extract_zip(archive: zipfile.ZipFile, destination: str) -> None:
    for info in archive.infolist():
        if os.path.isabs(info.filename) or info.filename.startswith(("/", "\\")) or not _inside(
                destination, info.filename):
            raise _refuse(info.filename, "its path leads outside the extraction folder")
    archive.extractall(destination)


# ---- Keras's file-system helpers (Keras routes them through TensorFlow's gfile for remote paths; brickwork
# reads and writes local paths, so they are the standard library's calls under Keras's names).
def exists(path: str | os.PathLike) -> bool:
    """Whether ``path`` exists."""
    return os.path.exists(path)


def File(path: str | os.PathLike, mode: str = "r"):  # Keras's name
    """``path`` opened in ``mode``, as ``open`` does."""
    return open(path, mode=mode)


def join(path: str | os.PathLike, *paths: str) -> str:
    """``os.path.join(path, *paths)``."""
    return os.path.join(path, *paths)


def isdir(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder."""
    return os.path.isdir(path)


def listdir(path: str | os.PathLike) -> list[str]:
    """The names in folder ``path``."""
    return os.listdir(path)


def makedirs(path: str | os.PathLike) -> None:
    """Create folder ``path`` and its parents (an existing folder is fine)."""
    os.makedirs(path, exist_ok=True)


def remove(path: str | os.PathLike) -> None:
    """Delete file ``path``."""
    os.remove(path)


def rmtree(path: str | os.PathLike) -> None:
    """Delete folder ``path`` and everything in it."""
    shutil.rmtree(path)


def copy(source: str | os.PathLike, destination: str | os.PathLike) -> None:
    """Copy file ``source`` to ``destination``, replacing it."""
    shutil.copy(source, destination)
