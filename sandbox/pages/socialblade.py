"""Archived Social Blade ``/youtube/channel/<id>/monthly`` pages, in every chart layout the parsers must read.

``points`` maps a metric to the weekly cumulative totals of one snapshot's chart
window. Each layout reproduces one era of the real site: Highcharts series,
Dygraphs CSV strings, an embedded CSV export, a plain history table, and a
"broken" capture whose chart data was loaded by XHR and so never archived.
Weekly-gains charts are rendered next to the totals, as on the real pages, so
parsers must tell the two apart.
"""

from __future__ import annotations

import datetime as dt
import html
import json

from sandbox.pages.counts import abbreviated, abbreviated_if_exact, with_commas
from sandbox.pages.wayback_chrome import footer_comment, head_include, toolbar

LAYOUTS = ("highcharts", "dygraphs", "csv", "table", "broken")

Points = dict[str, list[tuple[dt.date, int]]]

_HC_CONTAINER = {"subscribers": "subscribers", "views": "vidviews", "videos": "videos"}
_HC_TITLE = {"subscribers": "Total Subscribers", "views": "Total Video Views", "videos": "Total Uploads"}
_DY_DIV = {"subscribers": "graphdivtotalsubs", "views": "graphdivtotalviews", "videos": "graphdivtotalvideos"}


def _epoch_ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp() * 1000)


def _gains(series: list[tuple[dt.date, int]]) -> list[tuple[dt.date, int]]:
    return [(d, v - prev) for (_, prev), (d, v) in zip(series, series[1:])]


def _latest(points: Points, metric: str) -> int:
    series = points.get(metric) or []
    return series[-1][1] if series else 0


def _snapshot_timestamp(points: Points) -> str:
    last = max((s[-1][0] for s in points.values() if s), default=dt.date(2020, 1, 5))
    return (last + dt.timedelta(days=2)).strftime("%Y%m%d") + "143207"


def _highcharts(points: Points, channel_title: str) -> str:
    name = json.dumps(channel_title)
    charts = []
    for metric, series in points.items():
        data = ",".join(f"[{_epoch_ms(d)},{v}]" for d, v in series)
        container = f"graph-youtube-monthly-{_HC_CONTAINER[metric]}-container"
        title = json.dumps(f"{_HC_TITLE[metric]} for {channel_title}")
        body = f"""{{
        chart: {{ zoomType: 'x', backgroundColor: '#fff', style: {{ fontFamily: 'Lato' }} }},
        title: {{ text: {title} }},
        xAxis: {{ type: 'datetime', dateTimeLabelFormats: {{ day: '%b %e', week: '%b %e' }} }},
        yAxis: {{ title: {{ text: '' }}, labels: {{ formatter: function() {{ return Highcharts.numberFormat(this.value, 0, '.', ','); }} }} }},
        tooltip: {{ shared: true, crosshairs: true }},
        credits: {{ enabled: false }}, legend: {{ enabled: false }},
        series: [{{ name: {name}, color: '#cb0c0c', data: [{data}] }}],
        navigation: {{ buttonOptions: {{ enabled: false }} }}
    }}"""
        if metric == "videos":  # older captures still used the Highcharts 4 constructor for this one
            body = body.replace("chart: {", f"chart: {{ renderTo: '{container}',", 1)
            charts.append(f"var chart_{metric} = new Highcharts.Chart({body});")
        else:
            charts.append(f"Highcharts.chart('{container}', {body});")
        gains = ",".join(f"[{_epoch_ms(d)},{v}]" for d, v in _gains(series))
        charts.append(
            f"Highcharts.chart('graph-youtube-weekly-{_HC_CONTAINER[metric]}-gained-container', {{"
            f" chart: {{ type: 'column' }}, title: {{ text: 'Weekly {_HC_TITLE[metric][6:]} Gained' }},"
            f" series: [{{ name: {name}, data: [{gains}] }}] }});"
        )
    divs = "".join(
        f'<div id="graph-youtube-monthly-{_HC_CONTAINER[m]}-container" style="height:250px"></div>\n'
        f'<div id="graph-youtube-weekly-{_HC_CONTAINER[m]}-gained-container" style="height:180px"></div>\n'
        for m in points
    )
    script = "\n".join(charts)
    return f"""{divs}<script src="https://web.archive.org/web/20200105000000js_/https://code.highcharts.com/highcharts.js"></script>
<script type="text/javascript">
$(function () {{
{script}
}});
</script>"""


