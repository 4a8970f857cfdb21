"""The API reads a DuckLake exactly as it reads the file: the same answers from the same marts."""

from __future__ import annotations

from urated import settings, storage


ROUTES = ("/v1/artists?limit=100", "/v1/artists/top?platform=youtube&metric=views&period=7d",
          "/v1/artists/growth?platform=youtube&metric=subscribers&period=7d&limit=100", "/v1/anomalies",
          "/v1/artists/art_alpha/metrics", "/v1/artists/art_alpha/growth",
          "/v1/artists/filter?platform=spotify&metric=followers&lt=1000000000")


def copy_marts_into(lake: storage.Target, file: storage.Target) -> None:
    """The session file's marts (its published copy) as tables of a lake, published there."""
    con = lake.connect()
    try:
        con.execute(f"ATTACH '{file.reader_copy}' AS published (READ_ONLY)")
        con.execute("create schema marts")
        for (table,) in con.execute("select table_name from information_schema.tables "
                                    "where table_catalog = 'published' and table_schema = 'marts'").fetchall():
            con.execute(f'create table marts."{table}" as select * from published.marts."{table}"')
    finally:
        con.close()
    lake.publish("copied for the API test")


def test_every_route_answers_the_same_on_a_ducklake(make_client, key, api_world, tmp_path, monkeypatch):
    on_file = make_client()
    on_file.headers["X-API-Key"] = key
    expected = {route: on_file.get(route) for route in ROUTES}
    assert {r: a.status_code for r, a in expected.items()} == dict.fromkeys(ROUTES, 200)

    lake_setting = f"ducklake:sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}"
    lake = storage.parse_target(lake_setting, data_path=str(tmp_path / "lake" / "files"))
    copy_marts_into(lake, storage.parse_target(str(api_world.warehouse)))
    keys_file = tmp_path / "keys.sqlite"
    monkeypatch.setenv(settings.API_KEYS_VAR, str(keys_file))
    monkeypatch.setenv(settings.WAREHOUSE_VAR, lake_setting)
    monkeypatch.setenv("URATED_LAKE_DATA_PATH", str(tmp_path / "lake" / "files"))
    from api.keys import KeyStore

    _, lake_key = KeyStore().rotate("lake", "1000000/minute")
    on_lake = make_client()
    on_lake.headers["X-API-Key"] = lake_key
    for route in ROUTES:
        answer = on_lake.get(route)
        assert answer.status_code == 200, (route, answer.text)
        assert answer.json() == expected[route].json(), route
        assert answer.headers["etag"] != expected[route].headers["etag"]  # each target's own data version
