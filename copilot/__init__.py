"""Konselor Copilot: real-time help for counselors of an Indonesian online-counseling app."""

__version__ = "0.1.0"
