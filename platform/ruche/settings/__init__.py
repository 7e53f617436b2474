"""Default settings: a developer's machine or CI. Production uses ruche.settings.production."""

from .base import *  # noqa: F403
