"""The kiosk shell: it cannot be closed by a resident, exits only for a technician,
asks before wiping an idle visit, and forgets everything when it wipes."""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import (
    QAccessible,
    QContextMenuEvent,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QPalette,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from accessibility.sizes import TextSize
from accessibility.themes import THEMES, ThemeName
from kiosk.config import BackofficeSection, CatalogSection, Config, KioskSection
from kiosk.domain.session import ReviewItem
from kiosk.secrets import SERVICE, TECHNICIAN_PIN
from kiosk.security.pin import hash_pin
from tests.a11y import find, find_widget, press, walk
from ui.style import Appearance, FontSizes
from wiring.app import EXIT_NO_OVERLAYS, KioskApp


def tap_logo_corner(window, times=5):
    for _ in range(times):
        QTest.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def type_pin(window, pin):
    for digit in pin:
        press(window, digit)
    press(window, "Valider")


def test_a_text_size_and_a_theme_reach_screens_and_overlays_all_inside_the_window(make_kiosk):
    """The stylesheet is the window's, not the application's (ui/style.py): a widget
    shown as a window of its own would go unstyled."""
    kiosk = make_kiosk()
    chosen = Appearance(theme=ThemeName.HIGH_CONTRAST, text_size=TextSize.LARGEST)
    kiosk.set_appearance(chosen)
    kiosk.window.settings_overlay.open()
    fonts = FontSizes.for_appearance(chosen, kiosk.metrics)
    theme = THEMES[chosen.theme]
    assert fonts.body > FontSizes.for_appearance(Appearance(), kiosk.metrics).body
    labels = [
        label
        for host in (kiosk.welcome, kiosk.window.settings)
        for label in host.findChildren(QLabel)
        if label.property("role") is None and label.isVisible()
    ]
    assert labels
    for label in labels:
        assert label.font().pixelSize() == fonts.body, label.text()
    screens = kiosk.window.screens.palette().color(QPalette.ColorRole.Window)
    assert screens.name() == theme.background
    visible_windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible_windows == [kiosk.window]
    assert all(w.window() is kiosk.window for w in kiosk.window.findChildren(QWidget))
    assert QApplication.instance().styleSheet() == ""


def test_the_window_refuses_to_close(make_kiosk, qtbot):
    kiosk = make_kiosk()
    with qtbot.waitSignal(kiosk.window.close_refused):
        assert kiosk.window.close() is False
    assert kiosk.window.isVisible()


def test_close_shortcuts_are_swallowed(make_kiosk):
    kiosk = make_kiosk()
    for key, modifier in [
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ]:
        event = QKeyEvent(QEvent.Type.KeyPress, key, modifier)
        assert kiosk.lockdown.eventFilter(kiosk.window, event) is True
    ordinary = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    assert kiosk.lockdown.eventFilter(kiosk.window, ordinary) is False
    assert kiosk.window.isVisible()


def test_no_context_menu_anywhere(make_kiosk):
    kiosk = make_kiosk()
    button = find_widget(kiosk.window, "Commencer")
    where = QPoint(2, 2)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, button.mapToGlobal(where))
    assert kiosk.lockdown.eventFilter(button, event) is True


def test_technician_gesture_and_right_pin_close_the_kiosk(make_kiosk, qtbot, memory_keyring):
    memory_keyring.set_password(SERVICE, TECHNICIAN_PIN, hash_pin("258013"))
    kiosk = make_kiosk()
    tap_logo_corner(kiosk.window)
    assert kiosk.window.technician_overlay.isVisible()
    with qtbot.waitSignal(kiosk.exit_requested):
        type_pin(kiosk.window, "258013")
    assert not kiosk.window.isVisible()


def test_four_taps_or_taps_elsewhere_do_nothing(make_kiosk):
    kiosk = make_kiosk()
    tap_logo_corner(kiosk.window, times=4)
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, pos=QPoint(900, 500))
    tap_logo_corner(kiosk.window, times=1)
    assert not kiosk.window.technician_overlay.isVisible()


