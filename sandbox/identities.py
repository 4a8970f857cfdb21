"""Who is in the synthetic world: artists, their platform ids, and channels.

Identities depend on the seed only (never on ``today``), so the committed
watchlist stays valid whatever day the world is built. Everything is drawn in
bulk with numpy so 150k artists take well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

BASE62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
YOUTUBE_ID_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

# YouNiverse's category_cc values.
CATEGORIES = (
    "Music", "Gaming", "Entertainment", "People & Blogs", "Comedy",
    "Film and Animation", "Education", "Howto & Style", "Sports",
    "Science & Technology", "News & Politics", "Nonprofits & Activism",
    "Travel & Events", "Autos & Vehicles", "Pets & Animals",
)
ARTIST_CATEGORY_P = (0.62, 0.04, 0.14, 0.08, 0.04, 0.02, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005, 0.0025, 0.0025)
COUNTRIES = ("US", "GB", "CA", "AU", "DE", "FR", "BR", "MX", "IN", "JP", "KR", "SE", "NG", "ES", "IT", "NL")

FIRST_WORDS = (
    "Luna", "Velvet", "Neon", "Silver", "Midnight", "Golden", "Crystal", "Echo",
    "Wild", "Electric", "Paper", "Scarlet", "Ivory", "Cosmic", "Hollow", "Amber",
    "Static", "Lucky", "Marble", "Solar", "Quiet", "Coral", "Rusty", "Violet",
    "Atlas", "Nova", "Indigo", "Lotus", "Cobalt", "Maple", "Jade", "Saint",
)
SECOND_WORDS = (
    "Vega", "Harbor", "Foxes", "Rivers", "Kings", "Parade", "Lights", "Avenue",
    "Sparrow", "Theory", "Hearts", "Tides", "Motel", "Season", "Youth", "Garden",
    "Wolves", "Mirrors", "Station", "Ghosts", "Empire", "Canyon", "Bloom", "Circuit",
    "Drive", "Orchard", "Signal", "Comets", "Valley", "Flame", "Ocean", "Rebels",
)
CHANNEL_WORDS = (
    "Plays", "Kitchen", "Tech", "Vlogs", "Daily", "Lab", "TV", "Studio",
    "Reviews", "Crafts", "Garage", "Travels", "Fitness", "Tutorials", "News", "Pets",
)

SHARE_NO_SPOTIFY = 0.10
SHARE_NO_INSTAGRAM = 0.15
SHARE_NO_YOUTUBE = 0.05
SHARE_TERMINATED = 0.03
SHARE_HIDDEN = 0.02
N_EXTRA_CHANNELS = 100

EPOCH = date(2006, 1, 1)
LATEST_JOIN = date(2024, 12, 31)


@dataclass(frozen=True)
class Artist:
    """One watchlist row plus what the platforms say about its YouTube channel."""

    artist_id: str
    artist_name: str
    youtube_channel_id: str | None
    spotify_artist_id: str | None
    instagram_username: str | None
    country: str
    category: str
    joined_on: date
    status: str  # active | terminated (of the YouTube channel)


@dataclass(frozen=True)
class Channel:
    """A YouTube channel; ``row`` indexes the weekly truth arrays."""

    row: int
    channel_id: str
    title: str
    country: str
    category: str
    joined_on: date
    status: str
    hidden_subscriber_count: bool
    artist_id: str | None


def random_ids(rng: np.random.Generator, n: int, length: int, alphabet: bytes) -> list[str]:
    """``n`` random ids drawn from ``alphabet`` without a Python loop per character."""
    table = np.frombuffer(alphabet, dtype=np.uint8)
    codes = table[rng.integers(0, len(alphabet), size=(n, length))]
    return codes.view(f"S{length}").ravel().astype(str).tolist()


def _join_dates(rng: np.random.Generator, n: int) -> list[date]:
    # Skewed towards older channels so YouNiverse (2015-2019) covers most of them.
    span = (LATEST_JOIN - EPOCH).days
    offsets = (rng.beta(1.3, 2.2, size=n) * span).astype(np.int64)
    return [EPOCH + timedelta(days=int(d)) for d in offsets]


def _unique_slugs(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        slug = "".join(ch for ch in name.lower() if ch.isalnum())
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.append(slug if count == 0 else f"{slug}{count}")
    return out


def make_identities(seed: int, n_artists: int) -> tuple[list[Artist], list[Channel]]:
    """Artists (watchlist order) and every YouTube channel (watchlist rows first, then extras)."""
    rng = np.random.default_rng([seed, 0])
    n_rows = n_artists + N_EXTRA_CHANNELS

    first = rng.integers(0, len(FIRST_WORDS), size=n_rows)
    second = rng.integers(0, len(SECOND_WORDS), size=n_rows)
    names = [f"{FIRST_WORDS[a]} {SECOND_WORDS[b]}" for a, b in zip(first.tolist(), second.tolist())]
    channel_words = rng.integers(0, len(CHANNEL_WORDS), size=N_EXTRA_CHANNELS).tolist()
    for k in range(N_EXTRA_CHANNELS):
        names[n_artists + k] = f"{FIRST_WORDS[first[n_artists + k]]} {CHANNEL_WORDS[channel_words[k]]}"
    # Same-named acts exist; numbered suffixes keep the watchlist readable.
    names = _disambiguate(names)

    youtube_ids = ["UC" + s for s in random_ids(rng, n_rows, 22, YOUTUBE_ID_CHARS)]
    spotify_ids = random_ids(rng, n_artists, 22, BASE62)
    usernames = _unique_slugs(names[:n_artists])
    countries = rng.integers(0, len(COUNTRIES), size=n_rows).tolist()
    artist_categories = rng.choice(len(CATEGORIES), size=n_artists, p=np.array(ARTIST_CATEGORY_P) / sum(ARTIST_CATEGORY_P))
    extra_categories = rng.integers(1, len(CATEGORIES), size=N_EXTRA_CHANNELS)
    categories = np.concatenate([artist_categories, extra_categories]).tolist()
    joined = _join_dates(rng, n_rows)
    u = rng.random(size=(5, n_rows))
    has_youtube = u[0] >= SHARE_NO_YOUTUBE
    has_youtube[n_artists:] = True
    has_spotify = u[1] >= SHARE_NO_SPOTIFY
    has_instagram = u[2] >= SHARE_NO_INSTAGRAM
    terminated = u[3] < SHARE_TERMINATED
    hidden = (u[4] < SHARE_HIDDEN) & ~terminated

    artists: list[Artist] = []
    channels: list[Channel] = []
    for i in range(n_rows):
        is_artist = i < n_artists
        artist_id = f"art_{i + 1:04d}" if is_artist else None
        status = "terminated" if terminated[i] else "active"
        if has_youtube[i]:
            channels.append(Channel(
                row=i, channel_id=youtube_ids[i], title=names[i], country=COUNTRIES[countries[i]],
                category=CATEGORIES[categories[i]], joined_on=joined[i], status=status,
                hidden_subscriber_count=bool(hidden[i]), artist_id=artist_id,
            ))
        if is_artist:
            artists.append(Artist(
                artist_id=artist_id, artist_name=names[i],
                youtube_channel_id=youtube_ids[i] if has_youtube[i] else None,
                spotify_artist_id=spotify_ids[i] if has_spotify[i] else None,
                instagram_username=usernames[i] if has_instagram[i] else None,
                country=COUNTRIES[countries[i]], category=CATEGORIES[categories[i]],
                joined_on=joined[i], status=status if has_youtube[i] else "active",
            ))
    return artists, channels


def _disambiguate(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name} {count + 1}")
    return out
