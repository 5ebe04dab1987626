"""HTTP plumbing every feature shares: security headers and role guards,
sessions, identity (who is signed in), errors turned into pages, the request
log, templating, form base classes and page weight."""
