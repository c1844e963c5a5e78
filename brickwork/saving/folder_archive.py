"""An unzipped model folder: what ``model.save(path, zipped=False)`` writes and ``load_model(path)`` reads.

The folder holds the members of a ``.keras`` archive as plain files (``config.json``, ``metadata.json``,
``model.weights.h5``, ``assets/…``), as Keras 3 writes it. ``FolderArchive`` gives it the few methods of
``zipfile.ZipFile`` the saving code uses, so one code path writes and reads both forms. Reading lists regular
files only and refuses a folder holding a symbolic link: a link could make loading read a file elsewhere.

Example:
    model.save("my_model", zipped=False)      # a folder
    model = keras.saving.load_model("my_model")
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass


class FolderArchiveError(ValueError):
    """A model folder that cannot be read safely (it holds a link, or something that is not a file)."""


@dataclass
class _MemberInfo:
    filename: str
    file_size: int

    @property
    def compress_size(self) -> int:  # stored as is: the ratio a zip member's size check reads is 1
        return self.file_size


class FolderArchive:
    """A folder seen through ``zipfile.ZipFile``'s methods (``namelist``, ``getinfo``, ``open``, ``writestr``…)."""

    def __init__(self, folder: str, mode: str = "r"):
        self.filename = os.fspath(folder)
        self.mode = mode
        if mode == "r":
            self._members = self._list_members()

    def _list_members(self) -> list:
        members = []
        for root, folders, files in os.walk(self.filename):
            for name in folders + files:
                path = os.path.join(root, name)
                relative = os.path.relpath(path, self.filename).replace(os.sep, "/")
                if os.path.islink(path):
                    raise FolderArchiveError(
                        f"Refused to load {self.filename!r}: {relative!r} is a symbolic link. A model folder that "
                        "Keras or brickwork writes holds plain files only; a link could make loading read elsewhere.")
                if name in files:
                    if not os.path.isfile(path):
                        raise FolderArchiveError(f"Refused to load {self.filename!r}: {relative!r} is not a file.")
                    members.append(relative)
        return sorted(members)

    def _path(self, name: str) -> str:
        return os.path.join(self.filename, *name.split("/"))

    def namelist(self) -> list:
        return list(self._members)

    def getinfo(self, name: str) -> _MemberInfo:
        if name not in self._members:
            raise KeyError(name)
        return _MemberInfo(name, os.path.getsize(self._path(name)))

    def open(self, member, mode: str = "r"):
        name = member.filename if isinstance(member, _MemberInfo) else member
        self.getinfo(name)  # only listed members
        return open(self._path(name), "rb")

    def writestr(self, name: str, data) -> None:
        path = self._path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data.encode() if isinstance(data, str) else data)

    def write(self, source: str, name: str) -> None:
        path = self._path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(source, path)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


@contextlib.contextmanager
def atomic_folder(folder: str):
    """Yield a temporary folder beside ``folder``; on success it takes ``folder``'s place (an earlier folder is
    replaced only once the new one is complete; a failure leaves the earlier one as it was)."""
    folder = os.path.abspath(os.fspath(folder))
    parent = os.path.dirname(folder)
    if not os.path.isdir(parent):
        raise FileNotFoundError(f"Cannot write {folder!r}: the folder {parent!r} does not exist.")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise FileExistsError(f"Cannot write the model folder {folder!r}: a file has that name.")
    temporary = tempfile.mkdtemp(prefix=f".{os.path.basename(folder)}.tmp-pid{os.getpid()}.", dir=parent)
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    previous = None
    if os.path.exists(folder):
        previous = tempfile.mkdtemp(prefix=f".{os.path.basename(folder)}.old-pid{os.getpid()}.", dir=parent)
        os.rmdir(previous)
        os.replace(folder, previous)
    os.replace(temporary, folder)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
