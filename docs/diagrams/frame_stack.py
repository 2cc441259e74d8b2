#!/usr/bin/env python3
"""Draws docs/images/frame-stack.svg: the saved frames of one suspended fiber.

The example is the fiber of docs/design.md: relay() called receive(), which called park(), which
suspended. Frames are pushed innermost first while unwinding, so the outermost frame is on top,
which is the order in which resuming re-enters them. Run: python3 docs/diagrams/frame_stack.py
"""
import os

# (frame, primitives pushed, references pushed) innermost first, as FrameStack stores them.
FRAMES = [
    ("Parker.park", [], ["blocker", "this (Parker)"], 1, "dev.weft.core.Parker.park(Parker.java:57)"),
    ("Channel.receive", [], ["waiter", "this (Channel, also the receiver)"], 0,
     "dev.weft.Channel.receive(Channel.java:212)"),
    ("Relay.relay", ["total: long"], ["in (also the receiver)", "out"], 0,
     "example.Relay.relay(Relay.java:10)"),
]

W, ROW, GAP = 1000, 26, 14
LEFT_X, RIGHT_X, COL_W = 40, 500, 460


def box(x, y, w, h, fill, text, mono=False, bold=False):
    family = "monospace" if mono else "sans-serif"
    weight = "bold" if bold else "normal"
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}" '
            f'stroke="#444" stroke-width="1"/>'
            f'<text x="{x + 8}" y="{y + h / 2 + 5}" font-family="{family}" font-size="12" '
            f'font-weight="{weight}" fill="#111">{text}</text>')


def main():
    parts = []
    colours = ["#dbe9f6", "#e3f1df", "#fbe8d3"]
    prim_rows, ref_rows = [], []
    for k, (name, prims, refs, entry, site) in enumerate(FRAMES):
        c = colours[k % len(colours)]
        for p in prims:
            prim_rows.append((c, p if p != "entry" else "saved operand value", False))
        prim_rows.append((c, f"record: entry={entry} | {len(prims)} prims | {len(refs)} refs", True))
        for r in refs:
            ref_rows.append((c, r, False))
        ref_rows.append((c, f'site: "{site}"', True))
    rows = max(len(prim_rows), len(ref_rows))
    top = 90
    height = top + rows * ROW + 150
    parts.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
                 f'viewBox="0 0 {W} {height}">')
    parts.append('<rect width="100%" height="100%" fill="white"/>')
    parts.append('<text x="40" y="32" font-family="sans-serif" font-size="18" font-weight="bold">'
                 'FrameStack of a fiber suspended in relay() → receive() → park()</text>')
    parts.append(f'<text x="{LEFT_X}" y="70" font-family="sans-serif" font-size="14">'
                 'long[] prims   (pp = top)</text>')
    parts.append(f'<text x="{RIGHT_X}" y="70" font-family="sans-serif" font-size="14">'
                 'Object[] refs   (rp = top)</text>')
    # Index 0 at the bottom: draw from the top of the picture downwards, reversed.
    for col_x, data in ((LEFT_X, prim_rows), (RIGHT_X, ref_rows)):
        for i, (c, text, bold) in enumerate(reversed(data)):
            y = top + (rows - len(data)) * ROW + i * ROW
            parts.append(box(col_x, y, COL_W, ROW - 2, c, text, mono=True, bold=bold))
    legend_y = top + rows * ROW + 30
    for k, (name, *_rest) in enumerate(FRAMES):
        parts.append(box(LEFT_X + k * 230, legend_y, 210, ROW, colours[k], name, bold=True))
    parts.append(f'<text x="{LEFT_X}" y="{legend_y + 60}" font-family="sans-serif" font-size="13">'
                 'Unwinding pushes the innermost frame first; rewinding pops the outermost first'
                 ' and re-enters each call in turn.</text>')
    parts.append(f'<text x="{LEFT_X}" y="{legend_y + 80}" font-family="sans-serif" font-size="13">'
                 'Each record packs the call-site index with the frame\'s counts, so a dump can walk'
                 ' the frames without knowing the methods.</text>')
    parts.append("</svg>")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "images", "frame-stack.svg")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
