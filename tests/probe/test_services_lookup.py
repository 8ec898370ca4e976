"""service_name's search in the table's text gives what the parsed table gives."""

from __future__ import annotations

import pytest

from paquet.probe import services


@pytest.mark.parametrize("proto", ["tcp", "udp"])
def test_searched_names_equal_the_table(proto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    table = services._table()[proto]
    ports = [*range(0, 1100), 1433, 3306, 5432, 8080, 10000, 31337, 65535]
    for port in ports:
        monkeypatch.setattr(services, "_FOUND", [0])  # always the text search
        entry = table.get(port)
        assert services.service_name(port, proto) == (entry[0] if entry else "unknown"), port


def test_the_table_takes_over_after_many_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_FOUND", [0])
    names = [services.service_name(p) for p in range(200)]
    assert services._FOUND[0] == 64
    table = services._table()["tcp"]
    assert names == [table[p][0] if p in table else "unknown" for p in range(200)]
