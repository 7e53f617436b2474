"""Draw Ruche's icons (favicon, home-screen icons, the maskable one) with Pillow.

Run once, commit the files: `manage.py make_icons`. They are static files; nothing draws them
at run time. The mark is a honeycomb cell: a honey hexagon with a dark one inside, on the
header's dark background.
"""

from __future__ import annotations

import math
from pathlib import Path

from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[2] / "static" / "core" / "icons"
INK = (31, 35, 40, 255)
HONEY = (255, 211, 122, 255)


def _hexagon(centre: float, radius: float) -> list[tuple[float, float]]:
    return [
        (
            centre + radius * math.cos(math.radians(60 * k - 90)),
            centre + radius * math.sin(math.radians(60 * k - 90)),
        )
        for k in range(6)
    ]


def draw(size: int, *, maskable: bool = False) -> Image.Image:
    """The mark at `size` pixels. Maskable: full-bleed background and the mark inside the
    central safe circle (40 % of the size in radius) that every launcher's mask keeps."""
    scale = 4  # drawn large, then reduced: smooth edges without antialiasing primitives
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=INK)
        outer = 0.30 * big
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=int(0.18 * big), fill=INK)
        outer = 0.40 * big
    pen.polygon(_hexagon(big / 2, outer), fill=HONEY)
    pen.polygon(_hexagon(big / 2, outer * 0.45), fill=INK)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def svg() -> str:
    def points(radius: float) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in _hexagon(50, radius))

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<rect width="100" height="100" rx="18" fill="#1f2328"/>'
        f'<polygon points="{points(40)}" fill="#ffd37a"/>'
        f'<polygon points="{points(18)}" fill="#1f2328"/>'
        "</svg>\n"
    )


class Command(BaseCommand):
    help = "Draw Ruche's favicon and home-screen icons into core/static/core/icons."

    def handle(self, *args: object, **options: object) -> None:
        ICONS.mkdir(parents=True, exist_ok=True)
        draw(192).save(ICONS / "icon-192.png", optimize=True)
        draw(512).save(ICONS / "icon-512.png", optimize=True)
        draw(512, maskable=True).save(ICONS / "icon-maskable-512.png", optimize=True)
        # iOS draws its own rounded corners over an opaque square.
        draw(180, maskable=True).save(ICONS / "apple-touch-icon.png", optimize=True)
        draw(48).save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
        (ICONS / "icon.svg").write_text(svg(), encoding="utf-8")
        self.stdout.write(f"Icons written to {ICONS}")
