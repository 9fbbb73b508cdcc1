# newsdesk: two commands a new user needs.
#   make demo   set up .venv and print a brief of the bundled example corpus (also writes brief.html)
#   make test   set up .venv and run the test suite (offline)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test bench clean-venv

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU build of torch; an unpinned torch would pull a multi-GB CUDA build.
	$(PIP) install --quiet 'torch==2.13.0'
	$(PIP) install --quiet -e '.[dev,spark]'
	# Build the offline gazetteer index once (~7 s), so the first brief does not pay for it.
	$(PY) -c 'from newsdesk.annotate.gazetteer import load_gazetteer; load_gazetteer()'
	# Export the packaged sentence encoder to ONNX once (~10 s), checked against torch.
	$(PY) -c 'from newsdesk.embed import onnx_path, export_onnx; onnx_path().exists() or export_onnx()'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/newsdesk brief examples/corpus --format html -o brief.html
	$(VENV)/bin/newsdesk brief examples/corpus --format md

test: $(VENV)/.installed
	$(PY) -m pytest -q

# Accuracy and speed benchmarks (offline; read ../shared/bench). Not part of `make test`.
BENCHES := html_extraction timex quotes geoparse figures compare brief_quality brief_speed
bench: $(VENV)/.installed
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || exit 1; done

clean-venv:
	rm -rf $(VENV)
