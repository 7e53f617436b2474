"""Ruche's production settings with one more URL, for the load benchmark (bench/load/run.py).

The only difference from `ruche.settings.production` is the URLconf `load_urls`: Ruche's own
URLs plus `/bench/trivial`, the reference "trivial Django view" the daily pages are compared
with. That view is not part of the product: it exists only on the benchmark's server.
"""

from ruche.settings.production import *  # noqa: F403

ROOT_URLCONF = "load_urls"
