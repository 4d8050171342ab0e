"""The programme's "today" is the date in Zhongwei, whatever zone the server runs in."""

from datetime import UTC, date, datetime

import pytest

from shared.clock import programme_today
from shared.config import ConfigError


@pytest.fixture
def zone(monkeypatch):
    def set_zone(name=None):
        if name is None:
            monkeypatch.delenv("PROGRAMME_TIMEZONE", raising=False)
        else:
            monkeypatch.setenv("PROGRAMME_TIMEZONE", name)

    return set_zone


def test_by_default_the_date_is_shanghais_not_the_servers(zone):
    zone()
    # 23:30 UTC on 31 March is 07:30 on 1 April in Zhongwei: a new quarter has begun there.
    assert programme_today(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == date(2026, 4, 1)
    assert programme_today(datetime(2026, 3, 31, 15, 59, tzinfo=UTC)) == date(2026, 3, 31)


def test_another_zone_can_be_configured(zone):
    zone("UTC")
    assert programme_today(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == date(2026, 3, 31)


@pytest.mark.parametrize("name", ["Mars/Olympus", "not a zone", "../etc/passwd"])
def test_an_unknown_zone_is_refused_naming_the_setting(zone, name):
    zone(name)
    with pytest.raises(ConfigError, match="PROGRAMME_TIMEZONE"):
        programme_today()
