"""What a rendered fragment kept in the cache was made from: templates and catalogues."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template


@functools.cache
def code_digest(*template_names: str) -> str:
    """A digest of these templates' sources and of every translation catalogue. Put in the
    key of rendered HTML kept in the cache, it makes a deployment that changes either use new
    keys, so no fragment of the previous version is served."""
    digest = hashlib.blake2b(digest_size=16)
    for name in template_names:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    folders = [Path(config.path) / "locale" for config in apps.get_app_configs()]
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    for catalogue in sorted(p for folder in folders for p in folder.glob("*/LC_MESSAGES/*.mo")):
        digest.update(str(catalogue).encode())
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()
