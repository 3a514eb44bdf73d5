"""What the dashboard shows: figures (a chart and its table) and key-figure tiles."""

from dataclasses import dataclass, field

from .periods import Period


@dataclass
class Column:
    heading: str
    kind: str = "text"  # text | count | money | percent | area


@dataclass
class Figure:
    key: str
    title: str
    period: Period
    columns: list
    rows: list
    chart: str = "bars"  # bars (horizontal) | columns | line | flow (a waterfall)
    description: str = ""
    # What the chart draws: (label, value) pairs; a flow adds "total", "up" or "down".
    series: list = field(default_factory=list)
    series_kind: str = "count"
    definitions: list = field(default_factory=list)  # (term, definition) pairs
    # The kind of each row's values where it differs from the column's (a rate among counts).
    row_kinds: list = field(default_factory=list)
    # What the figure counts over, when it is more than ``period`` (ten years, twelve months).
    period_text: str = ""

    @property
    def counted_over(self):
        return self.period_text or str(self.period)

    @property
    def chart_shows_every_value(self):
        """Whether the chart prints each row's value, so that paper can do without the table."""
        return self.chart == "bars" and len(self.series) == len(self.rows)

    @property
    def table(self):
        """Return the rows as (cell, kind) pairs, for the template's formatting."""
        kinds = self.row_kinds or [None] * len(self.rows)
        return [
            [
                (cell, column.kind if column.kind == "text" else row_kind or column.kind)
                for cell, column in zip(row, self.columns, strict=True)
            ]
            for row, row_kind in zip(self.rows, kinds, strict=True)
        ]

    def as_csv_rows(self):
        yield [str(column.heading) for column in self.columns]
        for row in self.rows:
            yield ["" if cell is None else str(cell) for cell in row]


@dataclass
class KeyFigure:
    key: str
    label: str
    value: object
    previous: object
    kind: str  # count | money | percent
    period: Period
    figure: str = ""  # the key of the figure that details it

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous
