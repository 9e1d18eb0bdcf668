"""Theme colours against WCAG 2.1: text contrast (1.4.3 AA, 1.4.6 AAA in high contrast),
non-text contrast of the focus outline and borders (1.4.11), and the contrast maths itself."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accessibility.sizes import ScreenMetrics
from accessibility.themes import (
    AA_TEXT,
    AAA_TEXT,
    THEMES,
    Theme,
    ThemeName,
    contrast_ratio,
    relative_luminance,
)

NON_TEXT = 3.0  # WCAG 1.4.11: user interface components and focus indicators
ALL_THEMES = list(THEMES.values())
theme_ids = [theme.name.value for theme in ALL_THEMES]
colours = st.tuples(*(st.integers(0, 255),) * 3).map(lambda rgb: "#{:02x}{:02x}{:02x}".format(*rgb))


# ------------------------------------------------------------------ the maths


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),  # the classic "grey that just fails AA"
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#595959", "#ffffff", 7.0),  # the AAA grey on white
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.0),
    ],
)
def test_contrast_ratio_matches_known_wcag_values(
    foreground: str, background: str, expected: float
) -> None:
    assert contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.01)


def test_luminance_of_black_white_and_pure_green() -> None:
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#00ff00") == pytest.approx(0.7152)


@pytest.mark.parametrize("bad", ["#fff", "ffffff0", "", "#12345"])
def test_a_malformed_colour_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="expected a colour"):
        relative_luminance(bad)


@given(colours, colours)
def test_contrast_is_symmetric_and_between_1_and_21(first: str, second: str) -> None:
    ratio = contrast_ratio(first, second)
    assert ratio == contrast_ratio(second, first)
    assert 1.0 <= ratio <= 21.0 + 1e-9


@given(colours)
def test_a_colour_has_no_contrast_with_itself(colour: str) -> None:
    assert contrast_ratio(colour, colour) == pytest.approx(1.0)


@given(colours, colours)
def test_a_lighter_text_on_black_never_has_less_contrast(first: str, second: str) -> None:
    lighter, darker = sorted((first, second), key=relative_luminance, reverse=True)
    assert contrast_ratio(lighter, "#000000") >= contrast_ratio(darker, "#000000")


# ------------------------------------------------------------------ the themes


def test_there_is_a_default_a_high_contrast_and_a_dark_theme() -> None:
    assert set(THEMES) == set(ThemeName)
    assert THEMES[ThemeName.HIGH_CONTRAST].minimum_text_contrast == AAA_TEXT
    assert THEMES[ThemeName.DEFAULT].minimum_text_contrast == AA_TEXT
    assert THEMES[ThemeName.DARK].minimum_text_contrast == AA_TEXT


def test_every_on_colour_is_paired_with_its_background() -> None:
    pairs = {name for name, _fg, _bg in THEMES[ThemeName.DEFAULT].text_pairs()}
    assert pairs == {
        "background",
        "surface",
        "primary",
        "secondary",
        "danger",
        "error_surface",
        "muted",
    }


@pytest.mark.parametrize("theme", ALL_THEMES, ids=theme_ids)
def test_every_text_colour_meets_the_theme_minimum(theme: Theme) -> None:
    failures = [
        f"{theme.name.value}: {name} text {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1, "
        f"needs {theme.minimum_text_contrast}:1"
        for name, fg, bg in theme.text_pairs()
        if contrast_ratio(fg, bg) < theme.minimum_text_contrast
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("theme", ALL_THEMES, ids=theme_ids)
def test_secondary_text_also_reads_on_cards(theme: Theme) -> None:
    # Muted lines appear inside cards and tiles too, not only on the page.
    ratio = contrast_ratio(theme.muted, theme.surface)
    assert ratio >= theme.minimum_text_contrast, f"{theme.name.value}: muted on surface {ratio:.2f}"


@pytest.mark.parametrize("theme", ALL_THEMES, ids=theme_ids)
@pytest.mark.parametrize("component", ["focus", "border"])
@pytest.mark.parametrize("behind", ["background", "surface"])
def test_focus_outline_and_borders_meet_non_text_contrast(
    theme: Theme, component: str, behind: str
) -> None:
    fg, bg = getattr(theme, component), getattr(theme, behind)
    ratio = contrast_ratio(fg, bg)
    assert ratio >= NON_TEXT, (
        f"{theme.name.value}: {component} {fg} on {behind} {bg} is {ratio:.2f}:1, needs 3:1"
    )


# ------------------------------------------------------------------ the stylesheet uses them


def _rule(stylesheet: str, selector: str) -> str:
    """The declarations of the first rule whose selector list starts with ``selector``."""
    match = re.search(re.escape(selector) + r"[^{]*\{([^}]*)\}", stylesheet)
    assert match is not None, f"no rule for {selector}"
    return match.group(1)


@pytest.mark.parametrize("theme_name", list(ThemeName), ids=[n.value for n in ThemeName])
def test_the_stylesheet_draws_each_role_in_the_theme_colours(
    qapp: object, theme_name: ThemeName
) -> None:
    from ui.style import Appearance, build_stylesheet

    theme = THEMES[theme_name]
    sheet = build_stylesheet(Appearance(theme=theme_name), ScreenMetrics())
    expected = {
        "QWidget#kioskRoot": (theme.background, theme.on_background),
        'QPushButton[role="primary"]': (theme.primary, theme.on_primary),
        'QPushButton[role="danger"]': (theme.danger, theme.on_danger),
        'QLabel[role="error"]': (theme.error_surface, theme.on_error_surface),
        'QFrame[role="card"]': (theme.surface, theme.on_surface),
        "QLineEdit, QPlainTextEdit": (theme.surface, theme.on_surface),
    }
    for selector, (background, text) in expected.items():
        rule = _rule(sheet, selector)
        assert f"background: {background}" in rule, f"{theme_name.value}: {selector}"
        assert f"color: {text}" in rule, f"{theme_name.value}: {selector}"
    assert f"color: {theme.muted}" in _rule(sheet, 'QLabel[role="muted"]')
    focus = _rule(sheet, "QPushButton:focus")
    assert re.search(rf"border: \d+px solid {theme.focus}", focus), focus
    outline_px = int(re.search(r"border: (\d+)px", focus).group(1))  # type: ignore[union-attr]
    assert outline_px >= 4, "the focus outline must be thick (1.2 mm is 5 px at 0.248 mm/px)"
