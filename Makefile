# The two commands a newcomer needs (see README.md): `make run` and `make test`.
# Each prepares the machine first (scripts/bootstrap.sh: system packages and .venv).
VENV := .venv/bin

.PHONY: run test bootstrap lint screenshots docs-images bench translations image image-test

bootstrap:
	@scripts/bootstrap.sh

## Start the kiosk on its embedded defaults, with the demo back office beside it.
run: bootstrap
	@$(VENV)/python -m wiring.demo

## Everything CI checks: lint, layer contracts, types, and the whole test suite.
test: bootstrap
	$(VENV)/ruff check .
	$(VENV)/lint-imports
	$(VENV)/mypy
	$(VENV)/python -m pytest --cov --cov-report=
	$(VENV)/python scripts/coverage_floor.py

screenshots: bootstrap
	$(VENV)/kiosk screenshots --out screenshots

## The pictures of the README and docs/ (docs/images), rendered from the kiosk itself,
## and the commune console's pages as chromium shows them (tests/console/test_browser.py).
docs-images: bootstrap
	$(VENV)/python scripts/docs_images.py
	$(VENV)/python scripts/console_images.py

bench: bootstrap
	$(VENV)/python bench/startup.py
	$(VENV)/python bench/soak.py

## Extract the UI strings, update the en/ar catalogs, compile them (docs/translations.md).
translations: bootstrap
	$(VENV)/python scripts/translations.py

## A bootable Debian 12 kiosk disk image in build/image/ (as root; docs/install.md).
image:
	@image/build.sh

## Boot that image under QEMU: READY=1 under cage, watchdog restart (docs/development.md).
image-test:
	@image/test.sh
