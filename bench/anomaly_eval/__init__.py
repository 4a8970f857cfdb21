"""How fct_anomalies does on real series: `make eval-anomalies` (``python -m bench.anomaly_eval``).

Real weekly and daily series (tests/fixtures/realdata) get fraud injected into copies at varied
sizes; the real pipeline (the YouNiverse loader, dlt, dbt) runs on them, and the flags are scored
against the injections, per platform and kind, with every flag on the untouched real weeks listed.
"""