def test_a_wrong_pin_does_not_close_and_locks_the_pad(make_kiosk, memory_keyring):
    memory_keyring.set_password(SERVICE, TECHNICIAN_PIN, hash_pin("258013"))
    kiosk = make_kiosk()
    tap_logo_corner(kiosk.window)
    type_pin(kiosk.window, "111111")
    pad = kiosk.window.technician_pad
    assert kiosk.window.isVisible()
    assert not pad.locked  # the first mistake is free
    type_pin(kiosk.window, "222222")
    assert pad.locked
    assert not find_widget(kiosk.window, "5").isEnabled()
    kiosk._check_technician_pin("258013")  # even the right PIN waits for the delay
    assert kiosk.window.isVisible()


def test_the_pad_stays_locked_after_a_restart(make_kiosk, memory_keyring):
    memory_keyring.set_password(SERVICE, TECHNICIAN_PIN, hash_pin("258013"))
    kiosk = make_kiosk()
    tap_logo_corner(kiosk.window)
    type_pin(kiosk.window, "111111")
    type_pin(kiosk.window, "222222")
    assert kiosk.window.technician_pad.locked
    restarted = make_kiosk()  # a new kiosk over the same data folder
    tap_logo_corner(restarted.window)
    restarted._check_technician_pin("258013")  # the right PIN still waits for the delay
    assert restarted.window.isVisible()
    assert restarted.window.technician_pad.locked
    kinds = [entry.kind for entry in restarted.mediation.journal.entries()]
    assert "technician_locked" in kinds


def test_without_its_lockout_file_the_pad_checks_no_pin(make_kiosk, memory_keyring, data_dir,
                                                        caplog):
    memory_keyring.set_password(SERVICE, TECHNICIAN_PIN, hash_pin("258013"))
    (data_dir / "technician.sqlite3").mkdir(parents=True)  # a file SQLite cannot open
    kiosk = make_kiosk()
    tap_logo_corner(kiosk.window)
    type_pin(kiosk.window, "258013")
    assert kiosk.window.isVisible()
    assert "technician PIN lockout unavailable" in caplog.text


def test_the_pin_never_appears_on_screen(make_kiosk):
    kiosk = make_kiosk()
    tap_logo_corner(kiosk.window)
    for digit in "482163":
        press(kiosk.window, digit)
    shown = [i.text(QAccessible.Text.Name) for i in walk(kiosk.window.technician_pad)]
    assert not any("48" in text or "21" in text or "63" in text for text in shown)
    assert kiosk.window.technician_pad.entered_length == 6


def first_touch(kiosk):
    """A resident arrives: the idle watch starts with the first touch or key."""
    QTest.keyClick(find_widget(kiosk.window, "Commencer"), Qt.Key.Key_Shift)


def test_an_untouched_welcome_screen_never_asks_if_someone_is_there(make_kiosk, qtbot):
    kiosk = make_kiosk(idle_seconds=1, idle_countdown_seconds=1)
    QTest.qWait(1500)
    assert not kiosk.idle.active
    assert not kiosk.window.idle_overlay.isVisible()
    first_touch(kiosk)
    assert kiosk.idle.active


def test_idle_overlay_then_wipe(make_kiosk, qtbot):
    kiosk = make_kiosk(idle_seconds=1, idle_countdown_seconds=2)
    first_touch(kiosk)
    kiosk.set_language("en")
    with qtbot.waitSignal(kiosk.idle.idle_timed_out, timeout=3000):
        pass
    overlay = kiosk.window.idle_overlay
    assert overlay.isVisible()
    with qtbot.waitSignal(kiosk.session_wiped, timeout=4000):
        pass
    assert not overlay.isVisible()
    assert kiosk.language == "fr"
    assert kiosk.window.screens.currentWidget() is kiosk.welcome


