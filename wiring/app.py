"""Composition root: builds the kiosk from its configuration and wires the parts together.

This is the one module (with the CLI, and its helpers ``guide``, ``narration`` and
``delivery``) where Qt, the screens, speech, the queue and the domain meet. Everything a
visit leaves behind is removed by ``wipe_session``, the single way out of a visit (idle
timeout, "Abandonner", "Terminer" on the receipt, mediator "Terminer").

What runs before READY=1 does not touch PySide's ``Qt`` namespace (15 ms to build; see
``ui.screens.welcome``): this module reaches it as ``QtCore.Qt``, from the methods that
run later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication

from accessibility.sizes import ScreenMetrics, mm_per_pixel_from_dpi
from kiosk.config import Config
from kiosk.i18n import SOURCE_LANGUAGE, _, is_right_to_left, set_language, with_commune
from kiosk.paths import asset
from kiosk.security.pin import verify_pin
from kiosk.systemd_notify import SystemdNotifier
from ui.fonts import load_fonts
from ui.main_window import KioskWindow
from ui.screens.welcome import WelcomeScreen
from ui.style import Appearance, apply_appearance

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from accessibility.headphones import HeadphoneJack
    from accessibility.sizes import TextSize
    from accessibility.themes import ThemeName
    from kiosk.audit.journal import Journal
    from kiosk.catalog.model import Catalog
    from kiosk.catalog.store import CatalogStore
    from kiosk.connectors.open311_mapping import Open311Service
    from kiosk.connectors.wcs import WcsForm
    from kiosk.mediator.visit import EndReason
    from kiosk.security.technician_lockout import TechnicianLockout
    from kiosk.statistics.store import StatisticsStore
    from kiosk.visit import Visit
    from ui.idle import IdleWatcher
    from ui.input_hub import InputHub
    from ui.keypad import KeypadNavigation
    from ui.lockdown import LockdownFilter
    from ui.technician_gesture import CornerTapDetector
    from ui.touch_explore import TouchExplorer
    from wiring.backoffice_link import BackofficeLink
    from wiring.delivery import Delivery
    from wiring.gdpr import GdprNotice
    from wiring.guide import Guide
    from wiring.listening import PrivateListening
    from wiring.mediation import Mediation
    from wiring.narration import Narrator
    from wiring.retention import RetentionTimer
    from wiring.status_desk import StatusDesk

    AppFilter = LockdownFilter | IdleWatcher | CornerTapDetector | TouchExplorer | KeypadNavigation

_log = logging.getLogger(__name__)
CORNER_MM = 20.0
STATUS_REFRESH_MS = 15_000
EXIT_NO_OVERLAYS = 3  # the event loop's exit code when the kiosk cannot build its overlays
CATALOG_CACHE = "catalog-cache/catalog.json"


def screen_metrics(config: Config) -> ScreenMetrics:
    """Millimetres per pixel: from the config, else from the screen, else a 21.5" panel."""
    if config.screen.mm_per_pixel > 0:
        return ScreenMetrics(config.screen.mm_per_pixel)
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 0.0
    return ScreenMetrics(mm_per_pixel_from_dpi(dpi))


def load_catalog(config: Config) -> CatalogStore:
    """The configured catalog (or the bundled one), else the cached last good one.

    Raises CatalogError when none can be used: the kiosk cannot serve without one.
    """
    from kiosk.catalog.store import CatalogStore

    store = CatalogStore(cache_path=config.data_path() / CATALOG_CACHE)
    store.load(Path(config.catalog.path) if config.catalog.path else None)
    return store


def wcs_forms_of(config: Config, catalog: Catalog) -> Mapping[str, WcsForm]:
    """The catalog's w.c.s. forms when the back office is w.c.s. (nothing otherwise)."""
    if config.backoffice.kind != "wcs":
        return {}
    from kiosk.connectors.wcs_forms import wcs_forms

    return wcs_forms(catalog)


def open311_services_of(config: Config, catalog: Catalog) -> Mapping[str, Open311Service]:
    """The catalog's Open311 services when the back office is Open311 (nothing otherwise)."""
    if config.backoffice.kind != "open311":
        return {}
    from kiosk.connectors.open311_services import open311_services

    return open311_services(catalog)


