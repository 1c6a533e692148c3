PYTHON ?= $(shell test -x .venv/bin/python && echo .venv/bin/python || echo python3)

.PHONY: package package-smoke clean-package

# The one-folder application in dist/desk-app/ (see build_installer.spec).
package:
	PYTHON=$(PYTHON) bash scripts/package.sh

# Build, then run the frozen executable against the same checks as from source.
package-smoke:
	PYTHON=$(PYTHON) bash scripts/package_smoke.sh

clean-package:
	rm -rf build/pyinstaller dist/desk-app
