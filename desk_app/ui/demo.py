"""The demo's embedded world: the TEST-ONLY trust root, the reference registry in-process on
127.0.0.1 (port 0) seeded with resources/demo/registry-seed.json, and a SQLite ledger, all in
a demo data folder that never touches a real desk's data or configuration.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk_app import paths
from desk_app.config import Settings, demo_trust_root

if TYPE_CHECKING:
    from desk_app.demo.registry_server import RegistryServer

log = logging.getLogger(__name__)


@dataclass
class DemoEnvironment:
    settings: Settings
    config_path: Path  # the settings window saves here, not to the user's real config
    registry: RegistryServer

    def stop(self) -> None:
        self.registry.stop()


def default_demo_dir() -> Path:
    return paths.default_data_dir() / "demo"


def start_demo(data_dir: Path | None = None, **overrides: Any) -> DemoEnvironment:
    """Start the reference registry and return the demo's settings (raise OSError/ValueError)."""
    from desk_app.demo.registry_server import RegistryServer, load_seed, load_seed_people

    folder = data_dir or default_demo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(18)
    server = RegistryServer(folder / "reference-registry.sqlite", token=token)
    try:
        seed = paths.resource("demo", "registry-seed.json")
        server.put(load_seed(seed))
        server.put_people(load_seed_people(seed))  # who may be found by passport, certificate or SNILS
        url = server.start()
    except BaseException:
        server.stop()
        raise
    log.info("demo: reference registry on %s", url)
    values: dict[str, Any] = {
        "trust_root": str(demo_trust_root()),
        "registry_url": url,
        "registry_token": token,
        "data_dir": str(folder),
        "desk_id": "demo-desk",
        "demo": True,
        **overrides,
    }
    return DemoEnvironment(Settings(**values), folder / "demo-config.toml", server)