def test_je_suis_la_keeps_the_visit(make_kiosk, qtbot):
    kiosk = make_kiosk(idle_seconds=1, idle_countdown_seconds=5)
    first_touch(kiosk)
    wiped = []
    kiosk.session_wiped.connect(lambda: wiped.append(True))
    with qtbot.waitSignal(kiosk.idle.idle_timed_out, timeout=3000):
        pass
    press(kiosk.window, "Je suis là")
    assert not kiosk.window.idle_overlay.isVisible()
    assert kiosk.idle.active
    assert not wiped


def test_wipe_clears_the_clipboard_and_calls_every_wiper(make_kiosk):
    kiosk = make_kiosk()
    forgotten = []
    kiosk.add_wiper(lambda: forgotten.append("answers"))
    QGuiApplication.clipboard().setText("Jeanne Martin, 3 rue des Lilas")
    kiosk.wipe_session()
    assert forgotten == ["answers"]
    assert QGuiApplication.clipboard().text() == ""


def test_a_screen_that_fails_to_forget_does_not_stop_the_others(make_kiosk, monkeypatch):
    kiosk = make_kiosk()
    kiosk.start_visit()
    kiosk.guide.review.show_items((ReviewItem("nom", "Votre nom", "Jeanne Martin", True),))

    def failing() -> None:
        raise RuntimeError("the question screen could not forget")

    monkeypatch.setattr(kiosk.guide.question, "clear", failing)
    kiosk.wipe_session()

    assert kiosk.guide.review.items == ()
    assert "Jeanne Martin" not in [label.text() for label in kiosk.window.findChildren(QLabel)]


def test_input_restarts_the_idle_timer(make_kiosk):
    kiosk = make_kiosk(idle_seconds=3)
    first_touch(kiosk)
    QTest.qWait(800)
    before = kiosk.idle.remaining_ms
    QTest.keyClick(find_widget(kiosk.window, "Commencer"), Qt.Key.Key_Shift)
    assert kiosk.idle.remaining_ms > before + 500


def _config(data_dir, **sections) -> Config:
    kiosk = KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False)
    return Config(kiosk=kiosk, backoffice=BackofficeSection(kind="none"), **sections)


def test_an_out_of_service_kiosk_says_where_to_go_and_lets_the_technician_out(
    qapp, qtbot, data_dir, tmp_path, memory_keyring
):
    memory_keyring.set_password(SERVICE, TECHNICIAN_PIN, hash_pin("258013"))
    config = _config(data_dir, catalog=CatalogSection(path=str(tmp_path / "missing.json")))
    kiosk = KioskApp(config, qapp)
    try:
        kiosk.show()
        with qtbot.waitSignal(kiosk.out_of_service):
            kiosk.complete_setup()
        names = [element.text(QAccessible.Text.Name) for element in walk(kiosk.window)]
        assert "Commencer" not in names
        assert any("Adressez-vous à l'accueil" in name for name in names)
        tap_logo_corner(kiosk.window)
        with qtbot.waitSignal(kiosk.exit_requested):
            type_pin(kiosk.window, "258013")
    finally:
        kiosk.shutdown()


def test_a_kiosk_that_cannot_build_its_overlays_stops_so_that_systemd_restarts_it(
    qapp, data_dir, monkeypatch, caplog
):
    kiosk = KioskApp(_config(data_dir), qapp)
    exits: list[int] = []
    monkeypatch.setattr(qapp, "exit", exits.append)

    def broken() -> None:
        raise RuntimeError("no memory for the PIN pad")

    monkeypatch.setattr(kiosk.window, "build_overlays", broken)
    try:
        kiosk.show()
        kiosk.complete_setup()
        assert exits == [EXIT_NO_OVERLAYS]
        assert "cannot build its overlays" in caplog.text
    finally:
        kiosk.shutdown()


def test_a_language_chosen_before_the_set_up_ends_reaches_the_overlays(qapp, data_dir):
    kiosk = KioskApp(_config(data_dir), qapp)
    try:
        kiosk.show()
        kiosk.set_language("en")  # a tap before the event loop's first turn
        kiosk.complete_setup()
        assert kiosk.window.settings.title.text() == "Display"  # built in English
        assert kiosk.window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    finally:
        kiosk.shutdown()


