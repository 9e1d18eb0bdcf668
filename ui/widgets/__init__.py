"""Reusable widgets sized in millimetres."""
