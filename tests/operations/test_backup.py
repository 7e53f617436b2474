"""`manage.py backup` and `manage.py restore`: a seeded database and its media, backed up,
restored into an empty PostgreSQL database by another process (as an operator would), and
compared table by table."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from blogs import services as blog_services
from communities import services as community_services
from communities.models import ThreadKind
from interactions import services as interaction_services
from operations.backup import MANIFEST
from tests.factories import UserFactory

# SQLite's backup API waits forever for the in-memory test database that the test's own open
# transaction holds; `manage.py backup` on a SQLite file (make run) is not affected. CI runs
# these on PostgreSQL.
pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs PostgreSQL: SQLite's backup API cannot copy the in-memory test database",
)


ROOT = Path(__file__).resolve().parents[2]
RESTORED = "ruche_ops_restore"

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump/pg_restore back up PostgreSQL; run with DATABASE_URL=postgres://...",
)


def seed() -> dict[str, str]:
    """A little of everything, made through the services."""
    author = UserFactory(username="pierre.cote", first_name="Pierre", last_name="Côté")
    reader = UserFactory(username="ines.roux", first_name="Inès", last_name="Roux")
    post = blog_services.post_create(
        actor=author, title="Sauvegarder l'intranet", body="Chaque nuit.", publish=True
    )
    interaction_services.comment_create(author=reader, target=post, body="Et la restauration ?")
    community = community_services.community_create(actor=author, name="Cellule bad buzz")
    community_services.community_join(actor=reader, community=community)
    thread = community_services.thread_create(
        actor=reader, community=community, kind=ThreadKind.values[0], title="Qui veille ?",
        body="Le week-end aussi.",
    )  # fmt: skip
    interaction_services.comment_create(author=author, target=thread, body="Moi.")
    default_storage.save("people/photos/pierre.png", ContentFile(b"\x89PNG fake photo"))
    default_storage.save("original_images/affiche.jpg", ContentFile(b"\xff\xd8 fake image"))
    return {"post": post.title, "thread": thread.title, "community": community.name}


def row_counts(dbname: str) -> dict[str, int]:
    with psycopg.connect(_dsn(dbname)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _dsn(dbname: str) -> str:
    params = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        host=params["HOST"] or "localhost",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=dbname,
    )


@pytest.fixture
def empty_database():
    with psycopg.connect(_dsn("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {RESTORED}")
    yield RESTORED
    with psycopg.connect(_dsn("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")


def restore_elsewhere(source: Path, media: Path, *extra: str) -> subprocess.CompletedProcess:
    """`manage.py restore` in a process of its own, on the empty database and media folder."""
    params = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RUCHE_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=(
            f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@"
            f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{RESTORED}"
        ),
        RUCHE_MEDIA_ROOT=str(media),
        RUCHE_VAR_DIR=str(media.parent / "var"),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", "--from", str(source), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_the_same_rows_and_files(
    tmp_path, empty_database
):
    seeded = seed()
    call_command("backup", to=str(tmp_path / "backups"), stdout=io.StringIO())

    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["database"]["vendor"] == "postgresql"
    assert set(manifest["files"]) == {"database.dump", "media-default.tar.gz"}
    assert manifest["media"]["default"]["count"] == 2
    assert "people" in manifest["database"]["migrations"]

    restored_media = tmp_path / "restored-media"
    done = restore_elsewhere(tmp_path / "backups", restored_media)  # the latest backup
    assert done.returncode == 0, done.stderr

    original = row_counts(connection.settings_dict["NAME"])
    assert original["people_user"] >= 2
    assert row_counts(empty_database) == original
    with psycopg.connect(_dsn(empty_database)) as conn:
        assert conn.execute("SELECT title FROM wagtailcore_page WHERE title = %s",
                            [seeded["post"]]).fetchone()  # fmt: skip
        assert conn.execute("SELECT name FROM communities_community").fetchone() == (
            seeded["community"],
        )
        assert conn.execute("SELECT last_name FROM people_user WHERE username = 'pierre.cote'"
                            ).fetchone() == ("Côté",)  # fmt: skip
        # The append-only triggers of the event log came back with the tables.
        with pytest.raises(psycopg.Error):
            conn.execute("UPDATE activity_participationevent SET verb = 'x'")
    assert (restored_media / "people/photos/pierre.png").read_bytes() == b"\x89PNG fake photo"
    assert (restored_media / "original_images/affiche.jpg").read_bytes() == b"\xff\xd8 fake image"

    # Once restored, the database is not empty: a second restore is refused, --force replaces.
    again = restore_elsewhere(backup, restored_media)
    assert again.returncode != 0
    assert "already holds" in again.stderr
    forced = restore_elsewhere(backup, restored_media, "--force")
    assert forced.returncode == 0, forced.stderr
    assert row_counts(empty_database) == original


@pytest.fixture
def backups(tmp_path):
    return tmp_path / "backups"


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(backups):
    call_command("backup", to=str(backups), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", source=str(backups))


@pytest.mark.django_db
def test_restore_refuses_a_damaged_backup_before_touching_anything(backups):
    default_storage.save("people/photos/a.png", ContentFile(b"photo"))
    call_command("backup", to=str(backups), stdout=io.StringIO())
    (backup,) = backups.iterdir()
    archive = backup / "media-default.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", source=str(backup), force=True)
    assert default_storage.open("people/photos/a.png").read() == b"photo"


@pytest.mark.django_db
def test_an_unfinished_backup_is_never_the_latest(backups):
    (backups / "ruche-29991231T000000Z").mkdir(parents=True)  # no manifest: interrupted
    with pytest.raises(CommandError, match="No complete backup"):
        call_command("restore", source=str(backups))


@pytest.mark.django_db
def test_keep_deletes_the_oldest_backups(backups):
    for stamp in ("20250101T000000Z", "20250102T000000Z"):
        (backups / f"ruche-{stamp}").mkdir(parents=True)
        (backups / f"ruche-{stamp}" / MANIFEST).write_text("{}")
    call_command("backup", to=str(backups), keep=2, stdout=io.StringIO())
    names = sorted(path.name for path in backups.iterdir())
    assert len(names) == 2
    assert names[0] == "ruche-20250102T000000Z"
