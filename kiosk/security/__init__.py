"""PINs and lockouts for technicians and mediators (no Qt)."""
