"""Renders every screen of the kiosk offscreen to PNG, in each language, size and theme.

It is how a technician or a reviewer sees the kiosk without a display, and how tests
check every screen for clipped text and small buttons. A *scene* puts the kiosk in one
state; the renderer then photographs it in every appearance.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from accessibility.sizes import TextSize
from accessibility.themes import ThemeName
from kiosk.domain.session import DemarcheSession
from kiosk.sample_answers import sample_answer
from ui.style import Appearance
from ui.widgets.keyboard import KeyboardKey
from wiring.app import KioskApp

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scene:
    """A named state of the kiosk; ``enter`` brings the app into it."""

    name: str
    enter: Callable[[KioskApp], None]


def _welcome(app: KioskApp) -> None:
    app.wipe_session()


def _idle(app: KioskApp) -> None:
    app.wipe_session()
    app.ask_still_here()


def _overlay(name: str) -> Callable[[KioskApp], None]:
    def enter(app: KioskApp) -> None:
        app.wipe_session()
        getattr(app.window, name).open()

    return enter


def _demarches(app: KioskApp) -> None:
    app.wipe_session()
    app.start_visit()


def _demarche_step(demarche_id: str, steps: int) -> Callable[[KioskApp], None]:
    """The démarche after ``steps`` questions answered (the review or the receipt after)."""

    def enter(app: KioskApp) -> None:
        app.wipe_session()
        app.start_visit()
        app.guide.start_demarche(demarche_id)
        session = app.guide.session
        assert session is not None
        for _ in range(steps):
            field = session.current
            if field is None:
                app.guide.send()
                return
            session.answer(field.id, sample_answer(field))
            session.next()
        app.guide.show_current()

    return enter


def _touch_explored(
    enter_scene: Callable[[KioskApp], None], explored: Callable[[KioskApp], QWidget | None]
) -> Callable[[KioskApp], None]:
    """A scene with touch-and-confirm on and one control touched once (outlined)."""

    def enter(app: KioskApp) -> None:
        enter_scene(app)
        app.touch.set_active(True)
        # Once the shot's language is set: a new language redraws the keyboard's keys.
        QTimer.singleShot(0, app.touch, lambda: _touch(app, explored(app)))

    return enter


def _touch(app: KioskApp, widget: QWidget | None) -> None:
    if app.touch.active and widget is not None:
        app.touch.explore(widget)


def _keyboard_key(app: KioskApp) -> QWidget | None:
    keys = [k for k in app.window.findChildren(KeyboardKey) if k.isVisible()]
    return next((k for k in keys if k.spec.text == "e"), None)


def demarche_scenes(app: KioskApp) -> list[Scene]:
    """Every question, the review and the receipt of every démarche of the catalog."""
    scenes = []
    for demarche in app.catalog().demarches:
        count = _steps_with_sample_answers(app, demarche.id)
        for step in range(count + 2):  # the questions, the review, the receipt
            name = f"{demarche.id}-{step + 1:02d}"
            scenes.append(Scene(name, _demarche_step(demarche.id, step)))
    return scenes


def _steps_with_sample_answers(app: KioskApp, demarche_id: str) -> int:
    session = DemarcheSession.start(app.catalog(), demarche_id)
    steps = 0
    while (field := session.current) is not None:
        session.answer(field.id, sample_answer(field))
        if not session.next().ok:
            raise ValueError(f"the sample answer to {demarche_id}/{field.id} is refused")
        steps += 1
    session.wipe()
    return steps


SAMPLE_MEDIATOR = ("Camille", "258013")  # a fictional volunteer, in a throwaway data dir


def _sample_mediator(app: KioskApp) -> str:
    registry = app.mediation.registry
    name, pin = SAMPLE_MEDIATOR
    found = [m for m in registry.active() if m.name == name]
    return found[0].id if found else registry.add(name, pin).id


def _mediator_logged_in(app: KioskApp) -> None:
    app.wipe_session()
    mediator_id = _sample_mediator(app)
    result = app.mediation.registry.authenticate(mediator_id, SAMPLE_MEDIATOR[1])
    app.mediation.accept_answer(result)


def _mediator_names(app: KioskApp) -> None:
    app.wipe_session()
    _sample_mediator(app)
    app.mediation.open()


def _mediator_pin(app: KioskApp) -> None:
    _mediator_names(app)
    app.mediation.ask_pin(_sample_mediator(app))


def _mediator_consent(app: KioskApp) -> None:
    _mediator_logged_in(app)
    app.start_visit()
    app.guide.start_demarche(app.catalog().demarches[0].id)


def _mediator_banner(app: KioskApp) -> None:
    _mediator_consent(app)
    app.mediation.consent.accept.click()


def _mediator_panel(app: KioskApp) -> None:
    _mediator_logged_in(app)
    app.mediation.open()


def _gdpr_notice(app: KioskApp) -> None:
    """"Vos données", opened from the welcome screen."""
    app.wipe_session()
    app.open_gdpr_notice()


def _gdpr_from_consent(app: KioskApp) -> None:
    """"Mes droits", pressed on the consent question."""
    _mediator_consent(app)
    app.mediation.consent.rights.click()


def _status(app: KioskApp) -> None:
    """"Où en est ma demande ?" with a reference being typed, the keyboard open."""
    app.wipe_session()
    app.open_status()
    app.status_desk.screen.field.setText("adm 7k3")


def _status_answer(app: KioskApp) -> None:
    """The answer of the back office, on the status screen."""
    from kiosk.domain.request_status import RequestStatus, Status

    _status(app)
    app.status_desk.screen.show_reference("ADM-7K3-Q9P")
    app.status_desk.present(RequestStatus(Status.IN_PROGRESS, "Voirie"))


SCENES: list[Scene] = [
    Scene("welcome", _welcome),
    Scene("idle", _idle),
    Scene("technician-pin", _overlay("technician_overlay")),
    Scene("settings", _overlay("settings_overlay")),
    Scene("language", _overlay("language_overlay")),
    Scene("demarches", _demarches),
    Scene("gdpr-notice", _gdpr_notice),
    Scene("gdpr-from-consent", _gdpr_from_consent),
    Scene("status", _status),
    Scene("status-answer", _status_answer),
    Scene("mediator-names", _mediator_names),
    Scene("mediator-pin", _mediator_pin),
    Scene("mediator-consent", _mediator_consent),
    Scene("mediator-banner", _mediator_banner),
    Scene("mediator-panel", _mediator_panel),
    Scene("touch-welcome", _touch_explored(_welcome, lambda app: app.welcome.start_button)),
    Scene("touch-keyboard", _touch_explored(_demarche_step("signalement-rue", 2), _keyboard_key)),
]


@dataclass(frozen=True)
class Shot:
    scene: str
    language: str
    appearance: Appearance

    @property
    def file_name(self) -> str:
        a = self.appearance
        return f"{self.scene}-{self.language}-{a.text_size.name.lower()}-{a.theme.value}.png"


def iter_shots(
    app: KioskApp,
    scenes: list[Scene],
    languages: tuple[str, ...],
    sizes: tuple[TextSize, ...] = tuple(TextSize),
    themes: tuple[ThemeName, ...] = tuple(ThemeName),
) -> Iterator[Shot]:
    """Put the app in each scene × language × size × theme, yielding while it is shown."""
    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    panel = app.window.size()  # the configured screen's: every shot is taken at it
    for scene in scenes:
        for language in languages:
            for size in sizes:
                for theme in themes:
                    scene.enter(app)
                    app.set_language(language)
                    app.set_appearance(Appearance(theme=theme, text_size=size))
                    # Without a running event loop, deleteLater() never happens: the
                    # screens a scene replaced would pile up, and each restyle would
                    # walk them all (shots went from 0.2 s to 2 s each).
                    qt_app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                    qt_app.processEvents()
                    # A window grows to what its layout needs and never shrinks by
                    # itself: brought back to the panel's size, as a kiosk's screen is
                    # (a shot taller than the panel means the scene does not fit it).
                    for _ in range(2):  # the first resize may be undone by the layout
                        app.window.resize(panel)
                        qt_app.processEvents()
                    yield Shot(scene.name, language, app.appearance)


def all_scenes(app: KioskApp) -> list[Scene]:
    return [*SCENES, *demarche_scenes(app)]


def render_all(
    app: KioskApp,
    out_dir: Path,
    scenes: list[Scene] | None = None,
    *,
    sizes: tuple[TextSize, ...] = tuple(TextSize),
    themes: tuple[ThemeName, ...] = tuple(ThemeName),
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write one PNG per shot into ``out_dir``; return the files written.

    ``progress(done, total)`` is called after each shot (the command prints it: the full
    set takes minutes).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    chosen = scenes or all_scenes(app)
    languages = app.config.kiosk.languages
    total = len(chosen) * len(languages) * len(sizes) * len(themes)
    for shot in iter_shots(app, chosen, languages, sizes, themes):
        path = out_dir / shot.file_name
        if not app.window.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        written.append(path)
        if progress is not None:
            progress(len(written), total)
    _log.info("%d screenshots written to %s", len(written), out_dir)
    return written
