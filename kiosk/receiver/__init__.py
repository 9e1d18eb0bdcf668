"""The reference receiver: a small back office that speaks the kiosk's API (demo and tests).

Optional extra ``receiver`` (Starlette + uvicorn). Run it with ``kiosk-receiver serve``;
start it from code with ``kiosk.receiver.launcher.start_receiver``. See docs/back-office.md.
"""
