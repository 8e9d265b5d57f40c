# Thin wrapper over CMake. `make demo` and `make test` work on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build test demo clean torture random decoder-all bench

all: build

deps:
	@./.ci/deps

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

demo: build
	@./samples/demo.sh $(BUILD)

# The GCC torture suite and the AdvSIMD intrinsics tests, all of them at every level
# (tests/torture/torture.py; results are cached in $(BUILD)/torture, so a re-run redoes only what
# changed). XLATE_TORTURE_OPT picks the xlate level.
torture: build
	@rc=0; for suite in execute advsimd; do \
		python3 tests/torture/torture.py --suite $$suite --work $(BUILD)/torture \
			--download $(BUILD)/gcc-testsuite --xlate $(BUILD)/xlate --jobs $(JOBS) || rc=1; \
	done; exit $$rc

# A million random differential runs without memory instructions and a quarter million with
# (tests/random/difftest.py); SEED picks other ones.
SEED ?= 1000
DIFFTEST = python3 tests/random/difftest.py --randgen $(BUILD)/tests/randgen --xlate $(BUILD)/xlate \
	--run-insn $(BUILD)/tests/run_insn --seqs 1024 --states 8 --jobs $(JOBS)
random: build
	@rc=0; \
	$(DIFFTEST) --work $(BUILD)/random/compute --seed $(SEED) --programs 128 || rc=1; \
	$(DIFFTEST) --work $(BUILD)/random/memory --seed $$(($(SEED) + 500000)) --programs 32 --mem \
		|| rc=1; exit $$rc

# Every 32-bit word through the decoder, against capstone and LLVM (tests/decoder/vs_capstone.c).
decoder-all: build
	@$(BUILD)/tests/vs_capstone --known tests/decoder/known.txt --aliases tests/decoder/aliases.txt \
		--all --jobs $(JOBS)

# Native vs translated vs qemu-aarch64 on bench/'s kernels and Debian programs (bench/run.py;
# sources, builds and translations are cached in $(BUILD)/bench, results written there).
# BENCH_FLAGS=--quick for a smoke test; see bench/README.md for the other options.
BENCH_FLAGS ?=
bench: build
	@python3 bench/run.py --build $(BUILD) $(BENCH_FLAGS)

clean:
	rm -rf $(BUILD)
