"""Charts drawn on the server as SVG: pedigree (with Sosa/Ahnentafel numbers), descendants,
hourglass and fan. The SVG carries its own styles, so the file a visitor downloads looks like
the chart in the page, prints, and opens in any vector editor.

People come through :class:`~genealogy.privacy.TreeViewer`: a hidden person is drawn as
"Private", without dates, link or sex.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import graph
from .privacy import TreeViewer

BOX_W, BOX_H = 210, 46
COL_GAP, ROW_GAP = 40, 10
MAX_GENERATIONS = 10
MAX_DESCENDANTS = 5000

STYLE = """
.chart-bg{fill:#fff}
.box rect{fill:#f7f5ef;stroke:#6b5b3e;stroke-width:1.2;rx:6}
.box.sex-M rect{fill:#eef4fb;stroke:#2d5c8a}
.box.sex-F rect{fill:#fbeff3;stroke:#8a2d55}
.box.private rect{fill:#eee;stroke:#888;stroke-dasharray:4 3}
.box.root rect{stroke-width:2.5}
.box text{font:13px 'Noto Sans',Arial,sans-serif;fill:#1d1d1d}
.box text.dates{font-size:11px;fill:#4a4a4a}
.box text.sosa{font-size:10px;fill:#6b5b3e;font-weight:bold}
.box text.spouse{font-size:11px;fill:#4a4a4a;font-style:italic}
.link{fill:none;stroke:#8c7b5e;stroke-width:1.2}
.fan path{stroke:#fff;stroke-width:1.5}
.fan .sex-M{fill:#d7e6f5}.fan .sex-F{fill:#f5d7e2}.fan .sex-U,.fan .sex-X{fill:#eae6da}
.fan .private{fill:#ddd}
.fan text{font:11px 'Noto Sans',Arial,sans-serif;fill:#1d1d1d}
a:focus rect,a:hover rect{stroke:#c25e00;stroke-width:2.5}
"""

_YEAR = re.compile(r"(\d{3,4})(?!.*\d{3,4})")


@dataclass
class Node:
    person: int
    x: float = 0
    y: float = 0
    sosa: int | None = None
    root: bool = False
    spouses: list[int] = field(default_factory=list)


@dataclass
class Chart:
    kind: str
    svg: str
    count: int
    loop: list[int] = field(default_factory=list)
    truncated: bool = False


class _Labeller:
    def __init__(self, viewer: TreeViewer, ids) -> None:
        self.viewer = viewer
        self.info = graph.people_info(ids)

    def shows(self, pid: int) -> bool:
        info = self.info.get(pid)
        return info is not None and self.viewer.shows_row(info.living, info.private, info.resn)

    def name(self, pid: int) -> str:
        if not self.shows(pid):
            return str(_("Private"))
        info = self.info[pid]
        if info.private_name and not self.viewer.full_access:
            return str(_("Private"))
        return info.name or info.xref or str(_("Unknown"))

    def dates(self, pid: int) -> str:
        if not self.shows(pid):
            return ""
        info = self.info[pid]
        birth = _year(info.birth)
        death = _year(info.death) if info.death != "†" else "†"
        if not birth and not death:
            return ""
        return f"{birth}–{death}" if death else f"{birth}–"

    def sex(self, pid: int) -> str:
        return self.info[pid].sex if self.shows(pid) else "private"

    def url(self, pid: int) -> str | None:
        if not self.shows(pid):
            return None
        return reverse(
            "genealogy:person",
            kwargs={"slug": self.viewer.tree.slug, "public_id": self.info[pid].public_id},
        )


def _year(phrase: str) -> str:
    match = _YEAR.search(phrase or "")
    return match.group(1) if match else ""


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _box(node: Node, lab: _Labeller) -> str:
    pid = node.person
    sex = lab.sex(pid)
    classes = (
        "box " + ("private" if sex == "private" else f"sex-{sex}") + (" root" if node.root else "")
    )
    name = lab.name(pid)
    lines = [
        f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6"/>',
    ]
    text_x = node.x + 8
    if node.sosa is not None:
        lines.append(
            f'<text class="sosa" x="{node.x + BOX_W - 6:.1f}" y="{node.y + 13:.1f}" '
            f'text-anchor="end">{node.sosa}</text>'
        )
    lines.append(f'<text x="{text_x:.1f}" y="{node.y + 19:.1f}">{escape(_clip(name))}</text>')
    dates = lab.dates(pid)
    second = dates
    if node.spouses:
        spouse = ", ".join(lab.name(s) for s in node.spouses[:2])
        second = f"{dates} ⚭ {spouse}" if dates else f"⚭ {spouse}"
    if second:
        css = "spouse" if node.spouses else "dates"
        lines.append(
            f'<text class="{css}" x="{text_x:.1f}" y="{node.y + 37:.1f}">'
            f"{escape(_clip(second, 36))}</text>"
        )
    title = f"<title>{escape(name)}{(' ' + escape(dates)) if dates else ''}</title>"
    inner = title + "".join(lines)
    url = lab.url(pid)
    if url:
        return f'<a href="{escape(url)}" class="{classes}">{inner}</a>'
    return f'<g class="{classes}">{inner}</g>'


def _svg(width: float, height: float, body: str, title: str) -> str:
    width, height = math.ceil(width), math.ceil(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-title" class="chart-svg">'
        f'<title id="chart-title">{escape(title)}</title><style>{STYLE}</style>'
        f'<rect class="chart-bg" x="0" y="0" width="{width}" height="{height}"/>{body}</svg>'
    )


def _elbow(x1: float, y1: float, x2: float, y2: float) -> str:
    mid = (x1 + x2) / 2
    return f'<path class="link" d="M{x1:.1f},{y1:.1f}H{mid:.1f}V{y2:.1f}H{x2:.1f}"/>'


# -- ancestors ---------------------------------------------------------------------------------


def sosa_numbers(root: int, generations: int) -> tuple[dict[int, int], list[int]]:
    """Sosa/Ahnentafel number → person for ``generations`` generations (the root is 1, a
    person's father 2n, mother 2n + 1); and a loop if one was met."""
    edges = graph.ancestor_edges([root], generations - 1)
    parents: dict[int, list[tuple[int, int]]] = defaultdict(list)  # child → (family, parent)
    for edge in edges:
        if (edge.family, edge.parent) not in parents[edge.child]:
            parents[edge.child].append((edge.family, edge.parent))
    loop = graph.find_cycle({c: {p for _f, p in ps} for c, ps in parents.items()})
    sex = {pid: info.sex for pid, info in graph.people_info({e.parent for e in edges}).items()}
    numbers = {1: root}
    frontier = [(1, root)]
    for _generation in range(1, generations):
        nxt = []
        for number, person in frontier:
            entries = parents.get(person, [])
            if not entries:
                continue
            # The first family recorded (birth families come first in sort order).
            family = min(f for f, _p in entries)
            pair = [p for f, p in entries if f == family]
            father = next((p for p in pair if sex.get(p) == "M"), None)
            mother = next((p for p in pair if sex.get(p) == "F"), None)
            for p in pair:
                if p not in (father, mother):
                    if father is None:
                        father = p
                    elif mother is None:
                        mother = p
            for slot, p in ((2 * number, father), (2 * number + 1, mother)):
                if p is not None:
                    numbers[slot] = p
                    nxt.append((slot, p))
        frontier = nxt
    return numbers, loop


def _pedigree_nodes(
    numbers: dict[int, int], generations: int, *, mirror: bool, x0: float, y0: float
):
    leaves = 2 ** (generations - 1)
    row = BOX_H + ROW_GAP
    nodes: dict[int, Node] = {}
    for number, person in numbers.items():
        generation = number.bit_length() - 1
        index = number - (1 << generation)
        span = leaves >> generation
        y = y0 + (index + 0.5) * span * row - BOX_H / 2
        column = generation * (BOX_W + COL_GAP)
        x = x0 - column if mirror else x0 + column
        nodes[number] = Node(person, x, y, sosa=number, root=number == 1)
    return nodes, leaves * row


def _pedigree_links(nodes: dict[int, Node], *, mirror: bool) -> list[str]:
    links = []
    for number, node in nodes.items():
        for parent_number in (2 * number, 2 * number + 1):
            parent = nodes.get(parent_number)
            if parent is None:
                continue
            if mirror:
                links.append(
                    _elbow(node.x, node.y + BOX_H / 2, parent.x + BOX_W, parent.y + BOX_H / 2)
                )
            else:
                links.append(
                    _elbow(node.x + BOX_W, node.y + BOX_H / 2, parent.x, parent.y + BOX_H / 2)
                )
    return links


def pedigree_chart(viewer: TreeViewer, root: int, generations: int = 5) -> Chart:
    generations = max(2, min(generations, MAX_GENERATIONS))
    numbers, loop = sosa_numbers(root, generations)
    lab = _Labeller(viewer, numbers.values())
    # As many columns as there are generations known, not as many as asked for.
    generations = max(n.bit_length() for n in numbers)
    nodes, height = _pedigree_nodes(numbers, generations, mirror=False, x0=10, y0=10)
    body = "".join(_pedigree_links(nodes, mirror=False)) + "".join(
        _box(n, lab) for n in nodes.values()
    )
    width = 20 + generations * (BOX_W + COL_GAP) - COL_GAP
    title = _("Pedigree of %(name)s, %(n)s generations") % {
        "name": lab.name(root),
        "n": generations,
    }
    return Chart("pedigree", _svg(width, height + 20, body, title), len(nodes), loop)


# -- descendants -------------------------------------------------------------------------------


def _descendant_layout(root: int, generations: int, *, x0: float, y0: float):
    edges = graph.descendant_edges(root, generations, limit=MAX_DESCENDANTS * 2)
    truncated = len(edges) >= MAX_DESCENDANTS * 2
    children: dict[int, list[int]] = defaultdict(list)
    depth_of = {root: 0}
    for edge in sorted(edges, key=lambda e: (e.depth, e.family, e.child)):
        if edge.child in depth_of:
            continue  # drawn once, under the first parent met (cousin marriages, loops)
        if len(depth_of) >= MAX_DESCENDANTS:
            truncated = True
            break
        depth_of[edge.child] = edge.depth
        children[edge.parent].append(edge.child)
    row = BOX_H + ROW_GAP
    nodes: dict[int, Node] = {}
    next_row = 0
    # Iterative post-order: leaves take the next row, parents sit between their children.
    stack: list[tuple[int, bool]] = [(root, False)]
    while stack:
        person, done = stack.pop()
        kids = children.get(person, [])
        if not done and kids:
            stack.append((person, True))
            stack.extend((k, False) for k in reversed(kids))
            continue
        depth = depth_of[person]
        if kids:
            y = (nodes[kids[0]].y + nodes[kids[-1]].y) / 2
        else:
            y = y0 + next_row * row
            next_row += 1
        column = depth * (BOX_W + COL_GAP)
        nodes[person] = Node(person, x0 + column, y, root=person == root)
    depth = max(depth_of.values())
    return nodes, children, max(next_row, 1) * row, depth, truncated


def _descendant_links(nodes: dict[int, Node], children: dict[int, list[int]]) -> list[str]:
    links = []
    for parent, kids in children.items():
        p = nodes[parent]
        for kid in kids:
            c = nodes[kid]
            links.append(_elbow(p.x + BOX_W, p.y + BOX_H / 2, c.x, c.y + BOX_H / 2))
    return links


def _attach_spouses(nodes: dict[int, Node]) -> set[int]:
    spouses = graph.spouses_of(list(nodes))
    for pid, node in nodes.items():
        node.spouses = spouses.get(pid, [])
    return {s for ss in spouses.values() for s in ss}


def descendants_chart(viewer: TreeViewer, root: int, generations: int = 4) -> Chart:
    generations = max(1, min(generations, MAX_GENERATIONS))
    nodes, children, height, depth, truncated = _descendant_layout(root, generations, x0=10, y0=10)
    links = _descendant_links(nodes, children)
    extra = _attach_spouses(nodes)
    lab = _Labeller(viewer, set(nodes) | extra)
    body = "".join(links) + "".join(_box(n, lab) for n in nodes.values())
    width = 20 + (depth + 1) * (BOX_W + COL_GAP) - COL_GAP
    title = _("Descendants of %(name)s, %(n)s generations") % {
        "name": lab.name(root),
        "n": generations,
    }
    return Chart(
        "descendants", _svg(width, height + 20, body, title), len(nodes), truncated=truncated
    )


# -- hourglass ---------------------------------------------------------------------------------


def hourglass_chart(viewer: TreeViewer, root: int, generations: int = 3) -> Chart:
    """Ancestors to the left of the person, descendants to the right."""
    generations = max(2, min(generations, 6))
    numbers, loop = sosa_numbers(root, generations + 1)
    anc_cols = generations
    centre_x = 10 + anc_cols * (BOX_W + COL_GAP)
    anc_nodes, anc_height = _pedigree_nodes(
        numbers, generations + 1, mirror=True, x0=centre_x, y0=10
    )
    des_nodes, children, des_height, depth, truncated = _descendant_layout(
        root, generations, x0=centre_x, y0=10
    )
    height = max(anc_height, des_height)
    # Centre both halves on the person's row.
    shift_anc = height / 2 - (anc_nodes[1].y + BOX_H / 2)
    shift_des = height / 2 - (des_nodes[root].y + BOX_H / 2)
    for node in anc_nodes.values():
        node.y += shift_anc
    for node in des_nodes.values():
        node.y += shift_des
    everyone = [*anc_nodes.values(), *des_nodes.values()]
    top = min(n.y for n in everyone)
    for node in everyone:
        node.y += 10 - top
    des_links = _descendant_links(des_nodes, children)
    anc_links = _pedigree_links(anc_nodes, mirror=True)
    lab = _Labeller(viewer, set(numbers.values()) | set(des_nodes))
    del des_nodes[root]  # drawn once, as the pedigree's number 1
    body = (
        "".join(anc_links + des_links)
        + "".join(_box(n, lab) for n in anc_nodes.values())
        + "".join(_box(n, lab) for n in des_nodes.values())
    )
    bottom = max(n.y for n in [*anc_nodes.values(), *des_nodes.values()]) + BOX_H + 10
    width = centre_x + (depth + 1) * (BOX_W + COL_GAP) - COL_GAP + 10
    title = _("Hourglass chart of %(name)s") % {"name": lab.name(root)}
    return Chart(
        "hourglass",
        _svg(width, bottom, body, title),
        len(anc_nodes) + len(des_nodes),
        loop,
        truncated,
    )


# -- fan ---------------------------------------------------------------------------------------


def _sector(cx: float, cy: float, r1: float, r2: float, a1: float, a2: float) -> str:
    def point(r: float, a: float) -> str:
        return f"{cx + r * math.cos(a):.1f},{cy - r * math.sin(a):.1f}"

    large = 1 if a1 - a2 > math.pi else 0
    return (
        f"M{point(r1, a1)} L{point(r2, a1)} A{r2:.1f},{r2:.1f} 0 {large} 1 {point(r2, a2)} "
        f"L{point(r1, a2)} A{r1:.1f},{r1:.1f} 0 {large} 0 {point(r1, a1)} Z"
    )


def fan_chart(viewer: TreeViewer, root: int, generations: int = 5) -> Chart:
    generations = max(2, min(generations, 8))
    numbers, loop = sosa_numbers(root, generations)
    lab = _Labeller(viewer, numbers.values())
    generations = max(2, max(n.bit_length() for n in numbers))
    ring = 90
    radius = ring * generations
    cx, cy = radius + 20, radius + 20
    parts = []
    for number, person in sorted(numbers.items()):
        generation = number.bit_length() - 1
        index = number - (1 << generation)
        sex = lab.sex(person)
        css = "private" if sex == "private" else f"sex-{sex}"
        name = escape(_clip(lab.name(person), 22))
        if generation == 0:
            shape = f'<circle class="{css}" cx="{cx}" cy="{cy}" r="{ring - 4}"/>'
            text = f'<text x="{cx}" y="{cy - 10}" text-anchor="middle">{name}</text>'
        else:
            span = math.pi / (1 << generation)
            a1 = math.pi - index * span
            a2 = a1 - span
            r1, r2 = ring * generation, ring * (generation + 1)
            shape = f'<path class="{css}" d="{_sector(cx, cy, r1, r2, a1, a2)}"/>'
            middle = (a1 + a2) / 2
            rm = (r1 + r2) / 2
            tx, ty = cx + rm * math.cos(middle), cy - rm * math.sin(middle)
            angle = -math.degrees(middle)
            if generation <= 2:
                angle = 90 - math.degrees(middle)  # along the ring while there is room
            if angle < -90:
                angle += 180
            text = (
                f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle" dominant-baseline="middle" '
                f'transform="rotate({angle:.1f} {tx:.1f} {ty:.1f})">{name}</text>'
            )
        inner = f"<title>{number}. {name} {escape(lab.dates(person))}</title>{shape}{text}"
        url = lab.url(person)
        parts.append(f'<a href="{escape(url)}">{inner}</a>' if url else f"<g>{inner}</g>")
    title = _("Fan chart of %(name)s") % {"name": lab.name(root)}
    body = f'<g class="fan">{"".join(parts)}</g>'
    return Chart("fan", _svg(2 * cx, cy + 20, body, title), len(numbers), loop)


CHARTS = {
    "pedigree": (pedigree_chart, 5),
    "descendants": (descendants_chart, 4),
    "hourglass": (hourglass_chart, 3),
    "fan": (fan_chart, 5),
}


def draw(kind: str, viewer: TreeViewer, root: int, generations: int | None = None) -> Chart:
    function, default = CHARTS[kind]
    return function(viewer, root, generations or default)
