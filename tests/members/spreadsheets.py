"""Helpers for the tests of spreadsheet imports: files as spreadsheet programs write them,
the admin's import form, and the problems the admin lists."""

import html
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def xlsx_file(path, *rows):
    """Write rows to an XLSX file as a spreadsheet program stores them (numbers as numbers)."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


def admin_import(client, url_name, path):
    """Upload the file at ``path`` on an admin import page; return the preview response."""
    url = reverse(url_name)
    form = client.get(url).context["form"]
    label = {".xlsx": "xlsx", ".tsv": "tsv"}.get(path.suffix, "csv")
    index = next(value for value, text in form.fields["format"].choices if text == label)
    upload = SimpleUploadedFile(path.name, path.read_bytes(), "application/octet-stream")
    return client.post(url, {"import_file": upload, "format": index, "resource": "0"})


def admin_confirm(client, url_name, preview):
    """Confirm the import previewed in ``preview``; return the response."""
    confirm_form = preview.context["confirm_form"]
    return client.post(
        reverse(url_name), {name: confirm_form.initial[name] for name in confirm_form.fields}
    )


def problem_lines(page):
    """Return the problems listed on the admin's import page, as the command prints them."""
    table = re.search(r'<table class="import-problems__table">(.*?)</table>', page, re.S)
    if table is None:
        return []
    lines = []
    for row, column, _value, message in re.findall(
        r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>",
        table.group(1),
        re.S,
    ):
        row, column, message = (html.unescape(text.strip()) for text in (row, column, message))
        if row == "—":
            lines.append(message)
        elif column == "—":
            lines.append(f"row {row}: {message}")
        else:
            lines.append(f"row {row}, column {column}: {message}")
    return lines
