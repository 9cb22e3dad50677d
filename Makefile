# ecorule: rulec (compiler) and rulevm (evaluator) over libecorule.
#
#   make            build build/bin/rulec and build/bin/rulevm
#   make demo       compile rules/jincheng and evaluate examples/
#   make test       build and run every test (SANITIZE=1: ASan + UBSan)
#   make install    install into PREFIX (default /usr/local)
#   make test-html  print the HTML report in headless Chromium and check the PDF
#   make bench      side-by-side benchmarks against the peer tools
#
# The first target checks the Debian build dependencies and installs the
# missing ones with apt-get.

PREFIX ?= /usr/local
CC ?= cc
DEBIAN_PACKAGES = flex bison check libyajl-dev libcsv-dev gettext pkg-config zlib1g-dev python3-jsonschema

ifeq ($(SANITIZE),1)
B := build-san
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
B := build
OPT := -O2 -g
endif

# The VM's dispatch loop compiles as computed goto unless DISPATCH=switch.
ifeq ($(DISPATCH),switch)
OPT += -DER_DISPATCH_SWITCH
B := $(B)-switch
endif

WARN := -std=c11 -Wall -Wextra -Wno-unused-parameter
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DLOCALEDIR='"$(LOCALEDIR)"' -DINSTALLED_LOCALEDIR='"$(PREFIX)/share/locale"' -Iruntime -Icompiler -I$(B)/gen
CFLAGS += $(WARN) $(OPT)
LDFLAGS += $(OPT)
# Deferred, so pkg-config runs after the dependency check has installed it.
CHECK_LIBS = $(shell pkg-config --libs check)
LIBS = -lyajl -lcsv -lz

LOCALEDIR ?= $(CURDIR)/$(B)/locale

