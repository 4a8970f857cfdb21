"""Wayback CDX: parsers on the real recorded pages, then paging and faults against the sandbox."""

from __future__ import annotations

import json

import httpx
import pytest

from ingestion.coerce import BadValue
from ingestion.http import BlockedError, FakeClock, ServiceClient
from ingestion.watchlist import watchlist_values
from ingestion.wayback import SnapshotsNotListedError, stored_captures, wayback_source
from ingestion.wayback.client import UnreadableListing, WaybackClient, list_snapshots
from ingestion.wayback.parsers import parse_cdx_json, parse_cdx_text
from ingestion.wayback.settings import DEFAULT_FROM, DEFAULT_TO, SOCIALBLADE_PAGE

from ..fixtures import realdata
from .ingest_support import query, sandbox_stats, set_faults


def text(name: str) -> str:
    return realdata(f"cdx/{name}").read_text()


def test_json_page_with_header_and_rows():
    page = parse_cdx_json(text("openwayback_readme_cdx_json_limit3.json"))
    assert page.resume_key is None
    assert [r.timestamp for r in page.rows] == ["19970126045828", "19971011050034", "19971211122953"]
    assert page.rows[0].digest == "Q4YULN754FHV2U6Q5JUT6Q2P57WEWNNY" and page.rows[0].length == "1415"


def test_json_page_ends_with_the_resume_key_after_an_empty_row():
    page = parse_cdx_json(text("openwayback_readme_cdx_json_showResumeKey.json"))
    assert len(page.rows) == 5 and page.resume_key == "org%2Carchive%29%2F+19980109140106%21"


def test_text_page_ends_with_the_resume_key_after_a_blank_line():
    page = parse_cdx_text(text("edgi_cdx_plaintext_cnn_multipage_p14.txt"))
    assert page.resume_key == "com%2Ccnn%29%2F+20010509235545"
    assert page.rows[-1].timestamp == "20010509235544" and page.rows[-1].original == "http://www.cnn.com:80/"


def test_text_page_keeps_duplicate_lines_for_the_lister_to_drop():
    rows = parse_cdx_text(text("edgi_cdx_plaintext_cnn_multipage_p01.txt")).rows
    assert len(rows) == 25 and len(set(rows)) < len(rows)


def test_the_empty_last_page_has_no_rows_and_no_key():
    page = parse_cdx_text(text("edgi_cdx_plaintext_cnn_multipage_p15.txt"))
    assert (page.rows, page.resume_key, page.bad_rows) == ([], None, [])


def test_a_short_row_is_a_bad_row_with_its_reason_and_the_other_rows_are_kept():
    whole = text("edgi_cdx_plaintext_cnn_multipage_p14.txt")
    short = "com,cnn)/ 20010410213930 http://www.cnn.com:80/ text/html"
    page = parse_cdx_text(short + "\n" + whole)
    assert [(b.line, b.reason) for b in page.bad_rows] == [(short, "CDX row has 4 fields, expected 7")]
    assert page.rows == parse_cdx_text(whole).rows and page.resume_key == parse_cdx_text(whole).resume_key


def test_a_row_whose_timestamp_is_no_date_is_a_bad_row_not_a_capture():
    line = "com,cnn)/ 20011345000000 http://www.cnn.com:80/ text/html 200 YTEQQRWKL47VHUWFV2NXX7XLEOHMNWZ6 1000"
    page = parse_cdx_text(line + "\n")
    assert page.rows == [] and "not a date" in page.bad_rows[0].reason


@pytest.mark.parametrize("name", ["openwayback_readme_cdx_json_showResumeKey.json",
                                  "edgi_cdx_plaintext_cnn_multipage_p01.txt"])
