"""Request and response bodies, named by role (`SessionCreate`, `SessionPublic`, ...)."""
