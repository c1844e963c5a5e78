"""get_file: real downloads from a local HTTP server; cache, checksums, offline use, safe extraction."""

import hashlib
import io
import os
import pathlib
import tarfile
import zipfile

import pytest

from brickwork.utils import file_utils
from brickwork.utils.file_utils import (
    extract_archive,
    get_file,
    hash_file,
    validate_file,
)
from tests.datasets.local_server import closed_port_url, local_server  # noqa: F401 (fixture)

DATA = b"brickwork " * 1000


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _tar_gz(members):
    """A .tar.gz holding ``{name: bytes}`` files, plus TarInfo objects given as is."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
            else:
                name, data = member
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_downloads_once_into_the_cache(local_server, tmp_path, capsys):
    url = local_server.put("data.bin", DATA)
    path = get_file("data.bin", url, file_hash=_sha256(DATA), cache_dir=tmp_path / "cache")
    assert path == str(tmp_path / "cache" / "datasets" / "data.bin")
    assert open(path, "rb").read() == DATA
    assert get_file("data.bin", url, file_hash=_sha256(DATA), cache_dir=tmp_path / "cache") == path
    assert local_server.requests == ["/data.bin"]  # the second call read the cache
    out = capsys.readouterr().out
    assert f"Downloading data from {url}" in out
    assert f"{len(DATA)}/{len(DATA)}" in out  # the progress bar counted every byte


def test_default_cache_is_brickwork_home(local_server, tmp_path, monkeypatch):
    monkeypatch.setenv("BRICKWORK_HOME", str(tmp_path / "home"))
    path = get_file(origin=local_server.put("named.txt", b"x"))  # the name comes from the URL
    assert path == str(tmp_path / "home" / "datasets" / "named.txt")


def test_checksum_mismatch_is_an_error_and_leaves_nothing(local_server, tmp_path):
    url = local_server.put("data.bin", DATA[:-1] + b"!")
    with pytest.raises(ValueError, match=f"corrupted.*{_sha256(DATA)}"):
        get_file("data.bin", url, file_hash=_sha256(DATA), cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []  # no file, no partial download


def test_md5_checksums(local_server, tmp_path):
    url = local_server.put("data.bin", DATA)
    md5 = hashlib.md5(DATA).hexdigest()
    assert validate_file(get_file("a.bin", url, file_hash=md5, cache_dir=tmp_path), md5)
    assert os.path.exists(get_file("b.bin", url, md5_hash=md5, cache_dir=tmp_path))
    with pytest.raises(ValueError, match="md5"):
        get_file("c.bin", url, file_hash="0" * 32, cache_dir=tmp_path)


def test_a_stale_cached_copy_is_downloaded_again(local_server, tmp_path):
    url = local_server.put("data.bin", DATA)
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "data.bin").write_bytes(b"truncated")
    path = get_file("data.bin", url, file_hash=_sha256(DATA), cache_dir=tmp_path)
    assert hash_file(path) == _sha256(DATA)
    assert local_server.requests == ["/data.bin"]


def test_force_download(local_server, tmp_path):
    url = local_server.put("data.bin", DATA)
    get_file("data.bin", url, cache_dir=tmp_path)
    get_file("data.bin", url, cache_dir=tmp_path, force_download=True)
    assert local_server.requests == ["/data.bin", "/data.bin"]


def test_offline_works_from_the_cache_and_fails_clearly_without_it(local_server, tmp_path):
    url = local_server.put("data.bin", DATA)
    get_file("data.bin", url, file_hash=_sha256(DATA), cache_dir=tmp_path)
    offline = closed_port_url("data.bin")
    path = get_file("data.bin", offline, file_hash=_sha256(DATA), cache_dir=tmp_path)
    assert open(path, "rb").read() == DATA
    with pytest.raises(ConnectionError, match="Could not download .*missing.bin.*no usable copy in the cache"):
        get_file("missing.bin", closed_port_url("missing.bin"), cache_dir=tmp_path)
    assert sorted(os.listdir(tmp_path / "datasets")) == ["data.bin"]


def test_http_error_names_the_status(local_server, tmp_path):
    with pytest.raises(OSError, match="HTTP 404"):
        get_file("nothing.bin", local_server.url + "nothing.bin", cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


@pytest.mark.parametrize("fname, folder", [("bundle", "bundle"), ("bundle.tar.gz", "bundle_extracted")])
def test_extracts_tar_archives(local_server, tmp_path, fname, folder):
    archive = _tar_gz([("top/a.txt", b"a"), ("top/sub/b.txt", b"b")])
    url = local_server.put("bundle.tar.gz", archive)
    path = get_file(fname, url, extract=True, file_hash=_sha256(archive), cache_dir=tmp_path)
    assert path == str(tmp_path / "datasets" / folder)
    assert open(os.path.join(path, "top", "sub", "b.txt"), "rb").read() == b"b"
    assert get_file(fname, url, extract=True, cache_dir=tmp_path) == path
    assert len(local_server.requests) == 1


def test_extracts_zip_archives(local_server, tmp_path):
    url = local_server.put("bundle.zip", _zip([("x/y.txt", b"y")]))
    path = get_file("bundle", url, extract=True, cache_dir=tmp_path)
    assert open(os.path.join(path, "x", "y.txt"), "rb").read() == b"y"


def _link(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


@pytest.mark.parametrize("members, culprit", [
    ([("ok.txt", b"1"), ("../evil.txt", b"x")], "../evil.txt"),
    ([("/tmp/evil.txt", b"x")], "/tmp/evil.txt"),
    ([("inner/../../evil.txt", b"x")], "inner/../../evil.txt"),
    ([_link("escape", "../../outside")], "escape"),
    ([_link("abs", "/etc/passwd")], "abs"),
    ([_link("hard", "../outside", tarfile.LNKTYPE)], "hard"),
])
def test_tar_members_escaping_the_folder_are_refused(tmp_path, members, culprit):
    archive = tmp_path / "bad.tar.gz"
    archive.write_bytes(_tar_gz(members))
    target = tmp_path / "out" / "extracted"
    with pytest.raises(ValueError, match=f"Refusing to extract archive member '{culprit}'"):
        extract_archive(archive, target)
    assert not target.exists()
    assert os.listdir(tmp_path / "out") == []  # not even a staging folder
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "out" / "evil.txt").exists()


def test_zip_members_escaping_the_folder_are_refused(tmp_path):
    archive = tmp_path / "bad.zip"
    archive.write_bytes(_zip([("ok.txt", b"1"), ("../evil.txt", b"x")]))
    with pytest.raises(ValueError, match="'../evil.txt'"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.txt").exists()


def test_not_an_archive(tmp_path, local_server):
    assert extract_archive(__file__, tmp_path / "out") is False
    with pytest.raises(ValueError, match="not an archive"):
        get_file("plain", local_server.put("plain.txt", b"text"), extract=True, cache_dir=tmp_path)


@pytest.mark.parametrize("kwargs, match", [({"origin": None}, "origin"),
                                           ({"fname": "a/b.txt"}, "not a path")])
def test_bad_arguments_are_named(tmp_path, kwargs, match):
    arguments = {"fname": "x.txt", "origin": "http://127.0.0.1/x.txt", "cache_dir": tmp_path, **kwargs}
    with pytest.raises(ValueError, match=match):
        get_file(**arguments)


def test_resolve_sub_path_refuses_what_leads_outside(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    assert file_utils.resolve_sub_path(base, "sub/file.txt") == os.path.realpath(base / "sub" / "file.txt")
    assert file_utils.resolve_sub_path(base, "../base_other/file.txt") is None  # a prefix is not a parent
    assert file_utils.resolve_sub_path(base, "../x") is None
    os.symlink(tmp_path, base / "up")
    assert file_utils.resolve_sub_path(base, "up/secret") is None  # through a link that points outside


def test_filter_safe_tarinfos_keeps_only_members_inside(tmp_path):
    import tarfile

    source = tmp_path / "a.txt"
    source.write_text("a")
    archive = tmp_path / "t.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(source, arcname="ok/a.txt")
        tar.add(source, arcname="../../evil.txt")
        link = tarfile.TarInfo("ok/link")
        link.type, link.linkname = tarfile.SYMTYPE, "../../../etc/passwd"
        tar.addfile(link)
    out = tmp_path / "out"
    out.mkdir()
    with tarfile.open(archive) as tar, pytest.warns(UserWarning, match="Skipping invalid path"):
        kept = [m.name for m in file_utils.filter_safe_tarinfos(tar.getmembers(), out)]
    assert kept == ["ok/a.txt"]


def test_filter_safe_tarinfos_keeps_an_absolute_link_that_stays_inside(tmp_path):
    inside, outside = tmp_path / "out" / "target.txt", tmp_path / "elsewhere.txt"
    members = [_link("inside_link", str(inside)), _link("outside_link", str(outside)),
               _link("hard_inside", str(inside), tarfile.LNKTYPE)]
    with pytest.warns(UserWarning, match="'outside_link'"):
        kept = [m.name for m in file_utils.filter_safe_tarinfos(members, tmp_path / "out")]
    assert kept == ["inside_link", "hard_inside"]


@pytest.mark.parametrize("algorithm, file_hash, expected", [
    ("sha256", None, "sha256"), ("md5", None, "md5"), ("auto", None, "sha256"),
    ("auto", "0" * 64, "sha256"), ("auto", "0" * 32, "md5")])
def test_resolve_hasher(algorithm, file_hash, expected):
    assert file_utils.resolve_hasher(algorithm, file_hash).name == expected


def test_resolve_hasher_falls_back_to_md5_with_a_warning():
    with pytest.warns(UserWarning, match="unknown hash algorithm 'sha-256'"):
        assert file_utils.resolve_hasher("sha-256").name == "md5"


def test_remote_paths_are_recognised_and_refused():
    assert file_utils.is_remote_path("gs://bucket/x") and file_utils.is_remote_path("/cns/x")
    assert not file_utils.is_remote_path("./relative/path") and not file_utils.is_remote_path("/local/path")
    assert file_utils.path_to_string(pathlib.Path("/a/b")) == "/a/b" and file_utils.path_to_string(None) is None
    with pytest.raises(ValueError, match="Received path: gs://bucket/x"):
        file_utils._raise_if_no_gfile("gs://bucket/x")
