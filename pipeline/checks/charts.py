"""The report's charts, as geometry for an inline SVG.

Only the numbers are worked out here (where each bar starts and ends, where the
target line falls); the SVG itself, its words and its colours are in
``styles/templates/report.html``, so the template escapes every heading and a
clinic can restyle the chart. No JavaScript, nothing fetched.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# The grade chart, in SVG user units (CSS pixels at 100 %).
CHART_WIDTH = 640
BAR_AREA = 480  # the longest bar the scale allows; the rest is for the grade after it
LABEL_HEIGHT = 20  # each section's heading, on a line of its own above its bar
BAR_HEIGHT = 18
ROW_GAP = 10
AXIS_HEIGHT = 24  # the grades along the bottom
TOP = 24  # room for the target line's label
LEFT = 12  # room for the axis's first grade
TICKS = 10  # about this many grades along the axis


@dataclass(frozen=True)
class Bar:
    title: str
    grade: float
    over: bool  # above the target grade
    label_y: float
    y: float
    length: float  # 0 for a grade of 0 or below (textstat's formula can go under 0)


@dataclass(frozen=True)
class GradeChart:
    bars: tuple[Bar, ...]
    target: float
    target_x: float
    top: float
    left: int
    bottom: float  # where the bars end and the axis begins
    width: int
    height: float
    bar_height: int
    ticks: tuple[tuple[int, float], ...]  # (grade, x)

    @property
    def over(self) -> tuple[Bar, ...]:
        return tuple(bar for bar in self.bars if bar.over)


def grade_chart(sections: list[dict], target: float) -> GradeChart | None:
    """One bar a measured section (``report.readability["sections"]``), against ``target``;
    None when there is nothing to draw."""
    measured = [section for section in sections if section.get("sentences")]
    if not measured:
        return None
    highest = max([target, *(section["flesch_kincaid_grade"] for section in measured)])
    scale_top = max(1, math.ceil(highest) + 1)  # a grade past the target still has room
    per_grade = BAR_AREA / scale_top
    bars, y = [], TOP
    for section in measured:
        grade = section["flesch_kincaid_grade"]
        bars.append(Bar(section["title"], grade, grade > target, label_y=y + LABEL_HEIGHT - 6,
                        y=y + LABEL_HEIGHT, length=round(max(grade, 0) * per_grade, 2)))
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    step = next(step for step in (1, 2, 5, 10, 20, 50) if scale_top / step <= TICKS) \
        if scale_top <= 50 * TICKS else math.ceil(scale_top / TICKS)
    ticks = tuple((grade, round(grade * per_grade, 2)) for grade in range(0, scale_top + 1, step))
    return GradeChart(bars=tuple(bars), target=target, target_x=round(target * per_grade, 2),
                      top=TOP, left=LEFT, bottom=y, width=CHART_WIDTH, height=y + AXIS_HEIGHT,
                      bar_height=BAR_HEIGHT, ticks=ticks)
