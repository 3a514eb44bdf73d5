"""An XLSX is a zip archive: one that unpacks into more than the import reads, or a sheet
longer than it reads, is refused with a message before openpyxl reads it all."""

import io
import zipfile

import pytest

from members import spreadsheet
from members.spreadsheet import SpreadsheetError, read_spreadsheet
from tests.members.spreadsheets import xlsx_file


def test_a_workbook_that_unpacks_into_more_than_50_mb_is_refused(tmp_path):
    small = xlsx_file(tmp_path / "register.xlsx", ["name"], ["Vroom"]).read_bytes()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(small)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for member in source.infolist():
            bomb.writestr(member, source.read(member))
        bomb.writestr("xl/media/padding.bin", b"\0" * (51 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024  # small to upload
    with pytest.raises(SpreadsheetError) as caught:
        read_spreadsheet(buffer.getvalue(), file_format="xlsx")
    assert "more than 50 MB" in str(caught.value)


def test_a_sheet_longer_than_the_import_reads_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    rows = [["name"], *([f"Société {n}"] for n in range(5))]
    content = xlsx_file(tmp_path / "long.xlsx", *rows).read_bytes()
    with pytest.raises(SpreadsheetError) as caught:
        read_spreadsheet(content, file_format="xlsx")
    assert "more than 3 rows" in str(caught.value)


def test_a_workbook_within_the_limits_is_read(tmp_path):
    content = xlsx_file(tmp_path / "ok.xlsx", ["name"], ["Vroom"]).read_bytes()
    sheet = read_spreadsheet(content, file_format="xlsx")
    assert list(sheet[0]) == ["Vroom"]
