"""`manage.py` leaves what a finished command made to the end of the process: it is frozen
(gc.freeze) on the way out, so the interpreter's shutdown does not scan it (0.4-0.5 s a
command)."""

import gc
import sys

import pytest

import manage


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the session collects as usual


def test_a_finished_command_freezes_the_collector(monkeypatch, capsys, unfrozen) -> None:
    monkeypatch.setattr(sys, "argv", ["manage.py", "version"])
    assert gc.get_freeze_count() == 0
    manage.main()
    assert capsys.readouterr().out.strip()  # the command ran: Django's version
    assert gc.get_freeze_count() > 0


def test_a_command_that_exits_with_an_error_freezes_it_too(
    monkeypatch, capsys, tmp_path, unfrozen
) -> None:
    missing = tmp_path / "none.ged"
    monkeypatch.setattr(sys, "argv", ["manage.py", "import_gedcom", str(missing), "--tree", "x"])
    with pytest.raises(SystemExit) as exit_:
        manage.main()
    assert exit_.value.code == 2
    assert "There is no file" in capsys.readouterr().err
    assert gc.get_freeze_count() > 0
