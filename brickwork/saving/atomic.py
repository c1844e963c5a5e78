"""``atomic_write``: the one way brickwork writes a file (models, weights, checkpoints, exports).

The content goes to a temporary file in the target's folder, which is renamed over the target
only once it is complete and flushed to disk. A save that fails half-way (an exception, a full
disk, a killed process) leaves any earlier file byte-identical. A killed process cannot remove its
temporary, so the temporary's name carries the process id, and the next save to the same path removes
those whose process is gone.

Example:
    with atomic_write("model.keras") as temporary_path:
        write_archive(temporary_path)
"""

from __future__ import annotations

import contextlib
import os
import tempfile


def _fsync_path(path: str) -> None:
    """Flush a file (or a folder's entry table) to disk; best effort where the OS refuses."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _temporary_prefix(filepath: str) -> str:
    return f".{os.path.basename(filepath)}.tmp-pid"


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, owned by someone else
    return True


def remove_stale_temporaries(filepath) -> list:
    """Remove temporaries that an earlier, killed save to ``filepath`` left behind; return their paths.

    Only files named as ``atomic_write`` names them (``.<name>.tmp-pid<pid>.<random>.tmp``) whose writer
    process no longer exists are removed: a live writer's file is left alone.
    """
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    prefix = _temporary_prefix(filepath)
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid_text = name[len(prefix):].split(".", 1)[0]
        if not pid_text.isdigit() or _process_alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.remove(os.path.join(folder, name))
            removed.append(os.path.join(folder, name))
    return removed


@contextlib.contextmanager
def atomic_write(filepath):
    """Yield a temporary path beside ``filepath``; on success it replaces ``filepath`` atomically.

    Args:
        filepath: the file to write (its folder must exist).

    Raises:
        FileNotFoundError: when the folder of ``filepath`` does not exist.
    """
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot write {filepath!r}: the folder {folder!r} does not exist.")
    remove_stale_temporaries(filepath)
    # A hidden name in the same folder (os.replace is atomic only within one file system), carrying the
    # writer's process id so that a later save can tell a killed writer's leftover from a live one.
    descriptor, temporary = tempfile.mkstemp(prefix=f"{_temporary_prefix(filepath)}{os.getpid()}.", suffix=".tmp",
                                             dir=folder)
    os.close(descriptor)
    try:
        yield temporary
        _fsync_path(temporary)
        if os.path.exists(filepath):
            # Keep the permissions of the file being replaced (mkstemp creates 0600 files).
            os.chmod(temporary, os.stat(filepath).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, filepath)
        _fsync_path(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
