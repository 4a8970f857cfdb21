"""Spotify releases of the synthetic artists: albums, singles and their tracks.

Drawn lazily (the benchmark world never needs them) from their own random
streams, so asking for one album's tracks does not build every track.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from sandbox.identities import BASE62, Artist, random_ids

SHARE_WITH_NEW_RELEASE = 0.12
NEW_RELEASE_DAYS = 28
TITLE_WORDS = ("Night", "Summer", "Gold", "Heart", "Fire", "Rain", "Dream", "Road", "Blue", "Home",
               "Stars", "Shadow", "Dance", "Alone", "Forever", "Light", "River", "City", "Ghost", "Love")


@dataclass(frozen=True)
class Album:
    album_id: str
    name: str
    album_type: str  # album | single | compilation
    release_on: date
    release_date_precision: str  # day | month | year
    total_tracks: int
    artist_ids: tuple[str, ...]  # Spotify ids, primary artist first, then features

    @property
    def release_date(self) -> str:
        """As Spotify writes it: 2021-03-05, 2021-03 or 2021 by precision."""
        text = self.release_on.isoformat()
        return {"day": text, "month": text[:7], "year": text[:4]}[self.release_date_precision]


@dataclass(frozen=True)
class Track:
    track_id: str
    album_id: str
    name: str
    track_number: int
    disc_number: int
    duration_ms: int
    explicit: bool
    artist_ids: tuple[str, ...]


def _title(rng: np.random.Generator) -> str:
    words = rng.choice(len(TITLE_WORDS), size=int(rng.integers(1, 4)), replace=False)
    return " ".join(TITLE_WORDS[w] for w in words)


def make_albums(seed: int, artists: list[Artist], first_day: date, today: date) -> list[Album]:
    """A few releases per Spotify artist over the ten years, some in the last weeks."""
    rng = np.random.default_rng([seed, 5])
    on_spotify = [a for a in artists if a.spotify_artist_id]
    all_ids = [a.spotify_artist_id for a in on_spotify]
    span = max((today - first_day).days, 1)
    albums = []
    for artist in on_spotify:
        days = sorted(rng.integers(0, span, size=1 + rng.poisson(2.0)).tolist())
        if rng.random() < SHARE_WITH_NEW_RELEASE:
            days.append(span - int(rng.integers(0, NEW_RELEASE_DAYS)))
        for d in days:
            released = first_day + timedelta(days=int(d))
            album_type = ("single", "album", "compilation")[int(rng.choice(3, p=[0.6, 0.35, 0.05]))]
            n_tracks = int(rng.integers(1, 4)) if album_type == "single" else int(rng.integers(8, 17))
            old = (today - released).days > 730
            precision = ("day", "month", "year")[int(rng.choice(3, p=[0.85, 0.1, 0.05]))] if old else "day"
            ids = [artist.spotify_artist_id]
            if rng.random() < 0.2 and len(all_ids) > 1:
                feature = all_ids[int(rng.integers(len(all_ids)))]
                if feature != artist.spotify_artist_id:
                    ids.append(feature)
            album_id = random_ids(rng, 1, 22, BASE62)[0]
            albums.append(Album(album_id, _title(rng), album_type, released, precision, n_tracks, tuple(ids)))
    return albums


def make_tracks(seed: int, album: Album, album_index: int) -> list[Track]:
    rng = np.random.default_rng([seed, 6, album_index])
    ids = random_ids(rng, album.total_tracks, 22, BASE62)
    tracks = []
    for n, track_id in enumerate(ids, start=1):
        name = album.name if album.total_tracks == 1 else _title(rng)
        tracks.append(Track(
            track_id=track_id, album_id=album.album_id, name=name, track_number=n, disc_number=1,
            duration_ms=int(rng.integers(95_000, 330_000)), explicit=bool(rng.random() < 0.2),
            artist_ids=album.artist_ids,
        ))
    return tracks


GENRES = ("pop", "dance pop", "indie pop", "indie folk", "hip hop", "trap", "r&b", "soul", "rock",
          "alt rock", "edm", "house", "latin pop", "reggaeton", "k-pop", "afrobeats", "country", "jazz")


def genres_for(seed: int, index: int) -> list[str]:
    rng = np.random.default_rng([seed, 7, index])
    picks = rng.choice(len(GENRES), size=int(rng.integers(0, 4)), replace=False)
    return [GENRES[g] for g in sorted(picks.tolist())]

