#!/usr/bin/env python3
"""Draws docs/images/frame-stack.svg: the saved frames of one real suspended fiber.

It runs docs/diagrams/RelayFrames.java under the agent: relay() parks in in.receive(), and the
program prints the fiber's saved frames as FrameStack.savedFrameLayout() gives them (one line a
frame, innermost first: site, entry, primitive slots, reference classes). Nothing here is typed
in by hand: what the picture shows is what the runtime saved. Build first (mvn -q -o package
-pl agent,runtime -DskipTests), then, from the repository root:

    python3 docs/diagrams/frame_stack.py

With --from FILE it draws lines saved earlier instead of running the program.
"""
import html
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
COMMAND = ["java", "-javaagent:agent/target/weft-agent.jar", "-cp", "runtime/target/classes",
           "docs/diagrams/RelayFrames.java"]
MADE_BY = "python3 docs/diagrams/frame_stack.py (runs: " + " ".join(COMMAND) + ")"

W, ROW = 1000, 26
LEFT_X, RIGHT_X, COL_W = 40, 500, 460
COLOURS = ["#dbe9f6", "#e3f1df", "#fbe8d3", "#f3e0f0"]


def parse(lines):
    """Each line: site TAB entry=N TAB prims=[a, b] TAB refs=[C, D]."""
    frames = []
    for line in lines:
        if not line.strip():
            continue
        site, entry, prims, refs = line.rstrip("\n").split("\t")
        values = lambda field: [v for v in field.split("=", 1)[1].strip("[]").split(", ") if v]
        frames.append((site, int(entry.split("=")[1]), values(prims), values(refs)))
    return frames


def short(site):
    """dev.weft.Channel.receive(Channel.java:352) -> Channel.receive"""
    method = site.split("(")[0]
    return ".".join(method.split(".")[-2:])


def box(x, y, w, h, fill, text, mono=False, bold=False):
    family = "monospace" if mono else "sans-serif"
    weight = "bold" if bold else "normal"
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}" '
            f'stroke="#444" stroke-width="1"/>'
            f'<text x="{x + 8}" y="{y + h / 2 + 5}" font-family="{family}" font-size="12" '
            f'font-weight="{weight}" fill="#111">{html.escape(text)}</text>')


def draw(frames):
    prim_rows, ref_rows = [], []
    for k, (site, entry, prims, refs) in enumerate(frames):
        c = COLOURS[k % len(COLOURS)]
        for p in prims:
            prim_rows.append((c, f"{p}   (a saved primitive of {short(site)})", False))
        prim_rows.append((c, f"record: entry={entry} | {len(prims)} prims | {len(refs)} refs", True))
        for r in refs:
            ref_rows.append((c, f"{r}   (a saved reference)", False))
        ref_rows.append((c, f'call-site table: {site}', True))
    rows = max(len(prim_rows), len(ref_rows))
    top = 90
    height = top + rows * ROW + 170
    chain = " → ".join(short(f[0]) + "()" for f in reversed(frames))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
             f'viewBox="0 0 {W} {height}">',
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="40" y="32" font-family="sans-serif" font-size="18" font-weight="bold">'
             f'FrameStack of a fiber suspended in {html.escape(chain)}</text>',
             f'<text x="{LEFT_X}" y="70" font-family="sans-serif" font-size="14">'
             'long[] prims   (index 0 at the bottom)</text>',
             f'<text x="{RIGHT_X}" y="70" font-family="sans-serif" font-size="14">'
             'Object[] refs   (index 0 at the bottom)</text>']
    for col_x, data in ((LEFT_X, prim_rows), (RIGHT_X, ref_rows)):
        for i, (c, text, bold) in enumerate(reversed(data)):
            y = top + (rows - len(data)) * ROW + i * ROW
            parts.append(box(col_x, y, COL_W, ROW - 2, c, text, mono=True, bold=bold))
    legend_y = top + rows * ROW + 30
    for k, (site, *_rest) in enumerate(frames):
        parts.append(box(LEFT_X + k * 310, legend_y, 290, ROW, COLOURS[k % len(COLOURS)],
                         short(site) if len(site) > 40 else site, bold=True))
    empty = [short(site) for site, _, prims, refs in frames if not prims and not refs]
    notes = [
        "Unwinding pushes the innermost frame first; rewinding pops the outermost first and"
        " re-enters each call in turn.",
        "Only what is live after the call is saved"
        + ("; " + " and ".join(empty) + " saved nothing but their records." if empty else "."),
        "Made by " + MADE_BY,
    ]
    for i, note in enumerate(notes):
        parts.append(f'<text x="{LEFT_X}" y="{legend_y + 60 + 20 * i}" font-family="sans-serif" '
                     f'font-size="{13 if i < 2 else 11}">{html.escape(note)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--from":
        with open(sys.argv[2], encoding="utf-8") as f:
            lines = f.readlines()
    else:
        lines = subprocess.run(COMMAND, cwd=ROOT, check=True, capture_output=True,
                               text=True).stdout.splitlines()
    frames = parse(lines)
    if not frames:
        sys.exit("no saved frames printed: is the agent built (agent/target/weft-agent.jar)?")
    for f in frames:
        print(f"{f[0]}\tentry={f[1]}\tprims={f[2]}\trefs={f[3]}")
    out = os.path.join(ROOT, "docs", "images", "frame-stack.svg")
    with open(out, "w", encoding="utf-8") as f:
        f.write(draw(frames))
    print("wrote", os.path.relpath(out, ROOT))


if __name__ == "__main__":
    main()
