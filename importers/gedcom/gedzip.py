"""Reading GEDZIP (``.gdz``) archives: ``gedcom.ged`` at the root plus the media files it uses.

Public API::

    with open_gedzip(path_or_binary_file, media_root=dir, limits=ZipLimits()) as archive:
        for record in archive.stream: ...         # a GedcomStream over gedcom.ged
        paths = archive.extract_media()           # {member name: Path under media_root}
        archive.media_path("media/CharlotteBront%C3%AB.jpg")  # a FILE value -> Path or None
        archive.warnings                          # media members that were refused, and why

An upload is hostile until proven otherwise, so before anything is written: the archive may hold
at most ``max_members`` entries (else :class:`GedcomRefused`); a member is refused, with a warning,
when its name is absolute, has a drive letter, a backslash or a ``..`` part, when it is a symbolic
link, when it is larger than ``max_member_size``, when it compresses better than ``max_ratio``
(a zip bomb), or when it would take the total past ``max_total_size``. The real number of bytes
written is counted too, since the sizes in a zip header can lie. Every target path is checked to
lie inside ``media_root`` after resolving.

Names that a zip tool stored as UTF-8 without setting the UTF-8 flag (``CharlotteBrontë.jpg``) are
recovered from the cp437 reading that :mod:`zipfile` falls back to.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import unquote

from .errors import KIND_GEDZIP, GedcomRefused, GedcomWarning
from .tokenizer import GedcomStream, Limits, open_gedcom

GEDCOM_MEMBER = "gedcom.ged"
_DRIVE = re.compile(r"^[A-Za-z]:")
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """Limits on what a GEDZIP archive may make us decompress and write."""

    max_members: int = 10_000
    max_total_size: int = 2 << 30  # all members, uncompressed
    max_member_size: int = 512 << 20
    max_ratio: float = 100.0  # uncompressed / compressed, for members over 1 MiB
    ratio_floor: int = 1 << 20  # small members may compress well (text), never a bomb


class Gedzip:
    """An opened GEDZIP archive: the GEDCOM stream plus safe media extraction."""

    def __init__(
        self, zf: zipfile.ZipFile, *, media_root: Path, limits: ZipLimits, gedcom_limits: Limits
    ) -> None:
        self._zip = zf
        self.media_root = media_root
        self.limits = limits
        self.warnings: list[GedcomWarning] = []
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise GedcomRefused(f"The GEDZIP archive has more than {limits.max_members} entries.")
        self._members = {_member_name(info): info for info in infos}
        info = self._members.get(GEDCOM_MEMBER)
        if info is None:
            raise GedcomRefused("The GEDZIP archive has no gedcom.ged file at its top level.")
        problem = self._size_problem(info)
        if problem:
            raise GedcomRefused(f"The gedcom.ged file in the archive {problem}.")
        self.stream: GedcomStream = open_gedcom(
            zf.open(info), limits=gedcom_limits, total_bytes=info.file_size
        )
        self._extracted: dict[str, Path] = {}

    def _warn(self, name: str, reason: str) -> None:
        message = f"The archive member {name!r} {reason}."
        self.warnings.append(GedcomWarning(0, message, KIND_GEDZIP))

    def _size_problem(self, info: zipfile.ZipInfo) -> str | None:
        if info.file_size > self.limits.max_member_size:
            return f"is larger than {self.limits.max_member_size >> 20} MiB"
        if (
            info.file_size > self.limits.ratio_floor
            and info.file_size > self.limits.max_ratio * max(info.compress_size, 1)
        ):
            return "is compressed suspiciously well (a zip bomb?)"
        return None

    @staticmethod
    def _name_problem(name: str, info: zipfile.ZipInfo) -> str | None:
        if "\\" in name:
            return "has a backslash in its name"
        if name.startswith("/") or _DRIVE.match(name):
            return "has an absolute path"
        parts = PurePosixPath(name).parts
        if not parts or ".." in parts:
            return "points outside the archive"
        if stat.S_ISLNK(info.external_attr >> 16):
            return "is a symbolic link"
        return None

    @property
    def media_names(self) -> list[str]:
        """Members other than gedcom.ged and folders, in archive order."""
        return [n for n, i in self._members.items() if n != GEDCOM_MEMBER and not i.is_dir()]

    def extract_media(self) -> dict[str, Path]:
        """Extract every acceptable media member below ``media_root``; refused ones are warned."""
        root = self.media_root.resolve()
        total = 0
        for name in self.media_names:
            if name in self._extracted:
                continue
            info = self._members[name]
            problem = self._name_problem(name, info) or self._size_problem(info)
            target = (root / name).resolve()
            if problem is None and not target.is_relative_to(root):
                problem = "points outside the media folder"
            if problem is None and total + info.file_size > self.limits.max_total_size:
                problem = "would take the archive past its size limit"
            if problem:
                self._warn(name, problem)
                continue
            written = self._copy(info, target, self.limits.max_total_size - total)
            if written is None:
                self._warn(name, "is damaged or larger than its header says")
                continue
            total += written
            self._extracted[name] = target
        return dict(self._extracted)

    def _copy(self, info: zipfile.ZipInfo, target: Path, budget: int) -> int | None:
        """Copy one member; None (and no file left) if it outgrows its header or is damaged."""
        allowed = min(info.file_size, budget, self.limits.max_member_size)
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            with self._zip.open(info) as source, target.open("wb") as out:
                while chunk := source.read(_COPY_CHUNK):
                    written += len(chunk)
                    if written > allowed:
                        break
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            # zipfile stops at the declared size and then fails the CRC check, so a member that
            # lies about its size ends up here too.
            written = allowed + 1
        if written > allowed:
            target.unlink(missing_ok=True)
            return None
        return written

    def media_path(self, file_value: str) -> Path | None:
        """The extracted file a GEDCOM ``FILE`` value refers to, or None (URL, missing, refused).

        GEDCOM 7 writes FILE as a URI reference, so ``%C3%AB`` stands for ``ë``.
        """
        if "://" in file_value:
            return None
        name = unquote(file_value.strip())
        return self._extracted.get(name) or self._extracted.get(name.removeprefix("./"))

    def close(self) -> None:
        self.stream.close()
        self._zip.close()

    def __enter__(self) -> Gedzip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, repairing UTF-8 names stored without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800 and not name.isascii():
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return name


def open_gedzip(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    media_root: str | os.PathLike[str],
    limits: ZipLimits | None = None,
    gedcom_limits: Limits | None = None,
) -> Gedzip:
    """Open a GEDZIP archive; raises :class:`GedcomRefused` if it is not one or is too big."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise GedcomRefused("This is not a valid GEDZIP (zip) archive.") from exc
    try:
        return Gedzip(
            zf,
            media_root=Path(media_root),
            limits=limits or ZipLimits(),
            gedcom_limits=gedcom_limits or Limits(),
        )
    except BaseException:
        zf.close()
        raise
