"""The statistics page's charts, drawn on the server as SVG (no script).

Each chart has a ``<title>`` (named by ``aria-labelledby``) and stands beside a table with
the same numbers. A count below the threshold is drawn as a dotted outline as long as the
threshold (its exact count is not told); a masked count is not drawn at all, its row
says "masqué".
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from kiosk.receiver.console.steering import Block

BAR_COLOUR = "#1d4f91"  # 8.6:1 on white: a non-text contrast far above WCAG's 3:1
INK = "#1b1b1b"
WIDTH = 640
ROW, LABEL_WIDTH, VALUE_WIDTH = 28, 250, 70
HEIGHT, MARGIN = 240, 40


def _open(block: Block, width: int, height: int) -> list[str]:
    ident = f"chart-{block.ident}"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' role="img" aria-labelledby="{ident}" class="chart">',
        f'<title id="{ident}">{escape(block.title)}</title>',
    ]


def _bar(x: float, y: float, width: float, height: float, *, small: bool, label: str) -> str:
    style = (f'fill="none" stroke="{BAR_COLOUR}" stroke-dasharray="3 2"' if small
             else f'fill="{BAR_COLOUR}"')
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}"'
            f" {style}><title>{escape(label)}</title></rect>")


def _length(count: int | None, top: int, minimum: int, room: float) -> tuple[float, bool]:
    """How long a bar is, and whether it is the dotted bar of a small count."""
    if count is None:
        return room * minimum / top, True
    return room * count / top, False


def _top(block: Block, minimum: int) -> int:
    return max([minimum, *(line.shown.count or 0 for line in block.lines)])


def hbars(block: Block, minimum: int) -> str:
    """One horizontal bar per line of ``block``, its label on the left, its count on the
    right."""
    height = ROW * max(1, len(block.lines)) + 8
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = _top(block, minimum)
    parts = _open(block, WIDTH, height)
    for index, line in enumerate(block.lines):
        y = 4 + index * ROW
        text = f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" font-size="14"'
        parts.append(f'{text} fill="{INK}">{escape(_clip(line.label))}</text>')
        if not line.shown.masked:
            length, small = _length(line.shown.count, top, minimum, room)
            parts.append(_bar(LABEL_WIDTH, y + 4, max(1.0, length), ROW - 10, small=small,
                              label=f"{line.label} : {line.shown.text}"))
        else:
            length = 0.0
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 18}" font-size="14"'
                     f' fill="{INK}">{escape(line.shown.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _clip(label: str, size: int = 30) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def columns(block: Block, minimum: int) -> str:
    """One vertical bar per line of ``block`` (days), first and last labels under them."""
    top = _top(block, minimum)
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    step = plot_w / max(1, len(block.lines))
    parts = [
        *_open(block, WIDTH, HEIGHT),
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}"'
        f' y2="{HEIGHT - MARGIN}" stroke="#333" />',
        f'<text x="{MARGIN - 6}" y="{MARGIN + 4}" text-anchor="end" font-size="12">{top}</text>',
        f'<text x="{MARGIN - 6}" y="{HEIGHT - MARGIN}" text-anchor="end" font-size="12">0</text>',
    ]
    for index, line in enumerate(block.lines):
        if line.shown.masked:
            continue
        height, small = _length(line.shown.count, top, minimum, plot_h)
        parts.append(_bar(MARGIN + index * step + step * 0.1, HEIGHT - MARGIN - height,
                          max(1.0, step * 0.8), height, small=small,
                          label=f"{line.label} : {line.shown.text}"))
    for index in sorted({0, len(block.lines) - 1} if block.lines else set()):
        anchor = "start" if index == 0 else "end"
        x = MARGIN + index * step + step / 2
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - MARGIN + 18}" text-anchor="{anchor}"'
                     f' font-size="12">{escape(block.lines[index].label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
