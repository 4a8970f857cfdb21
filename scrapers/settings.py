"""Scrapy settings: polite by construction.

Production keeps Wayback at one request a second or slower: one request at a
time per host, ``DOWNLOAD_DELAY`` of 1 s as AutoThrottle's floor. ``scrapers.run``
enforces that floor and drops the delay to 0 only when pacing is switched off
explicitly (``URATED_PACING=off``, set by the sandbox's environment) and the
service's base URL is loopback, so tests and the demo against the sandbox run
fast; ``--download-delay`` and ``--block-delay`` override (for paced hosts only upwards).
"""

BOT_NAME = "urated"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"
USER_AGENT = "uRated/0.1 (+https://github.com/urated/urated; history research, 1 req/s)"
ROBOTSTXT_OBEY = False  # Wayback replays are archives; the CDX API is meant for programs

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0  # a fixed floor keeps the 1 req/s promise exact
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30

RETRY_ENABLED = True
RETRY_TIMES = 5
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# A block page is retried this many times, waiting BLOCK_RETRY_DELAY × 2^n seconds.
BLOCK_RETRY_TIMES = 3
BLOCK_RETRY_DELAY = 30.0

# A 200 whose body is cut short (no </html>, JSON that does not parse) is fetched again this often.
INCOMPLETE_RETRY_TIMES = 2

DOWNLOADER_MIDDLEWARES = {"scrapers.middlewares.BlockPageMiddleware": 560}
ITEM_PIPELINES = {"scrapers.pipelines.WarehousePipeline": 300}
# Rows per dlt load while crawling; the rest is loaded when the spider closes.
LOAD_BATCH_ROWS = 20_000
PIPELINES_DIR = None  # dlt state folder; None = dlt's default

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"  # a give-up becomes a reject row, not a failed run