def _dygraphs(points: Points, channel_title: str) -> str:
    parts = []
    for metric, series in points.items():
        div = _DY_DIV[metric]
        rows = " +\n        ".join(f'"{d:%Y%m%d},{v}\\n"' for d, v in series)
        parts.append(
            f'<div id="{div}" style="width:860px;height:250px;"></div>\n<script type="text/javascript">\n'
            f"  g_{metric} = new Dygraph(document.getElementById(\"{div}\"),\n"
            f'        "Date,{_HC_TITLE[metric]}\\n" +\n        {rows},\n'
            f"        {{ title: 'Weekly {_HC_TITLE[metric]}', showRoller: false, labelsKMB: true, colors: ['#cb0c0c'],"
            f" strokeWidth: 2, axisLabelFontSize: 11 }});\n</script>"
        )
        gains = " +\n        ".join(f'"{d:%Y%m%d},{v}\\n"' for d, v in _gains(series))
        weekly_div = div.replace("total", "weekly")
        parts.append(
            f'<div id="{weekly_div}"></div>\n<script type="text/javascript">\n'
            f"  new Dygraph(document.getElementById(\"{weekly_div}\"), \"Date,Weekly Gained\\n\" +\n        {gains or chr(34) * 2},"
            f" {{ labelsKMB: true }});\n</script>"
        )
    return "\n".join(parts)


def _merged_rows(points: Points) -> list[tuple[dt.date, dict[str, int]]]:
    rows: dict[dt.date, dict[str, int]] = {}
    for metric, series in points.items():
        for d, v in series:
            rows.setdefault(d, {})[metric] = v
    return sorted(rows.items())


def _csv(points: Points, channel_title: str) -> str:
    metrics = list(points)
    header = "Date," + ",".join(m.capitalize() for m in metrics)
    lines = [header] + [f"{d:%Y-%m-%d}," + ",".join(str(vals.get(m, "")) for m in metrics) for d, vals in _merged_rows(points)]
    blob = "\\n".join(lines)
    return f"""<div class="sb-export"><a href="#" onclick="sbDownloadCsv(); return false;">Export history as CSV</a></div>
<script type="text/javascript">
  var sbChannel = {json.dumps(channel_title)};
  var sbHistoryCsv = "{blob}";
  function sbDownloadCsv() {{ var b = new Blob([sbHistoryCsv], {{type: 'text/csv'}}); saveAs(b, 'history.csv'); }}
</script>"""


def _table(points: Points, channel_title: str) -> str:
    metrics = list(points)
    labels = {"subscribers": "Subscribers", "views": "Video Views", "videos": "Videos"}
    head = "".join(f"<th>{labels[m]}</th>" for m in metrics)
    body, previous = [], {}
    for d, vals in _merged_rows(points):
        cells = []
        for m in metrics:
            if m not in vals:
                cells.append("<td>--</td>")
                continue
            value = vals[m]
            shown = abbreviated_if_exact(value) if m == "subscribers" else with_commas(value)
            delta = value - previous.get(m, value)
            colour = "#41a200" if delta >= 0 else "#e53b3b"
            cells.append(f'<td>{shown} <span style="color:{colour}">{delta:+,}</span></td>')
            previous[m] = value
        body.append(f"<tr><td>{d:%Y-%m-%d} {d:%a}</td>{''.join(cells)}</tr>")
    rows = "\n      ".join(body)
    return f"""<h3>Weekly history for {html.escape(channel_title)}</h3>
<table class="table table-striped" id="sb-history">
  <thead><tr><th>Date</th>{head}</tr></thead>
  <tbody>
      {rows}
  </tbody>
</table>"""


