#!/usr/bin/env python3
"""Draws the phone page's icons (client/web/app/icons/*.png) with the standard library only:
two white arrows chasing each other round a circle (giving and getting back) on the brand teal.

    python3 tests/browser/tools/make_icons.py        # rewrites the three PNGs
"""
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "client", "web", "app", "icons"))

TOP = (0x12, 0x9c, 0x88)     # gradient, top left
BOTTOM = (0x0a, 0x5a, 0x51)  # bottom right
WHITE = (0xff, 0xff, 0xff)
SAMPLES = 4                  # supersampling per axis


def png(path, width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def in_triangle(px, py, a, b, c):
    def sign(p, q, r):
        return (p[0] - r[0]) * (q[1] - r[1]) - (q[0] - r[0]) * (p[1] - r[1])
    d1, d2, d3 = sign((px, py), a, b), sign((px, py), b, c), sign((px, py), c, a)
    neg = d1 < 0 or d2 < 0 or d3 < 0
    pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (neg and pos)


def arrows(scale):
    """The two arrows in unit coordinates (centre 0.5, 0.5), scaled by `scale` about the centre."""
    r, w = 0.25 * scale, 0.075 * scale
    shapes = []
    # Arcs in degrees (y down, angles clockwise from +x): each covers 130 degrees, then a head.
    for start in (200.0, 20.0):
        end = start + 125.0
        head_angle = math.radians(end)
        # Arrowhead: a triangle at the arc's end pointing along the clockwise tangent.
        cx, cy = 0.5 + r * math.cos(head_angle), 0.5 + r * math.sin(head_angle)
        tx, ty = -math.sin(head_angle), math.cos(head_angle)       # tangent (clockwise)
        nx, ny = math.cos(head_angle), math.sin(head_angle)        # outward normal
        size = 0.105 * scale
        tip = (cx + tx * size * 1.25, cy + ty * size * 1.25)
        left = (cx + nx * size, cy + ny * size)
        right = (cx - nx * size, cy - ny * size)
        shapes.append((start, end, r, w, (tip, left, right)))
    return shapes


def covered(x, y, shapes):
    dx, dy = x - 0.5, y - 0.5
    dist = math.hypot(dx, dy)
    angle = math.degrees(math.atan2(dy, dx)) % 360.0
    for start, end, r, w, head in shapes:
        if abs(dist - r) <= w / 2:
            a = (angle - start) % 360.0
            if a <= end - start:
                return True
        if in_triangle(x, y, *head):
            return True
    return False


def draw(size, maskable):
    shapes = arrows(0.78 if maskable else 1.0)
    radius = 0.0 if maskable else 0.22
    rows = []
    n = SAMPLES
    for j in range(size):
        row = []
        for i in range(size):
            bg = fg = 0
            for sj in range(n):
                for si in range(n):
                    x = (i + (si + 0.5) / n) / size
                    y = (j + (sj + 0.5) / n) / size
                    # Rounded square for the plain icon.
                    inside = True
                    if radius:
                        qx = max(radius - x, 0, x - (1 - radius))
                        qy = max(radius - y, 0, y - (1 - radius))
                        inside = qx * qx + qy * qy <= radius * radius
                    if not inside:
                        continue
                    bg += 1
                    if covered(x, y, shapes):
                        fg += 1
            total = n * n
            t = (i + j) / (2.0 * size)
            base = [TOP[k] + (BOTTOM[k] - TOP[k]) * t for k in range(3)]
            if bg == 0:
                row += [0, 0, 0, 0]
                continue
            f = fg / bg
            colour = [round(base[k] * (1 - f) + WHITE[k] * f) for k in range(3)]
            row += colour + [round(255 * bg / total)]
        rows.append(row)
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)):
        png(os.path.join(OUT, name), size, size, draw(size, maskable))
        print("wrote", os.path.join(OUT, name))


if __name__ == "__main__":
    main()