RUNTIME_SRC := $(filter-out %_main.c runtime/rulevm_%.c,$(wildcard runtime/*.c))
COMPILER_SRC := $(filter-out %_main.c,$(wildcard compiler/*.c))
RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(B)/obj/%.o)
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/lexer.o $(B)/obj/gen/parser.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)
TEST_SUPPORT := $(filter-out tests/test_%.c,$(wildcard tests/*.c))
TEST_SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(B)/obj/%.o)

LIB := $(B)/lib/libecorule.a
RULEC := $(B)/bin/rulec
RULEVM := $(B)/bin/rulevm
PO := $(wildcard po/*.po)
MO := $(PO:po/%.po=$(LOCALEDIR)/%/LC_MESSAGES/ecorule.mo)

.PHONY: all deps demo test test-html test-scale install bench clean
.DEFAULT_GOAL := all

all: $(RULEC) $(RULEVM) $(MO)

# Every object waits for the dependency check; it is order-only, so a
# finished check never forces a rebuild.
DEPS_STAMP := $(B)/.deps-ok
$(DEPS_STAMP):
	@mkdir -p $(B)
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing build dependencies:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update && $$SUDO apt-get install -y $$missing || { \
			echo "error: could not install$$missing; install them with apt-get and run make again" >&2; exit 1; }; \
	fi
	@touch $@
deps: $(DEPS_STAMP)

$(B)/gen/parser.c $(B)/gen/parser.h: grammar/parser.y | $(DEPS_STAMP)
	@mkdir -p $(B)/gen
	bison -Wall -Werror --defines=$(B)/gen/parser.h -o $(B)/gen/parser.c $<

$(B)/gen/lexer.c $(B)/gen/lexer.h: grammar/lexer.l $(B)/gen/parser.h | $(DEPS_STAMP)
	@mkdir -p $(B)/gen
	flex --header-file=$(B)/gen/lexer.h -o $(B)/gen/lexer.c $<

# Generated scanners carry code flex does not mark unused; quiet only that.
$(B)/obj/gen/%.o: $(B)/gen/%.c $(B)/gen/parser.h $(B)/gen/lexer.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-unused-function -Wno-sign-compare -c -o $@ $<

$(B)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Compiler sources include the generated headers.
$(COMPILER_SRC:%.c=$(B)/obj/%.o): $(B)/gen/parser.h $(B)/gen/lexer.h
$(TEST_SRC:%.c=$(B)/obj/%.o) $(TEST_SUPPORT_OBJ): $(B)/gen/parser.h $(B)/gen/lexer.h

$(LIB): $(RUNTIME_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(RULEC): $(B)/obj/compiler/rulec_main.o $(COMPILER_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(RULEVM): $(B)/obj/runtime/rulevm_main.o $(B)/obj/runtime/rulevm_eval.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) -lpthread

$(B)/tests/%: $(B)/obj/tests/%.o $(TEST_SUPPORT_OBJ) $(COMPILER_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS)

# The allocation-failure test makes the n-th allocation of our code fail.
$(B)/tests/test_alloc: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

# i18n.c embeds PREFIX: rebuild it when make runs with another PREFIX.
PREFIX_STAMP := $(B)/prefix.txt
$(PREFIX_STAMP): FORCE
	@mkdir -p $(B)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
FORCE:
$(B)/obj/runtime/i18n.o $(B)/pic/runtime/i18n.o: $(PREFIX_STAMP)

$(LOCALEDIR)/%/LC_MESSAGES/ecorule.mo: po/%.po | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# Rule set and examples for the demo.
RULESET := $(B)/jincheng.erb
RULE_SRC := $(wildcard rules/jincheng/*.rule rules/jincheng/*/*.rule)
$(RULESET): $(RULE_SRC) $(RULEC)
	$(RULEC) compile rules/jincheng/main.rule -o $@

demo: all $(RULESET)
	@for f in examples/*.json; do \
		echo "== $$f"; \
		$(RULEVM) eval $(RULESET) $$f; \
	done; true

# Each test binary is a Check runner; tests/run.sh sums their results into
# one "N passed, N failed" line and fails when any test failed.
# The benchmark's 30 rules, proved by their own scenarios in make test.
BENCH_RULESET := $(B)/bench.erb
$(BENCH_RULESET): $(wildcard rules/bench/*.rule) $(RULEC)
	$(RULEC) compile rules/bench/bench.rule -o $@

test: all $(TEST_BIN) $(RULESET) $(BENCH_RULESET)
	@B=$(B) RULEC=$(RULEC) RULEVM=$(RULEVM) RULESET=$(RULESET) BENCH_RULESET=$(BENCH_RULESET) \
		LOCALEDIR=$(LOCALEDIR) GEN_RECORDS=$(GEN_RECORDS) \
		sh tests/run.sh $(TEST_BIN)

# The rendering of rules/jincheng shipped in docs/; tests/test_doc.c
# fails when it differs from what rulec doc prints.
.PHONY: doc-rules
doc-rules: all
	for spec in zh:md:jincheng-rules.zh-CN.md en:md:jincheng-rules.md \
		zh:html:jincheng-rules.zh-CN.html en:html:jincheng-rules.html; do \
		lang=$${spec%%:*}; rest=$${spec#*:}; format=$${rest%%:*}; file=docs/$${rest#*:}; \
		$(RULEC) --lang $$lang doc --format $$format rules/jincheng/main.rule > $$file.tmp && \
			mv $$file.tmp $$file || { rm -f $$file.tmp; exit 1; }; \
	done

# Print the HTML report of the examples to PDF in headless Chromium and
# check the PDF's text (tests/html_print.sh). Installs Chromium, the CJK
# fonts and pdftotext with apt-get when they are missing.
HTML_TEST_PACKAGES = chromium fonts-noto-cjk poppler-utils
test-html: all $(RULESET)
	@missing=""; \
	for p in $(HTML_TEST_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing packages of the HTML print test:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update && $$SUDO apt-get install -y $$missing || { \
			echo "error: could not install$$missing; install them with apt-get and run make test-html again" >&2; exit 1; }; \
	fi
	RULEVM=$(RULEVM) RULESET=$(RULESET) sh tests/html_print.sh

# The shared library, from position-independent objects that only the
# install and the embedding test build. The static library stays what
# rulec and rulevm link.
VERSION := 0.1.0
SONAME := libecorule.so.0
SHLIB := $(B)/lib/libecorule.so.$(VERSION)
PIC_OBJ := $(RUNTIME_SRC:%.c=$(B)/pic/%.o)

$(B)/pic/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(SHLIB): $(PIC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LIBS) -lpthread

# Install into the directory $(1), with $(2) as the prefix that
# ecorule.pc names.
define install_into
	install -d $(1)/bin $(1)/lib/pkgconfig $(1)/include/ecorule
	install -m 755 $(RULEC) $(RULEVM) $(1)/bin/
	install -m 644 $(LIB) $(1)/lib/
	install -m 755 $(SHLIB) $(1)/lib/
	ln -sf libecorule.so.$(VERSION) $(1)/lib/$(SONAME)
	ln -sf $(SONAME) $(1)/lib/libecorule.so
	sed -e 's|@PREFIX@|$(2)|' -e 's|@VERSION@|$(VERSION)|' runtime/ecorule.pc.in \
		> $(1)/lib/pkgconfig/ecorule.pc
	install -m 644 runtime/ecorule.h runtime/types.h runtime/dec.h $(1)/include/ecorule/
	for mo in $(MO); do \
		lang=$$(basename $$(dirname $$(dirname $$mo))); \
		install -d $(1)/share/locale/$$lang/LC_MESSAGES; \
		install -m 644 $$mo $(1)/share/locale/$$lang/LC_MESSAGES/ecorule.mo; \
	done
endef

# Records shaped by a rule set's schema, for the batch tests and the scale
# test (tests/scale/scale.sh, run by test-scale; about a minute on 2 cores).
GEN_RECORDS := $(B)/tests/gen_records
$(GEN_RECORDS): $(B)/obj/tests/scale/gen_records.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
test: $(GEN_RECORDS)

test-scale: all $(RULESET) $(GEN_RECORDS)
	RULEVM=$(RULEVM) RULESET=$(RULESET) GEN_RECORDS=$(GEN_RECORDS) sh tests/scale/scale.sh

install: all $(SHLIB)
	$(call install_into,$(DESTDIR)$(PREFIX),$(PREFIX))

# tests/test_embed.c builds examples/embed/screen.c against an install
# into $(B)/embed-prefix with pkg-config alone; EMBED_CFLAGS carries the
# sanitizer options of the build.
EMBED_PREFIX := $(CURDIR)/$(B)/embed-prefix
$(B)/embed-prefix/.installed: all $(SHLIB) runtime/ecorule.pc.in runtime/ecorule.h runtime/types.h \
		runtime/dec.h
	rm -rf $(EMBED_PREFIX)
	$(call install_into,$(EMBED_PREFIX),$(EMBED_PREFIX))
	touch $@
test: $(B)/embed-prefix/.installed
test: export EMBED_PREFIX := $(EMBED_PREFIX)
test: export EMBED_CFLAGS := $(OPT)

# Benchmarks (docs/benchmarks.md, which the run rewrites); data goes to
# /tmp. QUICK=1 makes a short run, INSTALL=1 installs the peers first;
# bench/run.sh lists the other variables (N, ROUNDS, SCALE, …).
BENCH_VARS := N QUICK INSTALL ROUNDS SLOW_N NODE_N VN VM_N JN SCALE BATCHES SEED CALLGRIND DATA PAGE
bench: all
	RULEC=$(RULEC) RULEVM=$(RULEVM) LIB=$(LIB) \
		$(foreach v,$(BENCH_VARS),$(if $(value $(v)),$(v)='$($(v))')) sh bench/run.sh

clean:
	rm -rf build build-san build-switch build-san-switch

-include $(shell find $(B)/obj $(B)/pic -name '*.d' 2>/dev/null)

# Message catalogue: extract every _() and N_() message of the sources
# into po/ecorule.pot, then merge it into each translation in po/.
.PHONY: pot
# The diagnostic codes' titles and explanations live in an X-macro table,
# and the token names the parser's messages print in bison's %token
# aliases; both become N_() calls xgettext can read.
POT_SRC = $(wildcard grammar/*.l grammar/*.y) $(wildcard compiler/*.c runtime/*.c)
$(B)/gen/ecorule.pot: $(POT_SRC) compiler/diag_codes.def | $(DEPS_STAMP)
	@mkdir -p $(B)/gen
	printf '#define DIAG_CODE(code, title, explanation) N_(title); N_(explanation);\n#include "compiler/diag_codes.def"\n' \
		| $(CC) -E -P -x c - > $(B)/gen/diag_codes_msgs.c
	sed -n 's/^%token[^"]*\("[^"]*"\).*/N_(\1);/p' grammar/parser.y >> $(B)/gen/diag_codes_msgs.c
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
		--keyword=diag_error:4 --keyword=diag_warning:4 --keyword=diag_note:3 \
		--add-comments=TRANSLATORS: --package-name=ecorule --no-location --sort-output \
		-o $@ $(POT_SRC) $(B)/gen/diag_codes_msgs.c

pot: $(B)/gen/ecorule.pot
	cp $(B)/gen/ecorule.pot po/ecorule.pot
	for po in $(PO); do msgmerge --quiet --update --backup=none $$po po/ecorule.pot; done

# Every message of the sources has a translation that is neither missing
# nor fuzzy in each catalogue; make test runs this first.
.PHONY: check-po
check-po: $(B)/gen/ecorule.pot
	@for po in $(PO); do \
		msgcmp $$po $(B)/gen/ecorule.pot || { \
			echo "error: $$po lacks translations of the messages above; run make pot and translate them" >&2; \
			exit 1; }; \
	done
test: check-po

# Fuzz harnesses (tests/fuzz/, docs/fuzzing.md). Each harness defines
# LLVMFuzzerTestOneInput; linked with tests/fuzz/replay.c it replays its
# corpus and crash reproducers under gcc as part of `make test`, and
# `make fuzz FUZZER=fuzz_load FUZZ_SECONDS=60` builds it with clang and
# libFuzzer into build-fuzz/ and runs it (every harness in turn when
# FUZZER is not set).
FUZZERS := fuzz_parse fuzz_compile fuzz_load fuzz_facts_json fuzz_facts_csv fuzz_fmt
FUZZ_COMMON_OBJ := $(B)/obj/tests/fuzz/fuzz_common.o
FUZZ_REPLAY_BIN := $(FUZZERS:%=$(B)/fuzz/replay/%)
# Stamp of the seed inputs written during the build (the recipe below).
FUZZ_SEEDS := $(B)/fuzz/seeds/.done

$(FUZZERS:%=$(B)/obj/tests/fuzz/%.o) $(FUZZ_COMMON_OBJ) $(B)/obj/tests/fuzz/replay.o: \
	$(B)/gen/parser.h $(B)/gen/lexer.h

$(B)/fuzz/replay/%: $(B)/obj/tests/fuzz/replay.o $(B)/obj/tests/fuzz/%.o $(FUZZ_COMMON_OBJ) \
		$(COMPILER_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/fuzz/libfuzzer/%: $(B)/obj/tests/fuzz/%.o $(FUZZ_COMMON_OBJ) $(COMPILER_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# Seeds from the repository: every .rule file of rules/ and tests/data/
# for the front-end harnesses, the rule sets of rules/ compiled for the
# loader, and the example and test records for the JSON reader.
FUZZ_RULE_FILES := $(shell find rules tests/data -name '*.rule' 2>/dev/null)
$(FUZZ_SEEDS): $(FUZZ_RULE_FILES) $(wildcard examples/*.json) $(RULEC)
	@rm -rf $(B)/fuzz/seeds && mkdir -p $(FUZZERS:%=$(B)/fuzz/seeds/%)
	for f in $(FUZZ_RULE_FILES); do \
		name=$$(echo $$f | tr / _); \
		cp $$f $(B)/fuzz/seeds/fuzz_parse/$$name; cp $$f $(B)/fuzz/seeds/fuzz_compile/$$name; \
		cp $$f $(B)/fuzz/seeds/fuzz_fmt/$$name; \
	done
	$(RULEC) compile tests/fuzz/corpus/fuzz_parse/rich.rule -o $(B)/fuzz/seeds/fuzz_load/rich.erb
	$(RULEC) compile rules/jincheng/main.rule -o $(B)/fuzz/seeds/fuzz_load/jincheng.erb
	$(RULEC) compile rules/bench/bench.rule -o $(B)/fuzz/seeds/fuzz_load/bench.erb
	for f in examples/*.json $$(find tests/data -name '*.jsonl'); do \
		cp $$f $(B)/fuzz/seeds/fuzz_facts_json/$$(echo $$f | tr / _); \
	done
	@touch $@

# The replay test runs the replay binaries on the corpora and the seeds.
test: $(FUZZ_REPLAY_BIN) $(FUZZ_SEEDS)
$(B)/tests/test_fuzz_replay: | $(FUZZ_REPLAY_BIN) $(FUZZ_SEEDS)

# libFuzzer ships with clang in the compiler-rt package of the same
# version (Debian 12: clang 14 and libclang-rt-14-dev).
FUZZ_PACKAGES = clang $(shell v=$$(clang -dumpversion 2>/dev/null | cut -d. -f1); \
	echo libclang-rt-$${v:-14}-dev)
FUZZER ?=
# SECONDS is the older name of FUZZ_SECONDS.
SECONDS ?= 60
FUZZ_SECONDS ?= $(SECONDS)
FUZZ_OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
# New inputs go to build-fuzz/corpus/, crashes to build-fuzz/crashes/;
# copy the ones worth keeping into tests/fuzz/ by hand.
# FUZZ_SEED fixes libFuzzer's random seed (0: a new one each run); CI
# fixes it so that a run explores the same inputs first every time.
FUZZ_SEED ?= 0
FUZZ_FLAGS ?= -max_len=65536 -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -seed=$(FUZZ_SEED)

# Install the Debian packages named in $(1) that are missing, for the
# target $@.
define install_missing
	@missing=""; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing the packages make $@ needs:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update && $$SUDO apt-get install -y $$missing || { \
			echo "error: could not install$$missing; install them with apt-get and run make $@ again" >&2; exit 1; }; \
	fi
endef

.PHONY: fuzz fuzz-deps
fuzz-deps:
	$(call install_missing,$(FUZZ_PACKAGES))

fuzz: fuzz-deps
	$(MAKE) B=build-fuzz CC=clang OPT='$(FUZZ_OPT)' \
		$(addprefix build-fuzz/fuzz/libfuzzer/,$(or $(FUZZER),$(FUZZERS))) build-fuzz/fuzz/seeds/.done
	@for f in $(or $(FUZZER),$(FUZZERS)); do \
		mkdir -p build-fuzz/corpus/$$f build-fuzz/crashes/$$f; \
		dict=; [ -e tests/fuzz/$$f.dict ] && dict=-dict=tests/fuzz/$$f.dict; \
		echo "== $$f for $(FUZZ_SECONDS) s"; \
		build-fuzz/fuzz/libfuzzer/$$f $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=build-fuzz/crashes/$$f/ $$dict \
			build-fuzz/corpus/$$f tests/fuzz/corpus/$$f build-fuzz/fuzz/seeds/$$f || exit 1; \
	done

# valgrind memcheck over rulec and rulevm on the rule sets, examples and
# test data (tests/valgrind.sh); fails on any memory error or definite or
# indirect leak. Uses the normal build, not SANITIZE=1.
.PHONY: test-valgrind
test-valgrind: all
	$(call install_missing,valgrind)
	RULEC=$(RULEC) RULEVM=$(RULEVM) sh tests/valgrind.sh

# Differential test of the VM against the reference evaluator
# (tests/test_diff.c, docs/fuzzing.md): DIFF_CASES records from seed
# DIFF_SEED on, e.g. make fuzz-diff DIFF_CASES=1000000 DIFF_SEED=1.
DIFF_CASES ?= 100000
DIFF_SEED ?= 1
.PHONY: fuzz-diff
fuzz-diff: $(B)/tests/test_diff $(RULEC) $(RULESET)
	DIFF_CASES=$(DIFF_CASES) DIFF_SEED=$(DIFF_SEED) RULEC=$(RULEC) RULESET=$(RULESET) $(B)/tests/test_diff
