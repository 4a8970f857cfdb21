"""Writes the rendered fixture pages under pages/ (run once; the files are the fixtures).

    .venv/bin/python -m tests.scrapers.make_fixture_pages

Pages come from the sandbox renderers (every layout, block pages, a Spotify
page) plus real-world-like variants: a Highcharts page rebuilt from the real
weekly series in tests/fixtures/realdata/socialblade/yixlu_pewdiepie.csv, a page
truncated mid-script, and a data page that also embeds a login reCAPTCHA.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sandbox.pages.socialblade import BLOCK_PAGES, LAYOUTS, render_archived_page
from sandbox.pages.spotify import render_artist_page

from ..fixtures import realdata
from .scraper_fixture_series import CHANNEL_ID, CHANNEL_TITLE, fixture_points

PAGES = Path(__file__).resolve().parent / "pages"
PEWDIEPIE_WEEKS = realdata("socialblade/yixlu_pewdiepie.csv")
TIMESTAMP = "20200707143207"


def _realworld_pewdiepie() -> str:
    """Totals rebuilt from the real weekly gains (cumulative sums from a base), with the gains charts too."""
    with PEWDIEPIE_WEEKS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    subs, views, s_total, v_total = [], [], 100_000_000, 23_000_000_000
    for row in rows:
        start = dt.datetime.strptime(row["start_date"], "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
        ms = int((start + dt.timedelta(hours=4)).timestamp() * 1000)
        s_total += int(row["weekly_subscribers"])
        v_total += int(row["weekly_views"])
        subs.append((ms, s_total, int(row["weekly_subscribers"])))
        views.append((ms, v_total, int(row["weekly_views"])))

    def chart(container, title, series, index):
        data = ",".join(f"[{s[0]},{s[index]}]" for s in series)
        return (f"Highcharts.chart('{container}', {{ chart: {{ zoomType: 'x' }}, title: {{ text: '{title}' }},"
                f" xAxis: {{ type: 'datetime' }}, series: [{{ name: 'pewdiepie', color: '#cb0c0c', data: [{data}] }}],"
                f" navigation: {{ buttonOptions: {{ enabled: false }} }} }});")

    scripts = "\n".join([
        chart("graph-youtube-weekly-subscribers-container", "Weekly Subscribers Gained for pewdiepie", subs, 2),
        chart("graph-youtube-weekly-vidviews-container", "Weekly Video Views for pewdiepie", views, 2),
        chart("graph-youtube-monthly-subscribers-container", "Total Subscribers for pewdiepie", subs, 1),
        chart("graph-youtube-monthly-vidviews-container", "Total Video Views for pewdiepie", views, 1),
    ])
    return (f"<!DOCTYPE html><html><head><title>pewdiepie's YouTube Stats (Summary Profile) - Social Blade Stats</title>"
            f"</head><body><!-- BEGIN WAYBACK TOOLBAR INSERT --><div id=\"wm-ipp-base\"></div><!-- END WAYBACK TOOLBAR INSERT -->"
            f"<div id=\"YouTubeUserTopInfoBlock\">Subscribers 108M</div>\n<script type=\"text/javascript\">\n$(function () {{\n"
            f"{scripts}\n}});\n</script></body></html>")


def main() -> None:
    PAGES.mkdir(exist_ok=True)
    points = fixture_points()
    for layout in LAYOUTS:
        html = render_archived_page(CHANNEL_TITLE, CHANNEL_ID, points, layout, timestamp=TIMESTAMP)
        (PAGES / f"sb_rendered_{layout}.html").write_text(html, encoding="utf-8")
    for i, page in enumerate(BLOCK_PAGES):
        (PAGES / f"block_rendered_{i}.html").write_text(page, encoding="utf-8")
    highcharts = (PAGES / "sb_rendered_highcharts.html").read_text(encoding="utf-8")
    cut = highcharts.index("graph-youtube-monthly-vidviews-container', {") + 200
    (PAGES / "sb_truncated_highcharts.html").write_text(highcharts[:cut], encoding="utf-8")
    login = highcharts.replace(
        '<div id="footer">',
        '<form id="login"><div class="g-recaptcha" data-sitekey="6LcXXXXAAAAAAFakeSiteKey"></div>'
        '<script src="https://www.google.com/recaptcha/api.js"></script></form>\n<div id="footer">',
    )
    (PAGES / "sb_with_login_recaptcha.html").write_text(login, encoding="utf-8")
    (PAGES / "sb_realworld_pewdiepie.html").write_text(_realworld_pewdiepie(), encoding="utf-8")
    (PAGES / "spotify_rendered.html").write_text(render_artist_page("Daily Views & Subs", 1_234_567,
                                                                    "4Z8W4fKeB5YxbusRsdQVPb"), encoding="utf-8")


if __name__ == "__main__":
    main()
