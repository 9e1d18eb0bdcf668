"""Qt Widgets only: windows, screens, field widgets, on-screen keyboard, overlays."""
