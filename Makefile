# jamstat — see README.md. `make help` lists the targets.
GO      ?= go
BIN     := bin/jamstat
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
OUT     ?= out

.DEFAULT_GOAL := help
.PHONY: help build demo test bench lint fuzz check-sheets clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## build bin/jamstat
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/jamstat

demo: build ## run the whole job on the embedded demo data; outputs in out/
	rm -f $(OUT)/demo.duckdb $(OUT)/demo.duckdb.wal
	$(BIN) demo --out $(OUT)

test: ## run every test (vet first)
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# The full bench runs the 1–8 M row series and ten national years (12 M rows);
# about 12 minutes on 2 cores. BENCH_ARGS= (empty) runs the quick set.
BENCH_ARGS ?= --scale --ten-years

bench: build ## run every benchmark (go test -bench, then jamstat bench) and rewrite BENCHMARKS.md; BENCH_ARGS= for the quick set
	@mkdir -p $(OUT)
	$(GO) test -run '^$$' -bench . -benchtime 1x ./... > $(OUT)/go-bench.txt; s=$$?; cat $(OUT)/go-bench.txt; exit $$s
	$(BIN) bench --go-bench $(OUT)/go-bench.txt --out BENCHMARKS.md $(BENCH_ARGS)

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet ./...

fuzz: ## run every fuzz target for a bounded time (FUZZTIME, default 20s each)
	@for pkg in ./ingest ./store; do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep ^Fuzz); do \
			echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-20s} $$pkg || exit 1; \
		done; done

check-sheets: ## open written sheets and reports with LibreOffice and poppler (installs nothing; needs soffice, pdftotext)
	$(GO) test -count=1 -v -run 'LibreOffice|PDF' ./reports

clean: ## remove build outputs
	rm -rf bin $(OUT)
