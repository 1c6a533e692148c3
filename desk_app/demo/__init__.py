"""Demo and test tooling: the TEST Treasury issuer, the demo set, the reference registry server.

Never imported by the verification path; bundled so that demo mode works in the package.
"""
