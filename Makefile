# treffen – the two commands a new machine needs:
#   make run    the service on its embedded default (SQLite file, demo data)
#   make test   the whole test suite (installs chromium, poppler-utils and zbar-tools if missing)

GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
# axe-core for the accessibility test, pinned in its package-lock.json.
AXE_DIR = internal/web/testdata/axe
# Packages whose tests exercise concurrency run under the race detector.
# Of the web package only the tests that start goroutines of their own
# and the page cache do: the rest drive one request or page at a time and
# took most of the time under it.
RACE_PKGS = ./internal/registration/... ./internal/checkin/... ./internal/survey/... ./internal/mail/... ./internal/outbox/... ./internal/document/... ./internal/reminder/... ./internal/question/... ./internal/message/...
RACE_WEB = 'PagesFromMemory|CheckInOutsideTheMeetingDays|OversizedUpload|CheckinSyncFromConcurrentDevices'
# On PostgreSQL the race detector runs where concurrency meets the
# database (row locks, conditional updates); what races without a
# database (PDFs sharing a font) is checked on SQLite already.
RACE_DB = /internal/(registration|checkin|survey|mail|outbox|reminder|question|message)(/|$$)

.PHONY: run test test-deps test-postgres lint bench build

run:
	TREFFEN_ADMIN_EMAIL=$${TREFFEN_ADMIN_EMAIL:-admin@treffen.example} \
	TREFFEN_ADMIN_PASSWORD=$${TREFFEN_ADMIN_PASSWORD:-bitte-aendern} \
	$(GO) run ./cmd/treffen serve --demo

build:
	$(GO) build -o treffen ./cmd/treffen

# Browser and PDF tests need Debian's chromium (with its German locale
# files, chromium-l10n), pdftotext and zbarimg (reads the badges' QR codes);
# the accessibility test needs axe-core from npm.
test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -d /usr/lib/chromium/locales ] && ls /usr/lib/chromium/locales | grep -q '^de' || missing="$$missing chromium-l10n"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v zbarimg >/dev/null 2>&1 || missing="$$missing zbar-tools"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@[ -f $(AXE_DIR)/node_modules/axe-core/axe.min.js ] || (cd $(AXE_DIR) && npm ci --no-audit --no-fund)

test: test-deps
	$(GO) test -count=1 -timeout 15m ./...
	$(GO) test -count=1 -race -timeout 15m $(RACE_PKGS)
	$(GO) test -count=1 -race -timeout 15m -run $(RACE_WEB) ./internal/web/...

# The same suite against PostgreSQL; TREFFEN_TEST_DATABASE_URL names a
# server where the tests may create and drop databases.
test-postgres: test-deps
	TREFFEN_TEST_DATABASE_URL=$${TREFFEN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable} \
	$(GO) test -count=1 -race -timeout 15m $$($(GO) list ./... | grep -E '$(RACE_DB)')
	TREFFEN_TEST_DATABASE_URL=$${TREFFEN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable} \
	$(GO) test -count=1 -timeout 15m $$($(GO) list ./... | grep -v /internal/web | grep -v -E '$(RACE_DB)')
	TREFFEN_TEST_DATABASE_URL=$${TREFFEN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable} \
	$(GO) test -count=1 -timeout 15m ./internal/web/...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Benchmarks; the registration path runs against PostgreSQL when
# TREFFEN_TEST_DATABASE_URL is set (see README).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Short runs of every fuzz target (FUZZTIME each); plain `go test` runs
# only their seed corpora in testdata/fuzz/<FuzzName>/. New findings are
# written there too: add them to the commit with the fix.
FUZZTIME ?= 20s
FUZZFLAGS ?=
.PHONY: fuzz
fuzz:
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' internal cmd); do \
		dir=./$$(dirname $$file); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "--- $$name in $$dir for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) $$dir; \
		done; \
	done
