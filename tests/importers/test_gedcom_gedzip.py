"""GEDZIP archives: the inner GEDCOM stream and safe media extraction."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from importers.gedcom import GedcomRefused, ZipLimits, open_gedzip
from importers.gedcom.errors import KIND_GEDZIP

GED = b"\xef\xbb\xbf0 HEAD\n1 GEDC\n2 VERS 7.0\n0 @I1@ INDI\n1 OBJE @O1@\n0 TRLR\n"


def make_zip(members: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
    buffer.seek(0)
    return buffer


def test_maximal70_gdz_gives_records_and_extracts_non_ascii_media(corpus, tmp_path) -> None:
    path = corpus / "familysearch-gedcom.io" / "gedcom70" / "maximal70.gdz"
    with open_gedzip(path, media_root=tmp_path) as archive:
        records = list(archive.stream)
        extracted = archive.extract_media()
        photo = archive.media_path("media/CharlotteBront%C3%AB.jpg")
    assert sum(r.tag == "INDI" for r in records) == 4
    assert photo == (tmp_path / "media" / "CharlotteBrontë.jpg").resolve()
    assert photo.stat().st_size == 79000
    assert set(extracted) >= {"media/original.mp3", "path/to/file1"}


def test_minimal71_gdz_reads_version(corpus, tmp_path) -> None:
    path = corpus / "familysearch-gedcom.io" / "gedcom71" / "minimal71.gdz"
    with open_gedzip(path, media_root=tmp_path) as archive:
        assert archive.stream.version == "7.1"
        assert list(archive.stream) == []


def test_url_file_values_have_no_media_path(tmp_path) -> None:
    with open_gedzip(make_zip({"gedcom.ged": GED}), media_root=tmp_path) as archive:
        assert archive.media_path("http://host.example.com/a.jpg") is None


def test_archive_without_gedcom_ged_is_refused(tmp_path) -> None:
    with pytest.raises(GedcomRefused, match=r"gedcom\.ged"):
        open_gedzip(make_zip({"tree.ged": GED}), media_root=tmp_path)


def test_non_zip_is_refused(tmp_path) -> None:
    with pytest.raises(GedcomRefused, match="zip"):
        open_gedzip(io.BytesIO(b"0 HEAD\n0 TRLR\n"), media_root=tmp_path)


def test_too_many_members_is_refused(tmp_path) -> None:
    members = {"gedcom.ged": GED} | {f"m/{n}.txt": b"x" for n in range(20)}
    with pytest.raises(GedcomRefused, match="entries"):
        open_gedzip(make_zip(members), media_root=tmp_path, limits=ZipLimits(max_members=10))


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "media/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "media\\..\\evil.txt"],
)
def test_member_escaping_media_root_is_refused_and_not_written(tmp_path, name: str) -> None:
    root = tmp_path / "media_root"
    with open_gedzip(make_zip({"gedcom.ged": GED, name: b"x"}), media_root=root) as archive:
        assert archive.extract_media() == {}
        assert [w.kind for w in archive.warnings] == [KIND_GEDZIP]
    assert not (tmp_path / "evil.txt").exists()
    assert not list(tmp_path.rglob("evil.txt"))


def test_symlink_member_is_refused(tmp_path) -> None:
    zipped = make_zip({"gedcom.ged": GED, "media/link": b"/etc/passwd"}, symlinks=("media/link",))
    with open_gedzip(zipped, media_root=tmp_path) as archive:
        assert archive.extract_media() == {}
        assert "symbolic link" in archive.warnings[0].message


def test_member_over_size_limit_is_refused(tmp_path) -> None:
    zipped = make_zip({"gedcom.ged": GED, "media/big.bin": b"\x01" * 5000})
    with open_gedzip(zipped, media_root=tmp_path, limits=ZipLimits(max_member_size=1000)) as z:
        assert z.extract_media() == {}
    assert not (tmp_path / "media" / "big.bin").exists()


def test_compression_bomb_is_refused(tmp_path) -> None:
    zipped = make_zip({"gedcom.ged": GED, "media/zeros.bin": bytes(3 << 20)})
    with open_gedzip(zipped, media_root=tmp_path) as archive:
        assert archive.extract_media() == {}
        assert "zip bomb" in archive.warnings[0].message


def test_total_size_limit_stops_extraction(tmp_path) -> None:
    members = {"gedcom.ged": GED, "a.bin": b"a" * 600, "b.bin": b"b" * 600}
    with open_gedzip(
        make_zip(members), media_root=tmp_path, limits=ZipLimits(max_total_size=1000)
    ) as archive:
        assert list(archive.extract_media()) == ["a.bin"]
        assert len(archive.warnings) == 1


def test_member_larger_than_its_header_claims_is_removed(tmp_path) -> None:
    zipped = make_zip({"gedcom.ged": GED, "media/a.bin": b"a" * 5000})
    with open_gedzip(zipped, media_root=tmp_path) as archive:
        archive._members["media/a.bin"].file_size = 10  # a forged header
        assert archive.extract_media() == {}
    assert not Path(tmp_path / "media" / "a.bin").exists()


def test_utf8_name_without_utf8_flag_is_recovered(tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("gedcom.ged", GED)
        info = zipfile.ZipInfo("media/Bront\u00eb.jpg")
        zf.writestr(info, b"jpg")
    raw = buffer.getvalue()
    # zipfile sets the UTF-8 flag (bit 11) for non-ASCII names; clear it to mimic old zip tools.
    raw = raw.replace(b"\x00\x08\x00\x00", b"\x00\x00\x00\x00")
    with open_gedzip(io.BytesIO(raw), media_root=tmp_path) as archive:
        assert "media/Brontë.jpg" in archive.extract_media()
