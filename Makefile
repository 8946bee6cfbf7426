# vetrack: `make run` starts the suite locally, `make test` runs every test.
# Both install missing Debian packages first (apt-get, as root or via sudo).

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

DEB_PACKAGES := build-essential cmake pkg-config \
  libgrpc++-dev protobuf-compiler-grpc grpc-proto libprotobuf-dev protobuf-compiler \
  libabsl-dev libhiredis-dev prometheus-cpp-dev libgtest-dev libgmock-dev redis-server \
  golang-github-gogo-googleapis-dev libssl-dev libcpp-httplib-dev

LINT_PACKAGES := kubectl yamllint shellcheck

.PHONY: all deps lint-deps install-missing build test test-asan lint bench run stop clean

all: build

# Installs only what is missing, so a prepared machine pays nothing.
deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEB_PACKAGES)"

lint-deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(LINT_PACKAGES)"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory install-missing PACKAGES="nodejs npm"

install-missing:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, in its own build tree.
test-asan: deps
	cmake -S . -B $(BUILD_DIR)-asan -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build $(BUILD_DIR)-asan -j $(JOBS)
	cd $(BUILD_DIR)-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 600

# The long forms of the fault tests (about 10-20 min on 2 cores): every kill
# and restart repeated RELIABILITY_ROUNDS times at different moments, ledger
# ingests of RELIABILITY_BATCHES x 500 records, the gateway's partial-view
# tests repeated; then the long fuzz run, once a `fuzz-long` target exists.
RELIABILITY_ROUNDS ?= 60
RELIABILITY_BATCHES ?= 600
.PHONY: reliability
reliability: build
	cd $(BUILD_DIR) && VETRACK_RELIABILITY_ROUNDS=$(RELIABILITY_ROUNDS) \
	  VETRACK_RELIABILITY_BATCHES=$(RELIABILITY_BATCHES) \
	  ctest -R '^(TaskRegistryFaultsTest|LedgerFaultsTest)\.' --output-on-failure --timeout 1800
	cd $(BUILD_DIR) && ctest -R '^ViewsTest\.(AStoppedService|ASlowService)' \
	  --repeat until-fail:$(RELIABILITY_ROUNDS) --output-on-failure --timeout 300
	@if grep -q '^fuzz-long:' $(firstword $(MAKEFILE_LIST)); then \
	  $(MAKE) --no-print-directory fuzz-long; \
	else echo "reliability: no fuzz-long target in this tree, long fuzzing skipped"; fi

# Offline checks of manifests, YAML, scripts and protos (deploy/lint.sh).
lint: lint-deps
	deploy/lint.sh

# Throughput and latency as ratios to an echo baseline measured in the same run.
bench: build
	bench/run.sh $(BUILD_DIR)

# The overview and the training statements with 1,000 and 1,000,000 ledger
# records, in one run (bench/run_growth.sh; about 5 min).
.PHONY: bench-growth
bench-growth: build
	bench/run_growth.sh $(BUILD_DIR)

run: build
	deploy/local/run.sh $(BUILD_DIR)

stop:
	deploy/local/run.sh --stop

clean:
	rm -rf $(BUILD_DIR)
