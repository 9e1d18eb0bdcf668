"""Speech, text sizes, themes and language/voice mapping; the core is free of Qt."""
