"""Wayback CDX: parsers on the real recorded pages, then paging and faults against the sandbox."""

from __future__ import annotations

import httpx
import pytest

from ingest_support import query, realdata, sandbox_stats, set_faults
from ingestion.coerce import BadValue
from ingestion.http import BlockedError, FakeClock, ServiceClient
from ingestion.watchlist import watchlist_values
from ingestion.wayback import wayback_source
from ingestion.wayback.client import WaybackClient, list_snapshots
from ingestion.wayback.parsers import parse_cdx_json, parse_cdx_text
from ingestion.wayback.settings import SOCIALBLADE_PAGE


def text(name: str) -> str:
    return realdata(f"cdx/{name}").read_text()


def test_json_page_with_header_and_rows():
    rows, resume = parse_cdx_json(text("openwayback_readme_cdx_json_limit3.json"))
    assert resume is None and [r.timestamp for r in rows] == ["19970126045828", "19971011050034", "19971211122953"]
    assert rows[0].digest == "Q4YULN754FHV2U6Q5JUT6Q2P57WEWNNY" and rows[0].length == "1415"


def test_json_page_ends_with_the_resume_key_after_an_empty_row():
    rows, resume = parse_cdx_json(text("openwayback_readme_cdx_json_showResumeKey.json"))
    assert len(rows) == 5 and resume == "org%2Carchive%29%2F+19980109140106%21"


def test_text_page_ends_with_the_resume_key_after_a_blank_line():
    rows, resume = parse_cdx_text(text("edgi_cdx_plaintext_cnn_multipage_p14.txt"))
    assert resume == "com%2Ccnn%29%2F+20010509235545"
    assert rows[-1].timestamp == "20010509235544" and rows[-1].original == "http://www.cnn.com:80/"


def test_text_page_keeps_duplicate_lines_for_the_lister_to_drop():
    rows, _ = parse_cdx_text(text("edgi_cdx_plaintext_cnn_multipage_p01.txt"))
    assert len(rows) > len(set(rows))


def test_the_empty_last_page_has_no_rows_and_no_key():
    assert parse_cdx_text(text("edgi_cdx_plaintext_cnn_multipage_p15.txt")) == ([], None)


def test_a_short_row_is_an_error_not_a_guess():
    with pytest.raises(BadValue):
        parse_cdx_text("com,cnn)/ 20010410213930 http://www.cnn.com:80/ text/html\n")


def test_list_snapshots_follows_real_pages_to_the_empty_one_and_drops_duplicates():
    pages = [text(f"edgi_cdx_plaintext_cnn_multipage_p{n}.txt") for n in ("01", "02", "14", "15")]
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, text=pages[len(requests) - 1])

    client = WaybackClient(ServiceClient("wayback", "https://web.archive.org",
                                         transport=httpx.MockTransport(handler), clock=FakeClock()))
    rows = list_snapshots(client, "cnn.com", "20010410000000", "20010510000000", output="text")
    assert len(requests) == 4
    assert requests[1].url.params["resumeKey"] == parse_cdx_text(pages[0])[1]
    assert len(rows) == len(set(rows)) == len({r for p in pages for r in parse_cdx_text(p)[0]})


def test_the_real_blocked_site_body_is_a_typed_error_and_not_retried():
    body = text("edgi_cdx_403_blocked_site_body.txt")
    calls = []
    transport = httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(403, text=body))
    client = WaybackClient(ServiceClient("wayback", "https://web.archive.org", transport=transport, clock=FakeClock()))
    with pytest.raises(BlockedError, match="Blocked Site"):
        list_snapshots(client, "example.com", "2019", "2022")
    assert len(calls) == 1


def wb_client() -> WaybackClient:
    return WaybackClient(ServiceClient("wayback", clock=FakeClock()))


@pytest.mark.parametrize("output", ["json", "text"])
def test_list_snapshots_against_the_sandbox_matches_its_captures(sb, output):
    channel = watchlist_values("youtube_channel_id")[0]
    rows = list_snapshots(wb_client(), SOCIALBLADE_PAGE.format(channel_id=channel), "2019", "2023",
                          output=output, page_size=5)
    truth = sorted({s.timestamp for s in sb.world.snapshots(channel) if "2019" <= s.timestamp[:4] <= "2023"})
    assert sorted(r.timestamp for r in rows) == truth
    assert len(rows) == len(set(rows))


def test_source_loads_every_capture_once(sb, run):
    ids = watchlist_values("youtube_channel_id")[:5]
    run("wayback", wayback_source(channel_ids=ids, client=wb_client()))
    expected = sum(len({s.timestamp for s in sb.world.snapshots(c) if "20190901" <= s.timestamp <= "20221231235959"})
                   for c in ids)
    assert query("SELECT count(*), count(DISTINCT (original_url, timestamp)) FROM raw_wayback.snapshots") == \
        [(expected, expected)]


def test_blocked_channel_is_rejected_and_the_others_still_load(sb, run):
    ids = watchlist_values("youtube_channel_id")[:3]
    set_faults(sb, "wayback", blocked=1)
    run("wayback", wayback_source(channel_ids=ids, client=wb_client()))
    assert query("SELECT count(DISTINCT channel_id) FROM raw_wayback.snapshots") == [(2,)]
    assert query("SELECT count(*) FROM raw_wayback.rejects WHERE reason LIKE 'blocked%'") == [(1,)]


def test_completed_channels_are_not_listed_again(sb, run):
    ids = watchlist_values("youtube_channel_id")[:2]
    run("wayback", wayback_source(channel_ids=ids, client=wb_client()))
    asked = sandbox_stats(sb)["requests"]["wayback"]
    run("wayback", wayback_source(channel_ids=ids, client=wb_client()))
    assert sandbox_stats(sb)["requests"]["wayback"] == asked


def test_captcha_and_5xx_are_retried_without_loss(sb, run):
    ids = watchlist_values("youtube_channel_id")[:3]
    set_faults(sb, "wayback", captcha=2, status_5xx=1)
    run("wayback", wayback_source(channel_ids=ids, client=wb_client()))
    expected = sum(len({s.timestamp for s in sb.world.snapshots(c) if "20190901" <= s.timestamp <= "20221231235959"})
                   for c in ids)
    assert query("SELECT count(*) FROM raw_wayback.snapshots") == [(expected,)]
