# vetrack: `make run` starts the suite locally, `make test` runs every test.
# Both install missing Debian packages first (apt-get, as root or via sudo).

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

DEB_PACKAGES := build-essential cmake pkg-config \
  libgrpc++-dev protobuf-compiler-grpc grpc-proto libprotobuf-dev protobuf-compiler \
  libabsl-dev libhiredis-dev prometheus-cpp-dev libgtest-dev libgmock-dev redis-server \
  golang-github-gogo-googleapis-dev libssl-dev libcpp-httplib-dev libjemalloc-dev openssl

# kubectl (≥ 1.27, for the overlays' kustomize components) is not a Debian 12
# package: lint-deps installs it only where apt offers it (e.g. from
# pkgs.k8s.io), and `make lint` says so and skips the manifests without it.
LINT_PACKAGES := yamllint shellcheck clang-format-14

# The clang tree shared by the fuzzers and `make test-asan`: ASan, UBSan and
# libFuzzer's coverage on every object (VETRACK_FUZZ in CMakeLists.txt).
FUZZ_DIR ?= build-fuzz
FUZZ_PACKAGES := clang libclang-rt-14-dev
FUZZ_SECONDS ?= 20
FUZZ_LONG_SECONDS ?= 600

.PHONY: all deps lint-deps fuzz-deps install-missing build test test-asan fuzz fuzz-short fuzz-long \
  lint bench run stop clean

all: build

# Installs only what is missing, so a prepared machine pays nothing.
deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEB_PACKAGES)"

lint-deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(LINT_PACKAGES)"
	@command -v kubectl >/dev/null || ! apt-cache show kubectl >/dev/null 2>&1 || \
	  $(MAKE) --no-print-directory install-missing PACKAGES="kubectl"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory install-missing PACKAGES="nodejs npm"

fuzz-deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(FUZZ_PACKAGES)"

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

$(FUZZ_DIR)/CMakeCache.txt:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DVETRACK_FUZZ=ON

# The libFuzzer harnesses (tests/fuzz) and only what they link.
fuzz: deps fuzz-deps $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers

# Each harness for FUZZ_SECONDS (CI), or FUZZ_LONG_SECONDS (make reliability).
fuzz-short: fuzz
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

fuzz-long: fuzz
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_LONG_SECONDS)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, in
# the fuzzers' tree; the services the tests start are the sanitized builds.
test-asan: deps fuzz-deps $(FUZZ_DIR)/CMakeCache.txt
	ASAN_OPTIONS=detect_leaks=1 cmake --build $(FUZZ_DIR) -j $(JOBS)
	tests/run_sanitized.sh $(FUZZ_DIR)

# The long forms of the fault tests (about 10-20 min on 2 cores): every kill
# and restart repeated RELIABILITY_ROUNDS times at different moments, ledger
# ingests of RELIABILITY_BATCHES x 500 records, the gateway's partial-view
# tests (a stopped or slow service, a caller in a hurry) repeated; then every fuzz harness for FUZZ_LONG_SECONDS.
RELIABILITY_ROUNDS ?= 60
RELIABILITY_BATCHES ?= 600
.PHONY: reliability
reliability: build
	cd $(BUILD_DIR) && VETRACK_RELIABILITY_ROUNDS=$(RELIABILITY_ROUNDS) \
	  VETRACK_RELIABILITY_BATCHES=$(RELIABILITY_BATCHES) \
	  ctest -R '^(TaskRegistryFaultsTest|LedgerFaultsTest)\.' --output-on-failure --timeout 1800
	cd $(BUILD_DIR) && ctest -R '^(ViewsTest\.(AStoppedService|ASlowService)|SharedAssemblyViewsTest\.)' \
	  --repeat until-fail:$(RELIABILITY_ROUNDS) --output-on-failure --timeout 300
	$(MAKE) --no-print-directory fuzz-long

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
