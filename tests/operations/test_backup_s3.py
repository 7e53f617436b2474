"""Backups to object storage, against a real S3-compatible server process (moto's server)."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from operations.backup import MANIFEST, locate

# SQLite's backup API waits forever for the in-memory test database that the test's own open
# transaction holds; `manage.py backup` on a SQLite file (make run) is not affected. CI runs
# these on PostgreSQL.
pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs PostgreSQL: SQLite's backup API cannot copy the in-memory test database",
)


@pytest.fixture(scope="module")
def s3_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server_bin = Path(sys.executable).with_name("moto_server")
    if not server_bin.exists() and not shutil.which("moto_server"):
        pytest.skip("moto_server (moto[server]) is not installed")
    process = subprocess.Popen(
        [str(server_bin), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    settings.RUCHE_BACKUP_S3_ENDPOINT_URL = s3_server
    client = boto3.client("s3", endpoint_url=s3_server)
    client.create_bucket(Bucket="ruche-backups")
    return client


@pytest.mark.django_db
def test_a_backup_to_s3_is_complete_checked_and_kept_to_n(bucket):
    default_storage.save("people/photos/a.png", ContentFile(b"photo"))
    for _ in range(2):
        call_command("backup", to="s3://ruche-backups/nightly", keep=1, stdout=io.StringIO())
        time.sleep(1.1)  # backups are named by the second
    keys = sorted(o["Key"] for o in bucket.list_objects_v2(Bucket="ruche-backups")["Contents"])
    (backup,) = {key.split("/")[1] for key in keys}
    assert {key.rsplit("/", 1)[1] for key in keys} == {
        MANIFEST,
        "database.dump",
        "media-default.tar.gz",
    } or {key.rsplit("/", 1)[1] for key in keys} == {
        MANIFEST,
        "database.sqlite3",
        "media-default.tar.gz",
    }
    _, found = locate("s3://ruche-backups/nightly")
    assert found == backup
    # Everything is downloaded and checked; the database of the test is not empty: refused.
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", source="s3://ruche-backups/nightly")
    bucket.put_object(Bucket="ruche-backups", Key=f"nightly/{backup}/media-default.tar.gz",
                      Body=b"tampered")  # fmt: skip
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", source=f"s3://ruche-backups/nightly/{backup}", force=True)
