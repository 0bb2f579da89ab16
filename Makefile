# The two commands: `make pack` and `make test`. Each creates .venv when missing and installs the project
# into it (editable), then runs. The stamp file re-installs only when the packaging files change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: pack test install clean

pack: $(STAMP)
	$(BIN)/campaign-gen validate
	$(BIN)/campaign-gen build

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) out *.egg-info
