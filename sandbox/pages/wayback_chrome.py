"""The markup the Wayback Machine wraps around every archived page (rewrite JS, toolbar, footer comment)."""

from __future__ import annotations

import datetime as dt


def head_include(original_url: str, timestamp: str) -> str:
    """Wayback's rewrite scripts, injected right after ``<head>``."""
    epoch = int(dt.datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc).timestamp())
    return f"""<script type="text/javascript" src="/_static/js/bundle-playback.js?v=1B2M2Y8A" charset="utf-8"></script>
<script type="text/javascript" src="/_static/js/wombat.js?v=txqj7nKC" charset="utf-8"></script>
<script type="text/javascript">
  __wm.init("https://web.archive.org/web");
  __wm.wombat("{original_url}","{timestamp}","https://web.archive.org/","web","/_static/",
              "{epoch}");
</script>
<link rel="stylesheet" type="text/css" href="/_static/css/banner-styles.css?v=S1zqJCYt" />
<link rel="stylesheet" type="text/css" href="/_static/css/iconochive.css?v=qtvMKcIJ" />
<!-- End Wayback Rewrite JS Include -->
"""


def toolbar(original_url: str, timestamp: str, captures: int = 37) -> str:
    """The toolbar inserted at the top of ``<body>`` (it has its own tables and numbers: noise for parsers)."""
    when = dt.datetime.strptime(timestamp, "%Y%m%d%H%M%S")
    return f"""<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<script>__wm.rw(0);</script>
<div id="wm-ipp-base" lang="en" style="display:none;direction:ltr;">
<div id="wm-ipp" style="position:fixed;left:0;top:0;right:0;">
<div id="wm-ipp-inside">
  <div id="wm-logo" style="float:left;width:110px;padding-top:12px;">
    <a href="/web/" title="Wayback Machine home page"><img src="/_static/images/toolbar/wayback-toolbar-logo-200.png" alt="Wayback Machine" width="100" height="26" border="0" /></a>
  </div>
  <div class="c">
    <div class="u" style="display:table-row;">
      <form target="_top" method="get" action="/web/submit" name="wmtb" id="wmtb"><input type="text" name="url" id="wmtbURL" value="{original_url}" onfocus="this.focus();this.select();" /><input type="hidden" name="type" value="replay" /><input type="hidden" name="date" value="{timestamp}" /><input type="submit" value="Go" /></form>
    </div>
    <div class="n">
      <table><tbody><tr>
        <td class="b" nowrap="nowrap"><a href="/web/{when:%Y%m%d}000000*/{original_url}" title="{captures} captures">{captures} captures</a></td>
        <td class="c" id="displayDayEl"><span>{when.day:02d}</span></td>
        <td class="f" nowrap="nowrap">{when:%b} {when.year}</td>
      </tr></tbody></table>
    </div>
    <div class="r" style="float:right;"><a href="https://archive.org/account/login.php">Log in</a> | <a href="/details/socialblade.com">About this capture</a></div>
  </div>
</div>
</div>
</div>
<div id="wm-ipp-print">The Wayback Machine - https://web.archive.org/web/{timestamp}/{original_url}</div>
<script type="text/javascript">__wm.bt(675,27,25,2,"web","{original_url}","{when:%Y-%m-%d}",1996,"/_static/",["/_static/css/banner-styles.css?v=S1zqJCYt","/_static/css/iconochive.css?v=qtvMKcIJ"], false);
  __wm.rw(1);
</script>
<!-- END WAYBACK TOOLBAR INSERT -->
"""


def footer_comment(timestamp: str) -> str:
    """The archive comment Wayback appends after ``</html>``."""
    when = dt.datetime.strptime(timestamp, "%Y%m%d%H%M%S")
    return f"""
<!--
     FILE ARCHIVED ON {when:%H:%M:%S %b %d, %Y} AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON 08:12:41 Mar 14, 2024.
     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.

     ALL OTHER CONTENT MAY ALSO BE PROTECTED BY COPYRIGHT (17 U.S.C.
     SECTION 108(a)(3)).
-->
<!--
playback timings (ms):
  captures_list: 0.617
  exclusion.robots: 0.08
  RedisCDXSource: 14.279
  esindex: 0.011
  load_resource: 187.394 (2)
  PetaboxLoader3.resolve: 121.667
-->"""