class KioskApp(QObject):
    """The running kiosk: one window, one visit at a time.

    Attributes:
        window: the kiosk window; welcome: the welcome screen.
        visit: the resident's visit (Qt-free: the démarche, mediator, consent, sending).
        guide: the démarche's screens; mediation: the mediator's cards.
        narrator: audio mode; delivery: the queue and its sender.
        appearance: the current visit's text size and theme; language: its language.
        The services (from ``visit`` to ``status_desk``) exist once ``serving`` is True.

    Signals:
        ready: the welcome screen is shown (systemd READY=1 is sent then).
        session_wiped: everything of the last visit is gone.
        exit_requested: the technician exit was confirmed.
    """

    ready = Signal()
    session_wiped = Signal()
    exit_requested = Signal()
    out_of_service = Signal(str)

    lockdown: LockdownFilter
    idle: IdleWatcher
    corner: CornerTapDetector
    keypad: KeypadNavigation
    touch: TouchExplorer
    input_hub: InputHub
    catalogs: CatalogStore
    narrator: Narrator
    delivery: Delivery
    journal: Journal
    statistics: StatisticsStore
    retention: RetentionTimer
    visit: Visit
    guide: Guide
    mediation: Mediation
    status_desk: StatusDesk

    def __init__(
        self,
        config: Config,
        qt_app: QApplication,
        *,
        notifier: SystemdNotifier | None = None,
        setup_keyring: bool = False,
        headphones: HeadphoneJack | None = None,
    ) -> None:
        super().__init__(qt_app)
        self.config = config
        self.qt_app = qt_app
        self.notifier = notifier or SystemdNotifier()
        self._setup_keyring = setup_keyring
        self._headphones = headphones  # None: the jack [speech] headphones names
        self.metrics = screen_metrics(config)
        self.appearance = Appearance()
        self.language = config.kiosk.language
        self._wipers: list[Callable[[], None]] = []
        self._lockout: TechnicianLockout | None = None  # opened at the first technician PIN
        self._complete = False
        self._filters_ready = False  # the input filters are installed (complete_setup)
        self.serving = False  # the services are built: residents can be served
        self.backoffice: BackofficeLink | None = None  # with the kiosk's own back office
        self.listening: PrivateListening | None = None  # when headphones can be followed
        self.gdpr: GdprNotice | None = None  # "Vos données", with the overlays
        self._prerendered: set[str] = set()  # languages whose static speech is cached

        self._initial_font = qt_app.font()
        load_fonts()
        set_language(self.language)
        if is_right_to_left(self.language):  # left to right is Qt's default
            self._apply_direction(self.language)
        self.window = KioskWindow(
            config.kiosk.commune_name,
            self._logo_path(),
            self.metrics,
            idle_countdown_seconds=config.kiosk.idle_countdown_seconds,
            languages=config.kiosk.languages,
        )
        # Before anything is shown: each widget is polished once, at its first show.
        apply_appearance(qt_app, self.window, self.appearance, self.metrics)
        self.welcome = WelcomeScreen(
            config.kiosk.commune_name, config.kiosk.languages, self.metrics, self.window
        )
        self.window.show_screen(self.welcome, welcome=True)
        self.welcome.mark_language(self.language)
        self._connect()
        self._watchdog = self._start_watchdog()

    def complete_setup(self) -> None:
        """Build what the welcome screen does not need: the input filters (lockdown, idle
        watch, technician gesture, touch and confirm, keypad), the overlays (idle question,
        technician PIN pad, settings, languages), secrets, catalog, speech, queue, guide.

        ``show()`` runs it just after the welcome screen is up (so READY=1 and the first
        picture come as early as possible); callers that need the guide at once (tests,
        screenshots) call it themselves. It runs once.

        The filters come from the first turn of the event loop, before any hand can reach
        the screen; until then the window itself refuses to close, and the welcome screen
        has nothing that opens a menu. Without its filters and overlays the kiosk would
        have no technician exit: if they cannot be built, the event loop ends (exit code
        ``EXIT_NO_OVERLAYS``) and systemd starts the kiosk again. Without its services,
        it shows a calm out-of-service screen.
        """
        if self._complete:
            return
        self._complete = True
        try:
            self._install_filters()
            self._remove_window_frame()
            self.window.build_overlays()
            self._connect_overlays()
        except Exception as error:
            _log.critical("the kiosk cannot build its overlays, stopping: %r", error)
            self.qt_app.exit(EXIT_NO_OVERLAYS)
            return
        self.window.settings.show_current(self.appearance.text_size, self.appearance.theme)
        # READY=1 has armed systemd's watchdog; this set-up holds the event loop, and on a
        # slow terminal (or a cold first start) it can outlast WatchdogSec: each step
        # done is progress, said as such, so systemd does not restart a kiosk in set-up.
        self._watchdog_progress()
        try:
            self._build_services()
        except Exception as error:
            # The technician reads why in the journal; the resident reads where to go.
            _log.error("the kiosk cannot serve residents: %s", error, exc_info=error)
            self.welcome.show_out_of_service()
            self.out_of_service.emit(str(error))
            return
        self._watchdog_progress()
        self.serving = True

    def _watchdog_progress(self) -> None:
        if self._watchdog is not None:
            self.notifier.watchdog()

    def _build_services(self) -> None:
        """The services; on failure, what was started is stopped again and it raises."""
        from kiosk import secrets
        from kiosk.connectors.configured import connector_from_config
        from wiring.delivery import Delivery

        config = self.config
        if self._setup_keyring:
            secrets.configure_keyring(config.security, config.data_path())
        # A development machine makes its keys at its first start; a deployed terminal
        # stops here, out of service, naming the key `kiosk enroll` must make. The terminal
        # secret is never made here: the back office must have it (kiosk enroll
        # terminal-secret); until then requests are queued and not sent.
        secrets.first_run_keys(secrets.DATA_KEYS, deployed=config.security.deployed)
        self.catalogs = load_catalog(config)
        connector = connector_from_config(
            config,
            wcs_forms=wcs_forms_of(config, self.catalog()),
            open311_services=open311_services_of(config, self.catalog()),
        )  # the only one: delivery, the back-office link and the status desk share it
        self.delivery = Delivery(config, connector, self)
        self.delivery.start()
        try:
            self._build_visit_services()
        except Exception:
            self.delivery.stop()
            raise

    def _build_visit_services(self) -> None:
        from kiosk.audit.terminal import open_terminal_journal
        from kiosk.domain.figures import DailyFigures
        from kiosk.statistics.recorder import VisitStatistics
        from kiosk.statistics.store import STATISTICS_FILE, StatisticsStore
        from kiosk.visit import Visit
        from wiring.guide import Guide
        from wiring.mediation import Mediation
        from wiring.narration import Narrator
        from wiring.status_desk import build_status_desk

        config = self.config
        self.journal = open_terminal_journal(config.data_path())
        self.statistics = StatisticsStore(config.data_path() / STATISTICS_FILE)
        self.visit = Visit(
            outbox=self.delivery,
            journal=self.journal,
            figures=DailyFigures(),
            statistics=VisitStatistics(self.statistics),
        )
        self.narrator = Narrator(config, self.qt_app, self.input_hub, lambda: self.language)
        self.guide = Guide(
            self.window,
            catalog=self.offered_catalog,
            visit=self.visit,
            delivery=self.delivery,
            language=lambda: self.language,
            tracking_url=config.backoffice.tracking_url,
            backoffice_kind=config.backoffice.kind,
            parent=self,
        )
        self.mediation = Mediation(
            window=self.window,
            visit=self.visit,
            journal=self.journal,
            delivery=self.delivery,
            narrator=self.narrator,
            data_dir=config.data_path(),
            metrics=self.metrics,
            parent=self,
        )
        self.status_desk = build_status_desk(
            self.window, self.delivery.store, self.delivery.connector, self.metrics, self
        )
        self._connect_services()
        self._follow_headphones()
        self._link_backoffice()
        self._keep_retention()

    def _keep_retention(self) -> None:
        """The retention periods, applied now and every day (journaled)."""
        from kiosk.retention import Retention
        from wiring.retention import RetentionTimer

        retention = Retention(self.config, self.statistics, self.delivery.store, self.journal)
        self.retention = RetentionTimer(retention, self)
        self.retention.start()

    def _follow_headphones(self) -> None:
        from wiring.listening import PrivateListening, configured_jack

        jack = self._headphones or configured_jack(self.config)
        if jack is not None:
            self.listening = PrivateListening(jack, self.narrator, self._headphones_in, self)
            self.add_wiper(self.listening.wipe)  # after the narrator's

    def catalog(self) -> Catalog:
        current = self.catalogs.current
        assert current is not None  # load_catalog raised otherwise
        return current

    def offered_catalog(self) -> Catalog:
        """What residents are offered: the démarches the configured back office can take
        (``Catalog.offered``; ``kiosk doctor`` names the others)."""
        return self.catalog().offered(self.config.backoffice.kind)

    # ------------------------------------------------------------ set-up

    def _logo_path(self) -> Path:
        configured = Path(self.config.kiosk.logo) if self.config.kiosk.logo else None
        if configured is not None and configured.is_file():
            return configured
        if configured is not None:
            _log.warning("logo %s not found; using the bundled logo", configured)
        return asset("logo-admiville.svg")

    def _install_filters(self) -> None:
        from ui.idle import IdleWatcher
        from ui.input_hub import InputHub
        from ui.keypad import KeypadNavigation
        from ui.lockdown import LockdownFilter
        from ui.technician_gesture import CornerTapDetector
        from ui.touch_explore import TouchExplorer

        self.lockdown = LockdownFilter(self)
        self.idle = IdleWatcher(self.config.kiosk.idle_seconds * 1000, self)
        self.corner = CornerTapDetector(self.window, self.metrics.px(CORNER_MM))
        self.keypad = KeypadNavigation(self)
        self.touch = TouchExplorer(self)
        self.touch.active_changed.connect(self._touch_mode_changed)
        self.add_wiper(self.touch.wipe)
        self.input_hub = InputHub(self)
        for event_filter in self._filters():
            self.input_hub.add(event_filter, event_filter.EVENT_TYPES)
        self.qt_app.installEventFilter(self.input_hub)
        self.idle.disarm()  # armed by the first resident's first touch
        self._filters_ready = True
        if self.config.kiosk.hide_cursor:
            QGuiApplication.setOverrideCursor(QCursor(QtCore.Qt.CursorShape.BlankCursor))

    def _remove_window_frame(self) -> None:
        """No title bar, hence no minimise button, should the window system ever take the
        window out of full screen (an X11 window manager may; cage does not). Set on the
        shown window, without hiding it: before READY=1 it would cost the ``Qt``
        namespace (see ``show``)."""
        handle = self.window.windowHandle()
        if handle is not None:
            handle.setFlags(handle.flags() | QtCore.Qt.WindowType.FramelessWindowHint)

    def _filters(self) -> tuple[AppFilter, ...]:
        # Touch-and-confirm after what counts every touch, before the keypad (5 confirms).
        return (self.lockdown, self.idle, self.corner, self.touch, self.keypad)

    def _filters_installed(self) -> bool:
        return self._filters_ready

    def _connect(self) -> None:
        w = self.window
        self.welcome.start_requested.connect(self.start_visit)
        self.welcome.language_chosen.connect(self._language_chosen)
        self.welcome.listen_requested.connect(lambda: self.set_audio_mode(True))
        self.welcome.status_requested.connect(self.open_status)
        self.welcome.gdpr_requested.connect(self.open_gdpr_notice)
        self.welcome.touch_mode_requested.connect(self.toggle_touch_mode)
        w.top_bar.listen_toggled.connect(self.set_audio_mode)
        w.close_refused.connect(lambda: _log.info("window close refused"))

    def _connect_overlays(self) -> None:
        from wiring.gdpr import GdprNotice

        w = self.window
        self.gdpr = GdprNotice(w, self.config, self._say, self)
        # Before every filter, speech's included: a dropped press must not cut the speech
        # that reads the new screen.
        self.input_hub.add(w.tap_guard, w.tap_guard.EVENT_TYPES, first=True)
        self.idle.idle_timed_out.connect(self.ask_still_here)
        w.idle_question.still_here.connect(self._visit_goes_on)
        w.idle_question.countdown_finished.connect(self._wipe_after_idle)
        self.corner.triggered.connect(w.technician_overlay.open)
        w.technician_overlay.opened.connect(w.technician_pad.clear)
        w.technician_pad.pin_entered.connect(self._check_technician_pin)
        w.technician_pad.cancelled.connect(w.technician_overlay.close_overlay)
        w.settings.text_size_chosen.connect(self._text_size_chosen)
        w.settings.theme_chosen.connect(self._theme_chosen)
        w.language_overlay.opened.connect(lambda: w.languages.choices.mark(self.language))
        w.languages.language_chosen.connect(self._language_chosen)

    def _prerender_speech(self) -> None:
        """Static texts of every screen to WAV in the background (speech then starts at once).

        When audio mode is first switched on, once per language and catalog: kiosks whose
        residents never ask for speech spend nothing on it, and the cache stays on disk
        across restarts, so later visits find it ready.
        """
        if self.language in self._prerendered:
            return
        self._prerendered.add(self.language)
        self.narrator.prerender([self.welcome.spoken_text(), *self.guide.texts_to_prerender()])

    def print_receipt(self) -> None:
        """"Imprimer" on the receipt: on the configured printer, or as a PDF file."""
        import datetime

        from ui.receipt_print import print_receipt

        receipt = self.guide.receipt
        view = receipt.view
        printer = self._printer(view.reference) if view is not None else None
        commune = with_commune(_("Mairie de {commune}"), self.config.kiosk.commune_name)
        today = datetime.date.today().strftime("%d/%m/%Y")
        printed = printer is not None and print_receipt(
            printer,
            title=f"{commune}\n{receipt.title.text()}",
            reference_caption=receipt.reference_caption.text(),
            reference=view.reference if view else "",
            lines=[_("Date : {date}").format(date=today), *receipt.printed_lines()],
            tracking=view.tracking if view else "",
        )
        _log.info("receipt %s", "printed" if printed else "not printed")
        receipt.show_print_result(printed)
        self.narrator.say(receipt.print_status.text())

    def _printer(self, reference: str) -> QPrinter | None:
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        from ui.receipt_print import pdf_printer

        setting = self.config.kiosk.printer
        if setting.startswith("pdf:"):
            folder = Path(setting.removeprefix("pdf:"))
            folder.mkdir(parents=True, exist_ok=True)
            return pdf_printer(str(folder / f"recu-{reference}.pdf"))
        info = QPrinterInfo.printerInfo(setting)
        if info.isNull():
            _log.warning("printer %r not found (lpstat -p lists the printers)", setting)
            return None
        return QPrinter(info, QPrinter.PrinterMode.HighResolution)

    def _link_backoffice(self) -> None:
        """Catalog updates and heartbeats, when the back office is the kiosk's own API."""
        connector = self.delivery.connector
        if connector is None or self.config.backoffice.kind != "http":
            return  # checked first: the connector's module imports requests (~10 MiB)
        from kiosk.connectors.http_api import HttpApiConnector
        from kiosk.mediator.console_sync import RosterSync
        from wiring.backoffice_link import BackofficeLink

        if not isinstance(connector, HttpApiConnector):
            return
        self.backoffice = BackofficeLink(
            connector,
            self.catalogs,
            self.delivery.status,
            self.config.backoffice.poll_minutes,
            self,
            journal_head=self.visit.journal_head,
            statistics=self.statistics,
            mediators=RosterSync(connector, self.mediation.registry),
        )
        self.backoffice.catalog_changed.connect(self._catalog_changed)
        self.backoffice.start()

    def _catalog_changed(self) -> None:
        """A new catalog: the list of démarches shows it next time (a visit keeps its own)."""
        self._prerendered.clear()
        self.guide.question.forget_kept_editors()  # built from the old catalog's questions
        if self.narrator.audio_mode:
            self._prerender_speech()
        if self.window.screens.currentWidget() is self.guide.demarches:
            self.guide.show_demarches()

    def _refresh_delivery_status(self, *_event: object) -> None:
        self.window.top_bar.show_delivery_status(*self.delivery.describe())

    def _connect_services(self) -> None:
        from kiosk.mediator.visit import EndReason

        w, guide, narrator = self.window, self.guide, self.narrator
        self.delivery.sync_event.connect(self._refresh_delivery_status)
        guide.submission_queued.connect(self._refresh_delivery_status)
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self._refresh_delivery_status)
        self._status_timer.start(STATUS_REFRESH_MS)
        self._refresh_delivery_status()
        w.idle_question.announce.connect(narrator.say)
        w.settings_overlay.opened.connect(lambda: narrator.say(w.settings.title.text()))
        guide.speak.connect(narrator.say)
        guide.demarche_started.connect(self.mediation.demarche_started)
        guide.visit_ended.connect(self.wipe_session)
        guide.demarches.back_requested.connect(self.wipe_session)
        self.keypad.repeat_requested.connect(narrator.speaker.repeat)
        self.keypad.help_requested.connect(self._keypad_help)
        self.keypad.louder_requested.connect(self._louder_or_listen)
        self.keypad.say.connect(narrator.say)
        self.keypad.typed.connect(narrator.say_typed)
        guide.question.notice.connect(narrator.say)
        for chosen in (w.settings.text_size_chosen, w.settings.theme_chosen):
            chosen.connect(narrator.announce_choice)
        w.languages.language_chosen.connect(narrator.announce_choice)
        w.language_overlay.opened.connect(lambda: narrator.say(w.languages.title.text()))
        self.keypad.quieter_requested.connect(narrator.speaker.quieter)
        self.keypad.slower_requested.connect(narrator.speaker.slower)
        self.keypad.faster_requested.connect(narrator.speaker.faster)
        narrator.speaker.settings_changed.connect(narrator.announce_settings)
        guide.question.answer_changed.connect(narrator.announce_choice)
        self.touch.explored.connect(narrator.announce_explored)
        guide.receipt.offer_printing(bool(self.config.kiosk.printer))
        guide.receipt.print_requested.connect(self.print_receipt)
        self.add_wiper(guide.wipe)
        self.add_wiper(narrator.wipe)
        self.add_wiper(self.mediation.wipe)
        self.add_wiper(self.status_desk.wipe)
        self.status_desk.speak.connect(narrator.say)
        self.status_desk.looked_up.connect(self.visit.status_looked_up)
        self.mediation.consent.rights_requested.connect(self.open_gdpr_notice)
        self.keypad.used.connect(lambda: self._note("keypad"))
        self.status_desk.screen.back_requested.connect(self.wipe_session)
        self.mediation.panel.end_visit_requested.connect(
            lambda: self.wipe_session(EndReason.FINISHED)
        )
        self.exit_requested.connect(self.mediation.technician_exit)

    def _start_watchdog(self) -> QTimer | None:
        if not (self.config.kiosk.watchdog and self.notifier.watchdog_interval_ms):
            return None
        # Pinged from the event loop: a frozen GUI stops the pings and systemd restarts us.
        timer = QTimer(self)
        timer.setInterval(self.notifier.watchdog_interval_ms)
        timer.timeout.connect(self.notifier.watchdog)
        timer.start()
        return timer

    # ------------------------------------------------------------ life cycle

    def show(self) -> None:
        """Show the window (full screen unless configured otherwise) and tell systemd."""
        if self.config.kiosk.fullscreen:
            # At the screen's size from the start: the first picture is the final one,
            # laid out once (the window system would resize it a moment later).
            self.window.resize(self.window.screen().size())
            self.window.showFullScreen()
        else:
            frameless = QtCore.Qt.WindowType.FramelessWindowHint
            self.window.setWindowFlag(frameless, True)
            screen = self.config.screen
            self.window.resize(screen.screenshot_width, screen.screenshot_height)
            self.window.show()
        self.welcome.start_button.setFocus()  # the default reason: OtherFocusReason
        # READY after a synchronous paint (offscreen, X11); under Wayland the compositor
        # may expose the window a moment later.
        self.window.repaint()
        self.notifier.ready()
        _log.info("kiosk ready (%s)", self.config.source)
        self.ready.emit()
        QTimer.singleShot(0, self.complete_setup)

    def shutdown(self) -> None:
        """Stop the sender, close the window, release Qt objects in order.

        The window and this object are deleted before it returns: call it outside any
        event handler (after the event loop, from a command or a test), never from a slot.
        """
        self._complete = True  # a set-up still queued by show() must not start after this
        if self._filters_installed():
            self.qt_app.removeEventFilter(self.input_hub)
            if self.config.kiosk.hide_cursor:
                QGuiApplication.restoreOverrideCursor()
        if self._services_ready():
            from kiosk.mediator.visit import EndReason

            self._status_timer.stop()
            if self.backoffice is not None:
                self.backoffice.stop()
            self.delivery.sync_event.disconnect(self._refresh_delivery_status)
            if self.listening is not None:
                self.listening.stop()
            self.narrator.shutdown()
            self.status_desk.stop()
            self.retention.stop()
            self.visit.end(EndReason.SHUTDOWN)
            self.mediation.close()
            self.journal.close()
            self.statistics.close()
            if not self.delivery.stop():
                _log.warning("kiosk stopping with a delivery still under way; that request "
                             "is sent again at the next start")
        if self._lockout is not None:
            self._lockout.close()
        self.window.allow_close()
        self.window.close()
        self.window.deleteLater()
        # Give the application back as it was found (tests build several kiosks in turn).
        self.qt_app.setFont(self._initial_font)
        self.qt_app.setLayoutDirection(QtCore.Qt.LayoutDirection.LeftToRight)
        set_language(SOURCE_LANGUAGE)
        self.deleteLater()
        self.qt_app.processEvents()
        # processEvents() outside an event loop leaves deleteLater() to whatever turns the
        # loop next: in a test session, the next kiosk's visit, which then destroyed this
        # whole window in the middle of its own screens. Callers run outside any event
        # loop (after exec(), a command, a test), so the window and this object go now.
        self.qt_app.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete.value)

    def _services_ready(self) -> bool:
        return self.serving

    def add_wiper(self, wiper: Callable[[], None]) -> None:
        """Register something that must be forgotten at the end of every visit."""
        self._wipers.append(wiper)

    def wipe_session(self, reason: EndReason | None = None) -> None:
        """End the visit: forget every answer, screen state, setting, sound and clipboard.

        ``reason`` is why a mediator's session ends (journaled with the logout); None: the
        resident's visit is over (sent, abandoned, or left). The Qt-free ``Visit`` ends
        first, then every screen forgets. Every step runs even if another fails (a full
        disk must not leave the last resident's receipt on screen); failures are logged by
        type only.
        """
        steps: list[Callable[[], None]] = [
            lambda: self._end_visit(reason),
            self.window.close_overlays,
            lambda: self.window.show_screen(self.welcome, welcome=True),
            *self._wipers,
            self._clear_clipboard,
            lambda: self.window.top_bar.listen_button.setChecked(False),
            lambda: self.set_appearance(Appearance()),
            lambda: self.set_language(self.config.kiosk.language),
            self.welcome.start_button.setFocus,  # the default reason: OtherFocusReason
        ]
        for step in steps:
            try:
                step()
            except Exception as error:
                _log.error("a step of the wipe failed: %s", type(error).__name__)
        if self._filters_installed():
            self.idle.disarm()  # the next resident's first touch starts the idle watch
        _log.info("session wiped")
        self.session_wiped.emit()

    def _end_visit(self, reason: EndReason | None) -> None:
        if self.serving:
            from kiosk.mediator.visit import EndReason

            self.visit.end(reason or EndReason.VISIT_OVER)

    @staticmethod
    def _clear_clipboard() -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)

    def start_visit(self) -> None:
        self.complete_setup()
        if not self._services_ready():
            return
        _log.info("visit started")
        self.guide.show_demarches()

    def open_status(self) -> None:
        """"Où en est ma demande ?" on the welcome screen."""
        self.complete_setup()
        if self._services_ready():
            self.status_desk.open()

    def open_gdpr_notice(self) -> None:
        """"Vos données" (welcome screen) or "Mes droits" (consent question)."""
        self.complete_setup()
        if self.gdpr is not None:
            self._note("gdpr_notice")
            self.gdpr.open()

    def _say(self, text: str) -> None:
        if self._services_ready():
            self.narrator.say(text)

    def ask_still_here(self) -> None:
        self.window.idle_overlay.open()
        self.window.idle_question.start()

    def _wipe_after_idle(self) -> None:
        from kiosk.mediator.visit import EndReason

        self.wipe_session(EndReason.IDLE)

    def _visit_goes_on(self) -> None:
        self.window.idle_overlay.close_overlay()
        self.idle.start()

    def _keypad_help(self, keys: str) -> None:
        """Keypad ".": the question's help text first, then what the keys do here."""
        question = self.guide.question
        help_button = question.help_button
        on_question = self.window.screens.currentWidget() is question
        if on_question and help_button.isVisible() and not help_button.isChecked():
            help_button.setChecked(True)
        else:
            self.narrator.say(keys)

    def _louder_or_listen(self) -> None:
        """Keypad "+": the voice on from any screen when it is off, else louder."""
        if self.narrator.audio_mode:
            self.narrator.speaker.louder()
        else:
            self.set_audio_mode(True)

    # ------------------------------------------------------------ settings of the visit

    def set_audio_mode(self, on: bool) -> None:
        self.complete_setup()
        if not self._services_ready():
            return
        self.narrator.set_audio_mode(on)
        if self.narrator.audio_mode:
            self._note("audio")
        self.window.top_bar.listen_button.setChecked(self.narrator.audio_mode)
        self.window.top_bar.retranslate()
        if self.narrator.audio_mode:
            self._prerender_speech()
            current = self.window.screens.currentWidget()
            spoken = getattr(current, "spoken_text", None)
            if current is self.welcome and spoken is not None:
                self.narrator.say(spoken())
            elif current is self.guide.review:
                self.narrator.say(self.guide.review.spoken_text(include_personal=False))
            elif spoken is not None:
                self.narrator.say(spoken())

    def _headphones_in(self) -> None:
        self._note("headphones")
        self.set_audio_mode(True)

    def _text_size_chosen(self, size: TextSize) -> None:
        self._note("text_size", size.name.lower())
        self.set_appearance(self.appearance.with_text_size(size))

    def _theme_chosen(self, theme: ThemeName) -> None:
        self._note("theme", theme.value)
        self.set_appearance(self.appearance.with_theme(theme))

    def _language_chosen(self, language: str) -> None:
        self._note("language", language)
        self.set_language(language)

    def _note(self, usage: str, value: str | None = None) -> None:
        """A resident's choice (a ``Usage`` by name), counted anonymously once the services
        are up (the statistics module is imported after READY=1)."""
        if self._services_ready():
            from kiosk.statistics.recorder import Usage

            self.visit.note(Usage(usage), value)
    def toggle_touch_mode(self) -> None:
        """"Toucher pour entendre" on the welcome screen (the keypad's 3 does it too)."""
        self.complete_setup()
        if self._filters_installed():
            self.touch.toggle()

    def _touch_mode_changed(self, on: bool) -> None:
        """Touch and confirm speaks: it turns audio mode on, and says how it works."""
        self.welcome.show_touch_mode(on)
        if not self._services_ready():
            return
        if on:
            self._note("touch_confirm")
            self.set_audio_mode(True)
            self.narrator.say(
                _(
                    "Toucher pour entendre : activé. Touchez l'écran : la borne dit ce qu'il "
                    "y a sous le doigt. Pour choisir, touchez encore, ou appuyez sur 5."
                )
            )
        else:
            self.narrator.say(_("Toucher pour entendre : arrêté."))

    def set_appearance(self, appearance: Appearance) -> None:
        """Apply a text size and theme to every screen at once."""
        if appearance == self.appearance:
            return  # restyling every widget costs 0.1 s or more: only on change
        self.appearance = appearance
        if self._services_ready():
            self.guide.question.forget_kept_editors()
        # Thousands of Qt's own events, none for the input filters: no detour by Python.
        quiet = self.input_hub.detached(self.qt_app) if self._filters_installed() else nullcontext()
        with quiet:
            apply_appearance(self.qt_app, self.window, appearance, self.metrics)
        if self.window.overlays_built():
            self.window.settings.show_current(appearance.text_size, appearance.theme)

    def set_language(self, language: str) -> None:
        self.language = language
        set_language(language)
        self._apply_direction(language)
        self.window.retranslate()
        self.welcome.retranslate()
        self.welcome.mark_language(language)
        if self.gdpr is not None:
            self.gdpr.retranslate()
        if self._services_ready():
            self.guide.retranslate()
            self.mediation.retranslate()
            self.status_desk.retranslate()
            if self.narrator.audio_mode:
                self._prerender_speech()
            self._refresh_delivery_status()

    def _apply_direction(self, language: str) -> None:
        layout = QtCore.Qt.LayoutDirection
        rtl = is_right_to_left(language)
        self.qt_app.setLayoutDirection(layout.RightToLeft if rtl else layout.LeftToRight)

    # ------------------------------------------------------------ technician exit

    def _check_technician_pin(self, pin: str) -> None:
        pad = self.window.technician_pad
        lockout = self._technician_lockout()
        if lockout is None:
            pad.refuse(_("Trop d'essais. Attendez un moment."), 0.0)
            return
        verdict = lockout.attempt(lambda: self._pin_matches(pin))
        if verdict.ok:
            _log.warning("technician exit")
            self.window.technician_overlay.close_overlay()
            self.window.allow_close()
            self.exit_requested.emit()
            self.window.close()
        elif not verdict.checked:
            pad.refuse(_("Trop d'essais. Attendez un moment."), verdict.wait_seconds)
        else:
            pad.refuse(_("Ce code n'est pas le bon."), verdict.wait_seconds)

    def _technician_lockout(self) -> TechnicianLockout | None:
        """The pad's lockout file, opened at the first PIN (journaled once services run).

        None when it cannot be opened (tried again at the next PIN): no PIN is then checked,
        as a lock nobody could count is no lock; the technician reads why in the log and
        can stop the kiosk from a shell.
        """
        if self._lockout is None:
            import sqlite3

            from kiosk.security.technician_lockout import (
                TECHNICIAN_LOCKOUT_FILE,
                TechnicianLockout,
            )

            journal = self.journal if self._services_ready() else None
            try:
                self._lockout = TechnicianLockout(
                    self.config.data_path() / TECHNICIAN_LOCKOUT_FILE, journal
                )
            except (sqlite3.Error, OSError) as error:
                _log.critical("technician PIN lockout unavailable, no PIN checked: %s", error)
        return self._lockout

    def _pin_matches(self, pin: str) -> bool:
        from kiosk.security.technician import DEFAULT_TECHNICIAN_PIN, technician_pin_hash

        stored = technician_pin_hash(self.config)
        if stored is None:
            _log.warning("no technician PIN enrolled: the default PIN is active")
            return pin == DEFAULT_TECHNICIAN_PIN
        return verify_pin(pin, stored)
