"""The administrator PIN, for the window: a re-export of the Qt-free rules in desk_app.core.roles."""

from desk_app.core.roles import DEMO_PIN, check_admin_pin, hash_pin, pin_is_acceptable, verify_pin

__all__ = ["DEMO_PIN", "check_admin_pin", "hash_pin", "pin_is_acceptable", "verify_pin"]
