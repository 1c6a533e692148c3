"""Registration-desk app for Russian electronic OMS policies."""

__version__ = "0.1.0"
APP_NAME = "desk-app"
