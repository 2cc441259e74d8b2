#!/usr/bin/env python3
"""Draws docs/images/netpoller.svg: who polls the network selector, and how readiness wakes fibers.

Left: a fiber's read that would block. Middle: the selector and the three places that poll it.
Right: the run queues the woken fibers go to. Run: python3 docs/diagrams/netpoller.py
"""
import os

W, H = 1000, 470


def box(x, y, w, h, fill, lines, bold_first=True):
    out = [f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="5" fill="{fill}" '
           f'stroke="#444" stroke-width="1"/>']
    for i, line in enumerate(lines):
        weight = "bold" if i == 0 and bold_first else "normal"
        family = "monospace" if line.startswith("`") else "sans-serif"
        text = line.strip("`").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(f'<text x="{x + 10}" y="{y + 20 + 17 * i}" font-family="{family}" '
                   f'font-size="12" font-weight="{weight}" fill="#111">{text}</text>')
    return "".join(out)


def arrow(x1, y1, x2, y2, label="", dash=False):
    style = ' stroke-dasharray="5,4"' if dash else ""
    out = (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333" stroke-width="1.4" '
           f'marker-end="url(#head)"{style}/>')
    if label:
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        out += (f'<text x="{mx + 4}" y="{my - 5}" font-family="sans-serif" font-size="11" '
                f'fill="#333">{label}</text>')
    return out


def main():
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}">',
        '<defs><marker id="head" markerWidth="9" markerHeight="7" refX="9" refY="3.5" '
        'orient="auto"><polygon points="0 0, 9 3.5, 0 7" fill="#333"/></marker></defs>',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        box(20, 20, 290, 160, "#dbe9f6", [
            "A fiber: conn.read(buf)",
            "`channel.read(buf)` returns 0 (EAGAIN)",
            "publish the fiber's Parker in the",
            "  socket's read slot (PollDesc)",
            "set OP_READ interest if not set yet",
            "  (kept set after a wake-up: no epoll",
            "  change in a request/response loop)",
            "park: the worker runs other fibers",
        ]),
        box(20, 230, 290, 110, "#fbe8d3", [
            "Deadline, close",
            "setReadDeadline: store, wake the slot;",
            "  the timed park ends at the deadline",
            "close: mark closed, wake both slots:",
            "  the waiters throw",
        ]),
        box(370, 150, 250, 120, "#e3f1df", [
            "NetPoller: one Selector (epoll)",
            "one holder of the poll right",
            "ready key -> take the slot's Parker",
            "no waiter -> clear the interest bit",
            "woken Parkers unparked as a batch",
        ]),
        box(370, 20, 250, 95, "#f2f2f2", [
            "Worker out of work",
            "findRunnable: local queue, global",
            "queue, timers, then pollNonBlocking()",
            "  (selectNow), then steal",
        ]),
        box(370, 310, 250, 130, "#f2f2f2", [
            "Idle worker",
            "pollIdle(): blocks in select with the",
            "  next timer as its timeout",
            "new work, a new earlier timer, a new",
            "  interest: wakeup() the selector",
            "Monitor: polls if nobody did for 10 ms",
        ]),
        box(690, 150, 290, 120, "#dbe9f6", [
            "Run queues",
            "polling worker: leaves the idle list,",
            "  woken fibers go to its own queue",
            "  (others steal half if there is more)",
            "monitor, plain thread: global queue",
        ]),
        arrow(310, 100, 370, 190, "arm"),
        arrow(495, 115, 495, 150, ""),
        arrow(495, 310, 495, 270, ""),
        arrow(620, 210, 690, 210, "unpark"),
        arrow(835, 270, 835, 330, "", dash=True),
        box(690, 330, 290, 60, "#dbe9f6", [
            "The fiber resumes in conn.read",
            "and retries `channel.read(buf)`",
        ]),
        arrow(310, 285, 370, 230, "wake", dash=True),
        f'<text x="20" y="{H - 10}" font-family="sans-serif" font-size="11" fill="#555">'
        'Made by python3 docs/diagrams/netpoller.py (a schematic, drawn by hand in that script)</text>',
        "</svg>",
    ]
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "images", "netpoller.svg")
    with open(out, "w") as f:
        f.write("\n".join(parts) + "\n")
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
