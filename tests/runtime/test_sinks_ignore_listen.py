"""Listen is for the recogniser: every other sink takes it and does nothing."""

from __future__ import annotations

from pathlib import Path

from coach.commands.intents import Intent
from coach.core.actions import Listen
from coach.history import HistorySink, HistoryStore
from coach.runtime.keep_settings import SettingsSink
from coach.runtime.text_voice import TextVoice, TranscriptPrinter

LISTEN = Listen(frozenset({Intent.NUMBER, Intent.STOP}), "How is your knee, from zero to ten?")


def test_text_and_print_sinks_show_nothing_for_it() -> None:
    printed: list[str] = []
    text = TextVoice(write=printed.append, show_logs=True)
    assert text(LISTEN, 1.0) == [] and not text.transcript
    shown = TranscriptPrinter(printed.append)
    assert shown(LISTEN, 1.0) == [] and not shown.transcript
    assert printed == []


def test_settings_and_history_sinks_keep_nothing_for_it(tmp_path: Path) -> None:
    settings = SettingsSink(path=tmp_path / "settings.yaml")
    assert settings(LISTEN, 1.0) == [] and settings.saved == 0
    assert not (tmp_path / "settings.yaml").exists()
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        assert HistorySink(store)(LISTEN, 1.0) == []
        assert store.query("SELECT COUNT(*) FROM records") == [(0,)]
    finally:
        store.close()
