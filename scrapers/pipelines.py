"""Collects the spider's items, validates each series, and loads them through dlt in batches.

A Social Blade series is only validated once its channel's walk is over (the
``ChannelFinished`` mark), because quality depends on the whole series; then
the week's value from the latest snapshot wins and the rows join the next batch.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict

from scrapers.items import ChannelFinished, MonthlyListeners, Reject, SocialBladePoint
from scrapers.loading import load_rows, reject_record
from scrapers.quality import point_qualities


def finalize_channel(points: list[SocialBladePoint]) -> list[dict]:
    """One row per metric and week (the later snapshot wins), each with its series' quality flag."""
    latest: dict[tuple[str, dt.date], SocialBladePoint] = {}
    for p in points:
        current = latest.get((p.metric, p.observed_on))
        if current is None or p.snapshot_timestamp > current.snapshot_timestamp:
            latest[(p.metric, p.observed_on)] = p
    by_metric: dict[str, list[SocialBladePoint]] = defaultdict(list)
    for p in latest.values():
        by_metric[p.metric].append(p)
    rows = []
    for metric, series in by_metric.items():
        series.sort(key=lambda p: p.observed_on)
        for p, flag in zip(series, point_qualities(metric, [(p.observed_on, p.value) for p in series])):
            rows.append({**asdict(p), "quality": flag})
    return rows


class WarehousePipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.batch_rows = crawler.settings.getint("LOAD_BATCH_ROWS")
        self.pipelines_dir = crawler.settings.get("PIPELINES_DIR")
        self.pending_points: dict[str, list[SocialBladePoint]] = defaultdict(list)
        self.ready: list[dict] = []
        self.rejects: list[dict] = []
        self.source_name = ""

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.source_name = self.crawler.spider.source_name

    def process_item(self, item):
        stats = self.crawler.stats
        if isinstance(item, SocialBladePoint):
            self.pending_points[item.channel_id].append(item)
            stats.inc_value("urated/items")
        elif isinstance(item, ChannelFinished):
            self.ready.extend(finalize_channel(self.pending_points.pop(item.channel_id, [])))
        elif isinstance(item, MonthlyListeners):
            self.ready.append(asdict(item))
            stats.inc_value("urated/items")
        elif isinstance(item, Reject):
            self.rejects.append(reject_record(item.source, item.payload_excerpt, item.reason, item.rejected_at,
                                              item.snapshot_url, item.key))
            stats.inc_value("urated/rejects")
        if len(self.ready) + len(self.rejects) >= self.batch_rows:
            self._flush()
        return item

    def close_spider(self) -> None:
        for channel_id in list(self.pending_points):
            self.ready.extend(finalize_channel(self.pending_points.pop(channel_id)))
        self._flush()

    def _flush(self) -> None:
        rows, rejects = self.ready, self.rejects
        self.ready, self.rejects = [], []
        loaded = load_rows(self.source_name, rows, rejects, self.pipelines_dir)
        self.crawler.stats.inc_value("urated/rows_loaded", loaded)
