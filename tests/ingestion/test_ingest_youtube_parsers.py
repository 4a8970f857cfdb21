"""The channels.list parser on real recorded responses (shapes we must accept as they are)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from ingestion.youtube.parsers import parse_channels

from ..fixtures import realdata

DAY = date(2026, 1, 7)
AT = datetime(2026, 1, 7, 12, tzinfo=timezone.utc)


def load(name: str):
    return json.loads(realdata(f"youtube/{name}").read_text())


def test_counts_arrive_as_strings_and_become_integers():
    parsed = parse_channels(load("pyyoutube_channel_info_single.json"), ["UC_x5XG1OV2P6uZZ5FSM9Ttw"], DAY, AT)
    row = parsed.rows[0]
    assert (row["view_count"], row["subscriber_count"], row["video_count"]) == (160361638, 1927873, 5026)
    assert row["custom_url"] == "@googledevelopers" and row["country"] == "US"


def test_published_at_with_fractional_seconds_is_parsed():
    row = parse_channels(load("pyyoutube_channel_info_single.json"), [], DAY, AT).rows[0]
    assert row["published_at"] == datetime(2007, 8, 23, 0, 34, 43, tzinfo=timezone.utc)


def test_published_at_without_fractional_seconds_is_parsed():
    payload = load("emochart1_channels_list_20_channels_2023-10.json")
    rows = parse_channels(payload, [], DAY, AT).rows
    espn = next(r for r in rows if r["channel_id"] == "UCzRWWsFjqHk1an4OnVPsl9g")
    assert espn["published_at"] == datetime(2019, 8, 8, 18, 20, 21, tzinfo=timezone.utc)


def test_all_twenty_channels_of_a_real_page_are_read_without_rejects():
    parsed = parse_channels(load("emochart1_channels_list_20_channels_2023-10.json"), [], DAY, AT)
    assert len(parsed.rows) == 20 and parsed.rejects == []


def test_privacy_status_comes_from_the_status_part():
    resource = load("pyyoutube_channel_resource_with_status_topics.json")
    row = parse_channels({"items": [resource]}, [], DAY, AT).rows[0]
    assert row["privacy_status"] == "public"


def test_hidden_subscriber_count_nulls_the_count_and_keeps_the_flag():
    item = load("pyyoutube_channel_info_single.json")["items"][0]
    item["statistics"] = {"viewCount": "10", "hiddenSubscriberCount": True, "videoCount": "2"}
    row = parse_channels({"items": [item]}, [], DAY, AT).rows[0]
    assert row["subscriber_count"] is None and row["hidden_subscriber_count"] is True


def test_requested_ids_absent_from_items_become_inactive_rows():
    payload = load("pyyoutube_channel_info_single.json")
    parsed = parse_channels(payload, ["UC_x5XG1OV2P6uZZ5FSM9Ttw", "UCdeleted000000000000000"], DAY, AT)
    inactive = [r for r in parsed.rows if not r["is_active"]]
    assert [r["channel_id"] for r in inactive] == ["UCdeleted000000000000000"]
    assert inactive[0]["view_count"] is None


def test_negative_count_is_rejected_not_loaded():
    item = load("pyyoutube_channel_info_single.json")["items"][0]
    item["statistics"]["viewCount"] = "-5"
    parsed = parse_channels({"items": [item]}, [item["id"]], DAY, AT)
    assert parsed.rows == []
    assert "negative" in parsed.rejects[0][1]


def test_wrong_type_is_rejected_not_loaded():
    item = load("pyyoutube_channel_info_single.json")["items"][0]
    item["statistics"]["videoCount"] = {"n": 1}
    parsed = parse_channels({"items": [item]}, [], DAY, AT)
    assert parsed.rows == [] and "videoCount" in parsed.rejects[0][1]


def test_an_error_body_is_rejected_as_a_whole():
    parsed = parse_channels(["not", "a", "list response"], ["UCx"], DAY, AT)
    assert parsed.rows == [] and len(parsed.rejects) == 1
