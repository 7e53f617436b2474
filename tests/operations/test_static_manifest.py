"""The production image collects the static files into a hashed manifest (whitenoise's
CompressedManifestStaticFilesStorage): any file that points at a missing one (a vendored
script naming its source map, a stylesheet naming an image) fails the image build. Collected
here with the same storage, so it fails in CI instead."""

from __future__ import annotations

import json

from django.core.management import call_command


def test_every_static_file_collects_into_the_production_manifest(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("core/ruche.css", "core/people-picker.js", "vendor/quill/quill.js"):
        assert name in manifest
