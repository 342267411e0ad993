"""A genogram laid out as plain geometry, for a template to draw as SVG. No views, no queries.

Conventions (as social workers draw them by hand): generations are rows, parents, step-parents and
carers above, the person and their siblings in the middle (oldest on the left), their children
below; squares for male, circles for female, diamonds when the sex is not known, a triangle for
an unborn child; the person the drawing is about has a double outline; a cross marks someone who
has died. Solid lines join parent and child, dotted lines a step-parent or carer, dashed lines a
relationship that has ended, and a double line half-siblings. A relative the reader may not see
is a grey diamond labelled "Restricted record", with nothing else about them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .models import Person, Relationship
from .selectors import RESTRICTED_LABEL, Family, FamilyMember, age_text

NODE = 40  # width of a symbol
HALF = NODE // 2
COLUMN = 220  # symbol, then a label to its right
ROW = 170
MARGIN_X = 30
TOP = 50
LABEL_CHARS = 22


@dataclass
class Node:
    person_id: int
    x: int
    y: int
    shape: str  # square, circle, diamond, triangle
    lines: list[str]
    href: str = ""
    focus: bool = False
    deceased: bool = False
    restricted: bool = False

    @property
    def left(self) -> int:
        return self.x - HALF

    @property
    def top(self) -> int:
        return self.y - HALF

    @property
    def outer_left(self) -> int:
        return self.x - HALF - 5

    @property
    def outer_top(self) -> int:
        return self.y - HALF - 5

    @property
    def cross(self) -> str:
        x, y, h = self.x, self.y, HALF + 6
        return f"M{x - h},{y - h} L{x + h},{y + h} M{x + h},{y - h} L{x - h},{y + h}"

    @property
    def link_box(self) -> tuple[int, int, int, int]:
        """The clickable area: the symbol and its label."""
        return (self.x - HALF - 6, self.y - HALF - 10, COLUMN - 14, NODE + 24)

    @property
    def points(self) -> str:
        """Polygon points for a diamond or triangle."""
        x, y, h = self.x, self.y, HALF
        if self.shape == "triangle":
            return f"{x},{y - h} {x + h},{y + h} {x - h},{y + h}"
        return f"{x},{y - h} {x + h},{y} {x},{y + h} {x - h},{y}"

    @property
    def outer_points(self) -> str:
        x, y, h = self.x, self.y, HALF + 5
        return f"{x},{y - h} {x + h},{y} {x},{y + h} {x - h},{y}"

    @property
    def label_x(self) -> int:
        return self.x + HALF + 10

    @property
    def label_rows(self) -> list[tuple[int, str, bool]]:
        """(y, text, bold) for each line of the label."""
        first = self.y - 14
        return [(first + 18 * i, text, i == 0) for i, text in enumerate(self.lines)]


@dataclass
class Line:
    d: str
    dash: str = ""  # SVG stroke-dasharray
    double: bool = False


@dataclass
class Genogram:
    width: int
    height: int
    title: str
    description: str
    nodes: list[Node] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _truncate(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _shape(person: Person | None) -> str:
    if person is None:
        return "diamond"
    if person.is_unborn:
        return "triangle"
    return {Person.Sex.MALE: "square", Person.Sex.FEMALE: "circle"}.get(person.sex, "diamond")  # type: ignore[call-overload]


def _node(person: Person | None, person_id: int, x: int, y: int, label: str, *, today: date, href: str,
          focus: bool = False) -> Node:
    if person is None:
        return Node(person_id, x, y, "diamond", [RESTRICTED_LABEL, label], restricted=True)
    lines = [_truncate(person.full_name), label, age_text(person, today)]
    return Node(person_id, x, y, _shape(person), [line for line in lines if line], href=href, focus=focus,
                deceased=person.date_of_death is not None)


def _row_xs(count: int, width: int) -> list[int]:
    start = (width - count * COLUMN) // 2 + HALF + 10
    return [start + i * COLUMN for i in range(count)]


def _above_order(member: FamilyMember) -> tuple:
    kind_rank = {Relationship.Kind.PARENT: 0, Relationship.Kind.STEP_PARENT: 1, Relationship.Kind.CARER: 2}
    sex_rank = {"M": 0, "F": 1}.get(member.person.sex, 2) if member.person is not None else 3
    return (kind_rank.get(member.relationship.kind, 3), sex_rank, member.person_id)  # type: ignore[call-overload]


def _elbow(x1: int, y1: int, x2: int, y2: int, bar_y: int) -> str:
    return f"M{x1},{y1} V{bar_y} H{x2} V{y2}"


def _dash(kind: str, ended: bool) -> str:
    if ended:
        return "9 6"
    if kind in (Relationship.Kind.STEP_PARENT, Relationship.Kind.CARER):
        return "2 5"
    return ""


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _description(family: Family, today: date) -> str:
    person = family.person
    parts = []
    for group, where, one, many in (("above", "above", "parent or carer", "parents or carers"),
                                    ("level", "beside them", "sibling", "siblings"),
                                    ("below", "below", "child", "children"),
                                    ("around", "to the right", "other person", "other people")):
        count = len(family.in_group(group))
        if count:
            parts.append(f"{_plural(count, one, many)} {where}")
    hidden = family.hidden_count
    restricted = f" {_plural(hidden, 'restricted record')} shown without a name." if hidden else ""
    summary = ", ".join(parts) if parts else "no relatives recorded"
    return (f"{person.full_name}, {age_text(person, today).lower()}, with {summary}.{restricted} "
            "The table below gives the same information.")


def layout(family: Family, *, today: date, href_for: dict[int, str]) -> Genogram:
    """Place every member of ``family`` on the drawing.

    ``href_for`` gives the link of each record the reader may open.
    """
    focus = family.person
    # Someone recorded twice (a parent who is also a household member) is drawn once, in their closest role.
    drawn: set[int] = {focus.pk}

    def once(members: list[FamilyMember]) -> list[FamilyMember]:
        kept = [m for m in members if m.person_id not in drawn]
        kept = [m for i, m in enumerate(kept) if m.person_id not in {k.person_id for k in kept[:i]}]
        drawn.update(m.person_id for m in kept)
        return kept

    above = once(sorted(family.in_group("above"), key=_above_order))
    below = once(family.in_group("below"))
    level = once(family.in_group("level"))  # already oldest first
    around = once(family.in_group("around"))

    # The person among their siblings, in order of age.
    focus_born = focus.date_of_birth or focus.expected_date_of_birth or date.max
    middle: list[FamilyMember | None] = []
    placed = False
    for member in level:
        born = member.person.date_of_birth if member.person is not None else None
        if not placed and born is not None and born > focus_born:
            middle.append(None)
            placed = True
        middle.append(member)
    if not placed:
        middle.append(None)
    middle.extend(around)

    widest = max(len(above), len(middle), len(below), 2)
    width = widest * COLUMN + 2 * MARGIN_X
    y = TOP
    y_above = y if above else None
    if above:
        y += ROW
    y_level = y
    y_below = y_level + ROW if below else None
    # Room beneath the middle row for the sibling and household lines when there is no row below it.
    height = (y_below or y_level + 8 * (len(level) + len(around))) + HALF + 45

    nodes: dict[int, Node] = {}
    drawing = Genogram(width=width, height=height, title=f"Family network of {focus.full_name}",
                       description=_description(family, today))

    for slot, x in zip(middle, _row_xs(len(middle), width), strict=True):
        if slot is None:
            nodes[focus.pk] = _node(focus, focus.pk, x, y_level, "", today=today, href="", focus=True)
        else:
            nodes[slot.person_id] = _node(slot.person, slot.person_id, x, y_level, slot.label, today=today,
                                          href=href_for.get(slot.person_id, ""))
    if y_above is not None:
        for member, x in zip(above, _row_xs(len(above), width), strict=True):
            nodes[member.person_id] = _node(member.person, member.person_id, x, y_above, member.label, today=today,
                                            href=href_for.get(member.person_id, ""))
    if y_below is not None:
        for member, x in zip(below, _row_xs(len(below), width), strict=True):
            nodes[member.person_id] = _node(member.person, member.person_id, x, y_below, member.label, today=today,
                                            href=href_for.get(member.person_id, ""))
    me = nodes[focus.pk]

    # Parents and their children, as genograms draw them: a couple joined beneath their symbols, one line
    # down from the couple (or the lone parent) to a bar, and each of their children hanging from the bar.
    # Step-parents and carers get their own dotted line to each child they care for.
    drawn_parents: dict[int, set[int]] = {}
    if y_above is not None:
        above_ids = {m.person_id for m in above}
        level_ids = {pid for pid, node in nodes.items() if node.y == y_level}
        groups: dict[frozenset[int], list[tuple[int, bool]]] = {}
        by_child: dict[int, list[tuple[int, bool]]] = {}
        for rank, (parent_id, child_id, kind, ended) in enumerate(sorted(family.links)):
            if parent_id not in above_ids or child_id not in level_ids:
                continue
            drawn_parents.setdefault(child_id, set()).add(parent_id)
            if kind == Relationship.Kind.PARENT:
                by_child.setdefault(child_id, []).append((parent_id, ended))
            else:
                parent, child = nodes[parent_id], nodes[child_id]
                bar = y_above + HALF + 22 + 7 * (rank % 4)
                drawing.lines.append(Line(_elbow(parent.x, parent.y + HALF, child.x, child.y - HALF, bar),
                                          dash=_dash(kind, ended)))
        for child_id, links in by_child.items():
            groups.setdefault(frozenset(p for p, _ in links), []).append(
                (child_id, all(ended for _, ended in links)))
        for index, (parent_ids, children) in enumerate(sorted(groups.items(), key=lambda g: sorted(g[0]))):
            xs = sorted(nodes[p].x for p in parent_ids)
            couple_y = y_above + HALF + 16 + 6 * index
            if len(xs) > 1:
                for x in xs:
                    drawing.lines.append(Line(f"M{x},{y_above + HALF} V{couple_y}"))
                drawing.lines.append(Line(f"M{xs[0]},{couple_y} H{xs[-1]}"))
                drop_x, drop_y = (xs[0] + xs[-1]) // 2, couple_y
            else:
                drop_x, drop_y = xs[0], y_above + HALF
            bar_y = y_level - HALF - 34 - 7 * index
            child_xs = [nodes[c].x for c, _ in children]
            drawing.lines.append(Line(f"M{drop_x},{drop_y} V{bar_y}"))
            drawing.lines.append(Line(f"M{min([drop_x, *child_xs])},{bar_y} H{max([drop_x, *child_xs])}"))
            for child_id, ended in children:
                child = nodes[child_id]
                drawing.lines.append(Line(f"M{child.x},{bar_y} V{child.y - HALF}", dash="9 6" if ended else ""))
    # Siblings not already joined through a parent they share in the drawing are joined to the person directly;
    # a half-sibling always, by the double line.
    mine = drawn_parents.get(focus.pk, set())
    rank = 0
    for brother_or_sister in level:
        kind = brother_or_sister.relationship.kind
        sibling = nodes[brother_or_sister.person_id]
        if kind == Relationship.Kind.SIBLING and mine & drawn_parents.get(brother_or_sister.person_id, set()):
            continue
        bar = y_level + HALF + 14 + 8 * rank  # beneath the row, clear of the lines from the parents
        rank += 1
        drawing.lines.append(Line(_elbow(me.x, me.y + HALF, sibling.x, sibling.y + HALF, bar),
                                  dash=_dash(kind, not brother_or_sister.is_current),
                                  double=kind == Relationship.Kind.HALF_SIBLING))
    # Household members and significant others: a dotted curve beneath the row.
    for i, member in enumerate(around):
        other = nodes[member.person_id]
        dip = y_level + HALF + 30 + 8 * (rank + i)
        drawing.lines.append(Line(f"M{me.x},{me.y + HALF} C{me.x},{dip} {other.x},{dip} {other.x},{other.y + HALF}",
                                  dash="9 6" if not member.is_current else "2 5"))
    # The person's own children.
    if y_below is not None:
        for member in below:
            child = nodes[member.person_id]
            bar = y_level + HALF + 24 + 8 * (rank + len(around))
            drawing.lines.append(Line(_elbow(me.x, me.y + HALF, child.x, child.y - HALF, bar),
                                      dash=_dash(member.relationship.kind, not member.is_current)))
    drawing.nodes = list(nodes.values())
    return drawing
