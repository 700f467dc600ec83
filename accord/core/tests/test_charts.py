import re

from accord.core.charts import Series, bar_chart, line_chart


def test_line_chart_is_inline_svg_without_scripts_or_remote_urls():
    svg = str(
        line_chart(
            title="Won <per> quarter",
            labels=["Q1", "Q2", "Q3"],
            series=[Series("Target", [10, 20, 30]), Series("Won", [8, None, 31])],
        )
    )
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert not re.search(r"(?:href|src)=\"(?:https?:)?//", svg)
    assert "<title>Won &lt;per&gt; quarter</title>" in svg
    assert 'role="img"' in svg
    assert "Target" in svg and "Won" in svg


def test_bar_chart_stacked_and_horizontal():
    svg = str(
        bar_chart(
            title="Signals",
            labels=["Topic A", "Topic B"],
            series=[Series("Threat", [1, 2]), Series("Request", [3, 0])],
            stacked=True,
            horizontal=True,
        )
    )
    assert "<svg" in svg and "Topic A" in svg