def _broken(points: Points, channel_title: str, channel_id: str) -> str:
    # A redesign fetched chart data by XHR after load; the archive kept only the empty shells.
    return f"""<div id="graph-youtube-monthly-subscribers-container" class="sb-chart-loading">Loading chart…</div>
<div id="graph-youtube-monthly-vidviews-container" class="sb-chart-loading">Loading chart…</div>
<script type="text/javascript">
  $.getJSON('/youtube/channel/{channel_id}/monthly/chart-data', function (payload) {{
      Highcharts.chart('graph-youtube-monthly-subscribers-container', {{ series: payload.subscribers }});
      Highcharts.chart('graph-youtube-monthly-vidviews-container', {{ series: payload.views }});
  }}).fail(function () {{ $('.sb-chart-loading').text('Chart data unavailable.'); }});
</script>"""


def _stats_header(points: Points, channel_title: str, channel_id: str) -> str:
    subs, views, videos = (_latest(points, m) for m in ("subscribers", "views", "videos"))
    return f"""<div id="YouTubeUserTopInfoBlockTop">
  <div style="float:left;"><img id="YouTubeUserTopInfoAvatar" src="https://yt3.ggpht.com/a/{channel_id}=s88-c-k" alt="{html.escape(channel_title)}"></div>
  <h1 style="float:left;font-size:1.4em;">{html.escape(channel_title)}</h1>
</div>
<div id="YouTubeUserTopInfoBlock">
  <div class="YouTubeUserTopInfo"><span class="YouTubeUserTopLight">Uploads</span><br><span style="font-weight:bold;">{with_commas(videos)}</span></div>
  <div class="YouTubeUserTopInfo"><span class="YouTubeUserTopLight">Subscribers</span><br><span style="font-weight:bold;">{abbreviated(subs, 2)}</span></div>
  <div class="YouTubeUserTopInfo"><span class="YouTubeUserTopLight">Video Views</span><br><span style="font-weight:bold;">{with_commas(views)}</span></div>
  <div class="YouTubeUserTopInfo"><span class="YouTubeUserTopLight">Country</span><br><span style="font-weight:bold;" id="youtube-user-page-country">US</span></div>
  <div class="YouTubeUserTopInfo"><span class="YouTubeUserTopLight">Channel Type</span><br><span style="font-weight:bold;" id="youtube-user-page-channeltype">Music</span></div>
</div>"""


def render_archived_page(
    channel_title: str,
    channel_id: str,
    points: Points,
    layout: str,
    timestamp: str | None = None,
) -> str:
    """One archived ``/monthly`` page as the Wayback Machine would replay it."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    points = {m: sorted(s) for m, s in points.items() if m in _HC_TITLE}
    timestamp = timestamp or _snapshot_timestamp(points)
    original = f"https://socialblade.com/youtube/channel/{channel_id}/monthly"
    charts = {
        "highcharts": lambda: _highcharts(points, channel_title),
        "dygraphs": lambda: _dygraphs(points, channel_title),
        "csv": lambda: _csv(points, channel_title),
        "table": lambda: _table(points, channel_title),
        "broken": lambda: _broken(points, channel_title, channel_id),
    }[layout]()
    title = html.escape(channel_title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>{head_include(original, timestamp)}
<meta charset="utf-8">
<title>{title}'s YouTube Stats (Summary Profile) - Social Blade Stats</title>
<meta name="description" content="Get the latest YouTube subscriber count, video views and monthly statistics for {title}.">
<link rel="stylesheet" href="https://web.archive.org/web/{timestamp}cs_/https://socialblade.com/css/main.css?v=1.4">
<script src="https://web.archive.org/web/{timestamp}js_/https://ajax.googleapis.com/ajax/libs/jquery/3.4.1/jquery.min.js"></script>
<script async src="https://web.archive.org/web/{timestamp}js_/https://www.googletagmanager.com/gtag/js?id=UA-21707339-1"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date()); gtag('config', 'UA-21707339-1');</script>
</head>
<body>
{toolbar(original, timestamp)}
<div id="TopMenuContainer">
  <a href="/web/{timestamp}/https://socialblade.com/"><img src="/web/{timestamp}im_/https://socialblade.com/img/logo.png" alt="Social Blade"></a>
  <ul class="TopMenu">
    <li><a href="/web/{timestamp}/https://socialblade.com/youtube/">YouTube</a></li>
    <li><a href="/web/{timestamp}/https://socialblade.com/twitch/">Twitch</a></li>
    <li><a href="/web/{timestamp}/https://socialblade.com/instagram/">Instagram</a></li>
    <li><a href="/web/{timestamp}/https://socialblade.com/youtube/top/100">Top Lists</a></li>
  </ul>
  <form action="/web/{timestamp}/https://socialblade.com/search/search" method="get"><input name="query" placeholder="Search YouTube user"></form>
</div>
<div id="sb-ad-leaderboard"><ins class="adsbygoogle" data-ad-client="ca-pub-0000000000000000" data-ad-slot="1234567890"></ins></div>
{_stats_header(points, channel_title, channel_id)}
<div id="socialblade-user-content">
  <div class="sb-nav-tabs"><a href="../">Summary</a> <a class="active" href="monthly">Detailed Statistics</a> <a href="futureprojections">Future Projections</a> <a href="videos">Videos</a></div>
{charts}
</div>
<div id="footer">© 2008-2022 Social Blade LLC · <a href="/web/{timestamp}/https://socialblade.com/info/privacy">Privacy</a></div>
</body>
</html>{footer_comment(timestamp)}"""


