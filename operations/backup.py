"""Backups of the database and of the media: `manage.py backup` and `manage.py restore`.

A backup is a folder (or an object-storage prefix) named `ruche-<UTC time>` holding:
- `database.dump`: PostgreSQL's custom format (`pg_dump -Fc`, restored with `pg_restore`), or
  `database.sqlite3`: a copy made with SQLite's online backup API;
- `media-<storage>.tar.gz`: every file of each file storage (a local folder or S3), by name;
- `manifest.json`, written last: when, by which versions, the migrations applied, and the
  size and SHA-256 of every file. A folder without a manifest is an unfinished backup.

Restoring checks every checksum before touching anything, refuses a database that holds
tables (and a storage that holds files) unless `force`, which replaces them.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import boto3
import django
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
FORMAT = 1
PREFIX = "ruche-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


# --- Where backups go: a local folder or an S3 prefix -----------------------------------------


class Destination(Protocol):
    def backups(self) -> list[str]: ...
    def put(self, backup: str, name: str, source: Path) -> None: ...
    def get(self, backup: str, name: str, target: Path) -> None: ...
    def remove(self, backup: str) -> None: ...
    def describe(self, backup: str) -> str: ...


@dataclass
class Folder:
    root: Path

    def backups(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            path.name
            for path in self.root.iterdir()
            if path.name.startswith(PREFIX) and (path / MANIFEST).is_file()
        )

    def put(self, backup: str, name: str, source: Path) -> None:
        folder = self.root / backup
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / name)

    def get(self, backup: str, name: str, target: Path) -> None:
        source = self.root / backup / name
        if not source.is_file():
            raise BackupError(f"{source} is missing from the backup.")
        shutil.copyfile(source, target)

    def remove(self, backup: str) -> None:
        shutil.rmtree(self.root / backup)

    def describe(self, backup: str) -> str:
        return str(self.root / backup)


@dataclass
class Bucket:
    """An S3 (or S3-compatible) bucket and key prefix. Credentials come from the usual AWS
    variables; RUCHE_BACKUP_S3_ENDPOINT_URL names a server other than AWS (MinIO, Ceph...)."""

    bucket: str
    prefix: str

    def __post_init__(self) -> None:
        self.client = boto3.client("s3", endpoint_url=settings.RUCHE_BACKUP_S3_ENDPOINT_URL or None)

    def _key(self, backup: str, name: str = "") -> str:
        return "/".join(part for part in (self.prefix, backup, name) if part)

    def backups(self) -> list[str]:
        base = self._key("") + "/" if self.prefix else ""
        found = set()
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=base
        ):
            for item in page.get("Contents", ()):
                parts = item["Key"][len(base) :].split("/")
                if len(parts) == 2 and parts[0].startswith(PREFIX) and parts[1] == MANIFEST:
                    found.add(parts[0])
        return sorted(found)

    def put(self, backup: str, name: str, source: Path) -> None:
        self.client.upload_file(str(source), self.bucket, self._key(backup, name))

    def get(self, backup: str, name: str, target: Path) -> None:
        try:
            self.client.download_file(self.bucket, self._key(backup, name), str(target))
        except Exception as error:  # botocore's errors: missing key, access denied
            raise BackupError(f"{self.describe(backup)}/{name}: {error}") from error

    def remove(self, backup: str) -> None:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(backup) + "/"
        )
        for page in pages:
            keys = [{"Key": item["Key"]} for item in page.get("Contents", ())]
            if keys:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

    def describe(self, backup: str) -> str:
        return f"s3://{self.bucket}/{self._key(backup)}"


def destination(location: str) -> Destination:
    """`s3://bucket/prefix` or a folder."""
    if location.startswith("s3://"):
        bucket, _, prefix = location[len("s3://") :].partition("/")
        if not bucket:
            raise BackupError(f"{location}: no bucket named.")
        return Bucket(bucket=bucket, prefix=prefix.strip("/"))
    return Folder(Path(location))


def locate(location: str) -> tuple[Destination, str]:
    """The backup a `--from` names: one backup (`.../ruche-20260101T000000Z`), or the latest
    complete backup of a destination."""
    trimmed = location.rstrip("/")
    parent, _, last = trimmed.rpartition("/")
    if last.startswith(PREFIX) and parent:
        return destination(parent), last
    place = destination(trimmed)
    found = place.backups()
    if not found:
        raise BackupError(f"No complete backup (with a {MANIFEST}) in {location}.")
    return place, found[-1]


# --- Checksums and the manifest ---------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # Ruche itself runs from its folder, not installed
        pyproject = settings.BASE_DIR / "pyproject.toml"
        if package == "ruche" and pyproject.is_file():
            return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])
        return "unknown"


def _applied_migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    recorder = MigrationRecorder(connections[alias])
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- The database -----------------------------------------------------------------------------


def _postgres_env(params: dict[str, Any]) -> dict[str, str]:
    """libpq's variables from Django's connection settings: no password on a command line."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed (PostgreSQL's client programs are needed)."
        ) from error
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
    return done.stdout


def database_dump(alias: str, folder: Path) -> tuple[str, dict[str, Any]]:
    """Write the database into `folder`; answer the file name and what the manifest says."""
    connection = connections[alias]
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        env = _postgres_env(params)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             f"--file={target}", f"--dbname={params['NAME']}"],
            env,
        )  # fmt: skip
        tool = _run(["pg_dump", "--version"], env).strip()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        return target.name, {"vendor": "postgresql", "server_version": server, "tool": tool}
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name, {"vendor": "sqlite", "server_version": sqlite3.sqlite_version}
    raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


