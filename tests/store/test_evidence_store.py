"""The evidence store: a file is kept once per case and hash, whoever sends it how often,
refused files leave nothing behind, and a case's limit counts what it holds."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from domain.evidence import JPEG, EvidenceLimits, EvidenceSource, RefusalReason
from store.db import SessionFactory
from store.evidence import EvidenceRefused, Upload, case_bytes, case_evidence, keep_evidence
from store.evidence_files import EvidenceFiles
from tests.store.test_evidence_sniffing import PROGRAM, image_bytes

LIMITS = EvidenceLimits(max_file_bytes=64 * 1024, max_case_bytes=96 * 1024)


def upload(data: bytes, *, case_id: str = "CEVIDENCE0001", name: str = "破损.jpg") -> Upload:
    return Upload(
        case_kind="complaint",
        case_id=case_id,
        filename=name,
        data=data,
        source=EvidenceSource.EMAIL,
        source_ref="<m1@example.com>",
    )


def kept_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


@pytest.mark.both_stores
def test_the_same_photo_sent_at_once_four_times_is_kept_once(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    files = EvidenceFiles(tmp_path / "evidence")
    photo = image_bytes("JPEG")

    def keep() -> bool:
        with sessions() as session:
            return keep_evidence(session, files, LIMITS, upload(photo))[1]

    with ThreadPoolExecutor(max_workers=4) as pool:
        added = list(pool.map(lambda _: keep(), range(4)))

    assert added.count(True) == 1
    with sessions() as session:
        [row] = case_evidence(session, case_kind="complaint", case_id="CEVIDENCE0001")
    assert (row.filename, row.content_type, row.size) == ("破损.jpg", JPEG, len(photo))
    assert row.source == "email" and row.source_ref == "<m1@example.com>"
    [kept] = kept_files(files.directory)
    assert kept.read_bytes() == photo and kept == files.path_of(row.sha256)


@pytest.mark.both_stores
def test_two_cases_hold_one_file_kept_once_on_disk(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    files = EvidenceFiles(tmp_path / "evidence")
    photo = image_bytes("PNG")
    with sessions() as session:
        keep_evidence(session, files, LIMITS, upload(photo, case_id="CEVIDENCE0001"))
        keep_evidence(session, files, LIMITS, upload(photo, case_id="CEVIDENCE0002"))
        assert len(case_evidence(session, case_kind="complaint", case_id="CEVIDENCE0002")) == 1
    assert len(kept_files(files.directory)) == 1


@pytest.mark.both_stores
def test_refused_files_leave_no_row_and_no_file(sessions: SessionFactory, tmp_path: Path) -> None:
    files = EvidenceFiles(tmp_path / "evidence")
    with sessions() as session:
        with pytest.raises(EvidenceRefused) as program:
            keep_evidence(session, files, LIMITS, upload(PROGRAM, name="photo.jpg"))
        with pytest.raises(EvidenceRefused) as large:
            keep_evidence(session, files, LIMITS, upload(b"x" * (64 * 1024 + 1), name="big.txt"))
        assert case_evidence(session, case_kind="complaint", case_id="CEVIDENCE0001") == []
    assert (program.value.reason, program.value.filename) == (
        RefusalReason.TYPE_NOT_ACCEPTED,
        "photo.jpg",
    )
    assert large.value.reason is RefusalReason.TOO_LARGE
    assert kept_files(tmp_path / "evidence") == []


@pytest.mark.both_stores
def test_a_case_full_of_files_refuses_the_next_but_takes_one_it_holds(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    files = EvidenceFiles(tmp_path / "evidence")
    first = ("a" * 60_000).encode()
    second = ("b" * 60_000).encode()
    with sessions() as session:
        keep_evidence(session, files, LIMITS, upload(first, name="first.txt"))
        with pytest.raises(EvidenceRefused) as full:
            keep_evidence(session, files, LIMITS, upload(second, name="second.txt"))
        # Sent again, a file the case holds is answered, not counted a second time.
        row, added = keep_evidence(session, files, LIMITS, upload(first, name="again.txt"))
        assert case_bytes(session, case_kind="complaint", case_id="CEVIDENCE0001") == 60_000
    assert full.value.reason is RefusalReason.CASE_FULL
    assert (row.filename, added) == ("first.txt", False)


def test_a_path_is_made_from_a_hash_only(tmp_path: Path) -> None:
    files = EvidenceFiles(tmp_path)
    with pytest.raises(ValueError, match="not a SHA-256"):
        files.path_of("../../etc/passwd")
