"""The service's library: accounts, access rules, sessions, messages, alerts, escalation, lint.

Routes stay thin: they parse, call one function here, and return. Everything here takes a
SQLAlchemy session and plain values, so it is tested without HTTP.
"""
