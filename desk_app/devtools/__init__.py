"""Developer tooling (translation catalogue, synthetic QR renderings); not used at run time."""
