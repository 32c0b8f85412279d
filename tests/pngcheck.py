"""Test helpers shared by the PDF tests: decode the PNG pages that ``pdftoppm`` writes."""

from __future__ import annotations

import zlib


def read_gray_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and gray levels of an 8-bit gray or RGB, non-interlaced PNG (what ``pdftoppm`` writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, color, interlace = header[8], header[9], header[12]
    assert depth == 8 and color in (0, 2) and interlace == 0, f"unexpected PNG format {header[8:13]!r}"
    bpp = 1 if color == 0 else 3
    stride = width * bpp
    raw, out, prev = zlib.decompress(idat), bytearray(), bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):  # undo the PNG row filter
            a, b = line[x - bpp] if x >= bpp else 0, prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line if bpp == 1 else bytes(min(line[x:x + 3]) for x in range(0, stride, 3))
        prev = line
    return width, height, bytes(out)