def _shown_logo(kiosk) -> QImage:
    logo = find(kiosk.window, "Logo de la mairie", QAccessible.Role.Graphic).object()
    image = logo.pixmap().toImage()
    assert not image.isNull()
    return image


def _opaque_pixels(image: QImage) -> int:
    return sum(
        image.pixelColor(x, y).alpha() > 0
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    )


def test_the_logo_is_drawn_from_an_svg_or_a_png(make_kiosk, tmp_path):
    svg_logo = _shown_logo(make_kiosk())
    assert _opaque_pixels(svg_logo) > 10
    png = tmp_path / "logo.png"
    assert svg_logo.save(str(png))
    png_logo = _shown_logo(make_kiosk(logo=str(png)))
    assert _opaque_pixels(png_logo) > 10


def _with_kiosk_keys(config: Config, **keys: object) -> Config:
    return config._replace(kiosk=config.kiosk._replace(**keys))


def test_a_kiosk_whose_first_language_is_arabic_starts_right_to_left(qapp, data_dir):
    kiosk = KioskApp(_with_kiosk_keys(_config(data_dir), language="ar"), qapp)
    try:
        assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
        kiosk.show()
        assert kiosk.window.isRightToLeft()
    finally:
        kiosk.shutdown()
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_filters_come_with_the_first_turn_of_the_event_loop(qapp, qtbot, data_dir):
    """Nobody calls complete_setup: show() has the event loop do it, gesture included."""
    kiosk = KioskApp(_config(data_dir), qapp)
    try:
        kiosk.show()
        qtbot.waitUntil(kiosk.window.overlays_built)
        tap_logo_corner(kiosk.window)
        assert kiosk.window.technician_overlay.isVisible()
    finally:
        kiosk.shutdown()


def test_a_touch_screen_kiosk_hides_the_cursor_and_gives_it_back_at_exit(qapp, data_dir):
    kiosk = KioskApp(_with_kiosk_keys(_config(data_dir), hide_cursor=True), qapp)
    try:
        kiosk.show()
        kiosk.complete_setup()
        cursor = QGuiApplication.overrideCursor()
        assert cursor is not None
        assert cursor.shape() == Qt.CursorShape.BlankCursor
    finally:
        kiosk.shutdown()
    assert QGuiApplication.overrideCursor() is None


def test_a_full_screen_kiosk_has_no_frame_once_set_up(make_kiosk):
    kiosk = make_kiosk(fullscreen=True)
    flags = kiosk.window.windowHandle().flags()
    assert flags & Qt.WindowType.FramelessWindowHint


def test_a_kiosk_stopped_before_its_first_turn_starts_nothing_on_the_way_out(qapp, data_dir):
    """systemd may stop the kiosk just after READY=1: the set-up that show() queued must
    not start the queue's sender or the speech engine while the kiosk shuts down."""
    before = set(threading.enumerate())
    kiosk = KioskApp(_config(data_dir), qapp)
    kiosk.show()
    kiosk.shutdown()  # turns the event loop once, where the queued set-up would run
    qapp.processEvents()
    started = [thread.name for thread in threading.enumerate() if thread not in before]
    assert started == []


def test_a_kiosk_is_deleted_before_its_shutdown_returns(qapp, data_dir):
    """Tests build kiosks one after the other in one process: a window left to a later
    turn of the event loop was destroyed in the middle of the next kiosk's visit (inside
    the next test's first wait), hundreds of widgets and their wrappers at once."""
    widgets_before = len(QApplication.allWidgets())
    kiosk = KioskApp(_config(data_dir), qapp)
    kiosk.show()
    kiosk.complete_setup()
    destroyed: list[str] = []
    kiosk.window.destroyed.connect(lambda: destroyed.append("window"))
    kiosk.destroyed.connect(lambda: destroyed.append("kiosk"))
    kiosk.shutdown()
    assert destroyed == ["window", "kiosk"]
    assert len(QApplication.allWidgets()) == widgets_before