BLOCK_PAGES = (
    """<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
<style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15}</style>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "socialblade.com",cType: 'managed',cNounce: '57263',cRay: '8e4f1c2b9a7d3f10',cHash: 'a1f0e1d2c3b4a596'};})();</script>
</head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">socialblade.com</h1>
<h2 id="challenge-running" class="h2">Checking if the site connection is secure</h2>
<noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper"></span>Enable JavaScript and cookies to continue</div></div></noscript>
<form id="challenge-form" action="/youtube/channel/monthly?__cf_chl_f_tk=q1w2e3" method="POST" enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="x"></form>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8e4f1c2b9a7d3f10"></script>
</div></div><div class="footer" role="contentinfo"><div class="footer-inner">Ray ID: <code>8e4f1c2b9a7d3f10</code> Performance &amp; security by Cloudflare</div></div></body></html>""",
    """<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<html class="no-js" lang="en-US"><head><title>Attention Required! | Cloudflare</title>
<meta charset="UTF-8" /><meta name="robots" content="noindex, nofollow" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/cf.errors.css" />
</head><body><div id="cf-wrapper"><div id="cf-error-details" class="cf-error-details-wrapper">
<div class="cf-wrapper cf-header cf-error-overview"><h1 data-translate="block_headline">Sorry, you have been blocked</h1>
<h2 class="cf-subheadline"><span data-translate="unable_to_access">You are unable to access</span> socialblade.com</h2></div>
<div class="cf-section cf-highlight"><div class="cf-wrapper"><div class="cf-screenshot-container cf-screenshot-full"></div></div></div>
<div class="cf-section cf-wrapper"><div class="cf-columns two"><div class="cf-column"><h2 data-translate="blocked_why_headline">Why have I been blocked?</h2>
<p>This website is using a security service to protect itself from online attacks.</p></div>
<div class="cf-column"><h2>What can I do to resolve this?</h2><p>You can email the site owner to let them know you were blocked.</p></div></div></div>
<div class="cf-error-footer cf-wrapper"><p><span>Cloudflare Ray ID: <strong>8e4f1d77ce2a0b41</strong></span></p></div>
</div></div></body></html>""",
    """<html><head><title>429 Too Many Requests</title></head>
<body><center><h1>429 Too Many Requests</h1></center>
<p>You have sent too many requests in a given amount of time. Please slow down; the Wayback Machine allows at most 15 requests per minute from one address.</p>
<hr><center>nginx</center></body></html>""",
)


def render_block_page(variant: int = 0) -> str:
    """A rate-limit / CAPTCHA page (Cloudflare challenge, Cloudflare block, Wayback 429), served with 429/403 or even 200."""
    return BLOCK_PAGES[variant % len(BLOCK_PAGES)]