def database_tables(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def database_load(alias: str, dump: Path, *, vendor: str, replace: bool) -> None:
    connection = connections[alias]
    if connection.vendor != vendor:
        raise BackupError(f"The backup is of a {vendor} database; this one is {connection.vendor}.")
    if vendor == "postgresql":
        if replace:
            # Everything the backup does not know goes too: tables of later migrations,
            # functions and triggers. The schema belongs to the database's owner.
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        connection.close()  # pg_restore must not wait behind our own open transaction
        params = connection.settings_dict
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={params['NAME']}", str(dump)],
            _postgres_env(params),
        )  # fmt: skip
        return
    connection.ensure_connection()
    with sqlite3.connect(dump) as source:
        source.backup(connection.connection)
    source.close()


# --- Media ------------------------------------------------------------------------------------


def media_storages() -> dict[str, Storage]:
    """The file storages holding uploads: every configured one but the static files, once each
    even when two aliases name the same folder or bucket."""
    found: dict[str, Storage] = {}
    seen: set[tuple[str, str, str]] = set()
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        where = (
            type(storage).__name__,
            str(getattr(storage, "bucket_name", "")),
            str(getattr(storage, "location", "")),
        )
        if where not in seen:
            seen.add(where)
            found[alias] = storage
    return found


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder not created yet
        return
    for name in files:
        yield str(PurePosixPath(folder, name)) if folder else name
    for sub in folders:
        yield from storage_files(storage, f"{folder}/{sub}" if folder else sub)


def media_archive(storage: Storage, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in sorted(storage_files(storage)):
            with storage.open(name, "rb") as stream:
                info = tarfile.TarInfo(name)
                info.size = storage.size(name)
                info.mtime = int(datetime.now(UTC).timestamp())
                archive.addfile(info, stream)
            count += 1
    return count


def media_unpack(storage: Storage, archive_path: Path, *, replace: bool) -> int:
    existing = list(storage_files(storage))
    if existing and not replace:
        raise BackupError(
            f"The file storage already holds {len(existing)} files: "
            "restore with --force to replace them."
        )
    for name in existing:
        storage.delete(name)
    count = 0
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            path = PurePosixPath(member.name)
            if not member.isfile() or path.is_absolute() or ".." in path.parts:
                raise BackupError(f"Unexpected entry in the media archive: {member.name!r}")
            stream = archive.extractfile(member)
            assert stream is not None  # noqa: S101 (a regular file has content)
            saved = storage.save(member.name, File(stream, name=member.name))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}.")
            count += 1
    return count


# --- Backup and restore -----------------------------------------------------------------------


def backup_create(*, to: str, alias: str = "default", keep: int | None = None) -> str:
    """Back up the database and the media to `to`; answer where the backup is."""
    place = destination(to)
    name = PREFIX + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(prefix="ruche-backup-") as scratch:
        folder = Path(scratch)
        dump, database = database_dump(alias, folder)
        files = [dump]
        media = {}
        for storage_alias, storage in media_storages().items():
            archive = f"media-{storage_alias}.tar.gz"
            count = media_archive(storage, folder / archive)
            media[storage_alias] = {"file": archive, "count": count}
            files.append(archive)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "versions": {
                "ruche": _version("ruche"),
                "release": settings.RUCHE_RELEASE,
                "django": django.__version__,
                "wagtail": _version("wagtail"),
                "python": platform.python_version(),
            },
            "database": {**database, "file": dump, "migrations": _applied_migrations(alias)},
            "media": media,
            "files": {
                file: {"bytes": (folder / file).stat().st_size, "sha256": sha256(folder / file)}
                for file in files
            },
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for file in files:
            place.put(name, file, folder / file)
        place.put(name, MANIFEST, folder / MANIFEST)  # last: the backup is complete
    if keep is not None:
        for old in place.backups()[:-keep]:
            place.remove(old)
    return place.describe(name)


def backup_restore(*, source: str, alias: str = "default", force: bool = False) -> dict[str, Any]:
    """Restore the backup `source` names (checksums first, then an empty database unless
    `force`); answer its manifest."""
    place, name = locate(source)
    with tempfile.TemporaryDirectory(prefix="ruche-restore-") as scratch:
        folder = Path(scratch)
        place.get(name, MANIFEST, folder / MANIFEST)
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        for file, expected in manifest["files"].items():
            place.get(name, file, folder / file)
            if sha256(folder / file) != expected["sha256"]:
                raise BackupError(f"{file}: checksum mismatch, the backup is damaged.")
        storages_now = media_storages()
        missing = set(manifest["media"]) - set(storages_now)
        if missing:
            raise BackupError(f"No file storage named {', '.join(sorted(missing))} here.")
        tables = database_tables(alias)
        if tables and not force:
            raise BackupError(
                f"The database already holds {len(tables)} tables: restore into an empty "
                "database, or with --force to replace everything in it."
            )
        for storage_alias in manifest["media"]:
            if not force and any(storage_files(storages_now[storage_alias])):
                raise BackupError(
                    f"The file storage {storage_alias} is not empty: restore with --force "
                    "to replace its files."
                )
        database = manifest["database"]
        database_load(alias, folder / database["file"], vendor=database["vendor"], replace=force)
        for storage_alias, entry in manifest["media"].items():
            media_unpack(storages_now[storage_alias], folder / entry["file"], replace=force)
    return manifest
