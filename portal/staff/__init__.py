"""Staff sign-in: local accounts (password and a TOTP code) for the embedded
default, or the ministry's staff identity provider over OpenID Connect."""
