"""The sealer follows the log in its own loop: a relay stuck on the broker (a
publish that never confirms) does not stop new events being sealed."""

import base64
from dataclasses import replace

import eventlet
import pytest
from eventlet.event import Event
from eventsourcing.domain import Aggregate, event

from shared.config import ConfigError
from shared.eventstore import ServiceApplication, open_application
from shared.nameko_deps import ServiceStore


class Note(Aggregate):
    @event("Written")
    def __init__(self, name: str):
        self.name = name


class NotesApp(ServiceApplication):
    name = "registry"


class Container:
    config = {"AMQP_URI": "memory://"}

    def __init__(self):
        self.threads = []

    def spawn_managed_thread(self, run):
        self.threads.append(eventlet.spawn(run))


class StuckRelay:
    """A relay whose publish never returns."""

    def __init__(self):
        self.entered = Event()
        self.forever = Event()

    def run_once(self, acquired=False):
        if not self.entered.ready():
            self.entered.send(True)
        self.forever.wait()
        return 0


@pytest.fixture
def store_env(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENT_STORE", "sqlite")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAY_INTERVAL", "0.05")


def test_the_sealer_keeps_sealing_while_the_relay_is_stuck(store_env):
    provider = ServiceStore(NotesApp)
    provider.container = Container()
    provider.setup()
    relay = StuckRelay()
    provider.relay = relay
    try:
        provider.start()
        assert relay.entered.wait(timeout=5)
        provider.app.save(Note(name="甲"))
        provider.app.save(Note(name="乙"))
        with eventlet.Timeout(5, False):
            while provider.sealer.position < 2:
                eventlet.sleep(0.05)
        assert provider.sealer.position == 2
    finally:
        provider.stop()
        for thread in provider.container.threads:
            thread.kill()


def test_production_refuses_to_open_a_store_without_an_event_mac_key(monkeypatch, sqlite_store):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("AUDIT_ANCHOR_KEY", "a" * 40)
    sqlite_store = replace(sqlite_store, cipher_key=base64.b64encode(b"c" * 32).decode())
    with pytest.raises(ConfigError, match="EVENT_MAC_KEY"):
        open_application(NotesApp, sqlite_store)
    with pytest.raises(ConfigError, match="EVENT_MAC_KEY"):
        open_application(NotesApp, replace(sqlite_store, event_mac_key="short"))
    app = open_application(NotesApp, replace(sqlite_store, event_mac_key="k" * 40))
    assert app.mac_key == b"k" * 40
    app.close()