def test_a_page_cut_short_is_unreadable_as_a_whole_never_half_read(name):
    body = text(name)
    parse = parse_cdx_json if name.endswith(".json") else parse_cdx_text
    with pytest.raises(BadValue, match="cut short"):
        parse(body[: len(body) // 2])


def test_list_snapshots_follows_real_pages_to_the_empty_one_and_drops_duplicates():
    pages = [text(f"edgi_cdx_plaintext_cnn_multipage_p{n}.txt") for n in ("01", "02", "14", "15")]
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, text=pages[len(requests) - 1])

    client = WaybackClient(ServiceClient("wayback", "https://web.archive.org",
                                         transport=httpx.MockTransport(handler), clock=FakeClock()))
    listing = list_snapshots(client, "cnn.com", "20010410000000", "20010510000000", output="text")
    assert len(requests) == 4
    assert requests[1].url.params["resumeKey"] == parse_cdx_text(pages[0]).resume_key
    assert len(listing.rows) == len(set(listing.rows)) == len({r for p in pages for r in parse_cdx_text(p).rows})
    assert listing.bad_rows == [] and listing.unreadable_pages == []


def _client_answering(bodies: list[str]) -> tuple[WaybackClient, list[httpx.Request]]:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, text=bodies[min(len(requests), len(bodies)) - 1])

    http = ServiceClient("wayback", "https://web.archive.org", transport=httpx.MockTransport(handler), clock=FakeClock())
    return WaybackClient(http), requests


def test_a_page_cut_short_is_fetched_again_and_the_cut_body_is_kept():
    whole = text("edgi_cdx_plaintext_cnn_multipage_p14.txt").split("\n\n")[0] + "\n"  # no resume key
    client, requests = _client_answering([whole[:300], whole])
    listing = list_snapshots(client, "cnn.com", "2001", "2001", output="text")
    assert len(requests) == 2
    assert listing.rows == list(dict.fromkeys(parse_cdx_text(whole).rows))
    assert [body for body, _ in listing.unreadable_pages] == [whole[:300]]


def test_a_page_that_stays_cut_leaves_the_listing_unfinished():
    whole = text("edgi_cdx_plaintext_cnn_multipage_p14.txt")
    client, requests = _client_answering([whole[:300]])
    with pytest.raises(UnreadableListing) as raised:
        list_snapshots(client, "cnn.com", "2001", "2001", output="text")
    assert len(requests) == len(raised.value.listing.unreadable_pages) == 2


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
                          output=output, page_size=5).rows
    truth = sorted({s.timestamp for s in sb.world.snapshots(channel) if "2019" <= s.timestamp[:4] <= "2023"})
    assert sorted(r.timestamp for r in rows) == truth
    assert len(rows) == len(set(rows))


def test_source_loads_every_capture_once(sb, run):
    ids = watchlist_values("youtube_channel_id")[:5]
    run("wayback", wayback_source(channel_ids=ids, client=wb_client()))
    expected = sum(len({s.timestamp for s in sb.world.snapshots(c) if DEFAULT_FROM <= s.timestamp[:8] <= DEFAULT_TO})
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
    expected = sum(len({s.timestamp for s in sb.world.snapshots(c) if DEFAULT_FROM <= s.timestamp[:8] <= DEFAULT_TO})
                   for c in ids)
    assert query("SELECT count(*) FROM raw_wayback.snapshots") == [(expected,)]


CHANNEL = "UCACO4dtaLXFxLY-ldiyQo3k"


def _json_listing(*rows: list[str]) -> str:
    header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    return json.dumps([header, *rows])


def test_a_bad_index_line_is_rejected_and_the_good_ones_are_stored_for_the_spider(run):
    page = SOCIALBLADE_PAGE.format(channel_id=CHANNEL)
    good = ["com,socialblade)/x", "20200105101500", page, "text/html", "200", "DIGEST1", "31000"]
    bad = ["com,socialblade)/x", "20200112101500", page, "text/html", "200"]
    client, _ = _client_answering([_json_listing(good, bad)])
    run("wayback", wayback_source(channel_ids=[CHANNEL], client=client))
    assert query("SELECT timestamp, length FROM raw_wayback.snapshots") == [("20200105101500", 31000)]
    assert query("SELECT reason FROM raw_wayback.rejects") == [
        (f"CDX line of {page} is not a capture: CDX row has 5 fields, expected 7",)]
    assert stored_captures([CHANNEL, "UCcJP8iTakisQpc8KJdgsZ6e"]) == {
        CHANNEL: parse_cdx_json(_json_listing(good)).rows, "UCcJP8iTakisQpc8KJdgsZ6e": []}


def test_reading_captures_before_any_listing_names_the_asset_to_materialize_first():
    with pytest.raises(SnapshotsNotListedError, match="materialize raw/wayback/snapshots"):
        stored_captures([CHANNEL])
