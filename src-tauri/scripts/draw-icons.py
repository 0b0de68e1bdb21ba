#!/usr/bin/env python3
"""Draws the app and tray icons (PNG, ICO, ICNS) with the standard library only.

Each tray state has its own colour and its own glyph, so colour is never the only
signal: healthy = green with a tick, some failing = amber with "!", all failing =
red with a cross, not set up / checking = grey with a dash.
Run from anywhere: writes into src-tauri/icons/.
"""
import math
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "icons")

STATES = {
    "healthy": ((0x1E, 0x8E, 0x3E), "tick"),
    "degraded": ((0xD9, 0x8C, 0x00), "bang"),
    "failing": ((0xC6, 0x28, 0x28), "cross"),
    "unknown": ((0x75, 0x75, 0x75), "dash"),
}
APP_COLOUR = (0x0B, 0x5C, 0xAD)


def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def glyph_segments(glyph):
    """Strokes in a unit square (0..1), drawn in white over the disc."""
    if glyph == "tick":
        return [(0.28, 0.52, 0.44, 0.68), (0.44, 0.68, 0.73, 0.34)]
    if glyph == "bang":
        return [(0.5, 0.25, 0.5, 0.58), (0.5, 0.74, 0.5, 0.745)]
    if glyph == "cross":
        return [(0.32, 0.32, 0.68, 0.68), (0.68, 0.32, 0.32, 0.68)]
    if glyph == "dash":
        return [(0.3, 0.5, 0.7, 0.5)]
    if glyph == "app":  # a "plug": two prongs and a body, for "connected to Claude"
        return [(0.4, 0.24, 0.4, 0.4), (0.6, 0.24, 0.6, 0.4), (0.32, 0.42, 0.68, 0.42),
                (0.34, 0.42, 0.5, 0.62), (0.66, 0.42, 0.5, 0.62), (0.5, 0.62, 0.5, 0.78)]
    raise ValueError(glyph)


def render(size, colour, glyph):
    samples = 4
    stroke = 0.085
    segs = glyph_segments(glyph)
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            disc = 0
            ink = 0
            for sy in range(samples):
                for sx in range(samples):
                    u = (x + (sx + 0.5) / samples) / size
                    v = (y + (sy + 0.5) / samples) / size
                    if math.hypot(u - 0.5, v - 0.5) <= 0.47:
                        disc += 1
                        if any(seg_dist(u, v, *s) <= stroke for s in segs):
                            ink += 1
            total = samples * samples
            a = disc / total
            w = ink / disc if disc else 0
            r, g, b = (round(c * (1 - w) + 255 * w) for c in colour)
            row += bytes([r, g, b, round(a * 255)])
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(w, h, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(pngs):
    """An ICO holding PNG images (read by Windows Vista and later)."""
    head = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    return head + entries + blobs


def icns(pngs):
    types = {128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(types[s] + struct.pack(">I", len(d) + 8) + d for s, d in pngs if s in types)
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(HERE, exist_ok=True)
    for state, (colour, glyph) in STATES.items():
        write(f"tray-{state}.png", render(64, colour, glyph))
    app = {s: render(s, APP_COLOUR, "app") for s in (32, 128, 256, 512)}
    write("32x32.png", app[32])
    write("128x128.png", app[128])
    write("128x128@2x.png", app[256])
    write("icon.png", app[512])
    write("icon.ico", ico([(32, app[32]), (256, app[256])]))
    write("icon.icns", icns([(128, app[128]), (256, app[256]), (512, app[512])]))


if __name__ == "__main__":
    main()
