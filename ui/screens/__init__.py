"""One screen per module; each renders what the domain says and emits intents."""
