# The two commands a newcomer needs: `make demo` and `make test`.
PY := .venv/bin/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: setup demo serve test test-fast lint typecheck messages bench clean-demo

setup:
	@bash scripts/setup.sh

demo: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py load_frontdesk_demo
	$(PY) manage.py load_portal_demo
	$(PY) manage.py load_online_demo
	@echo ""
	@echo "ServiceHall demo hall: http://$(HOST)/  (public guide: http://$(HOST)/guide/, online hall: http://$(HOST)/my/, API docs: http://$(HOST)/api/docs)"
	$(PY) manage.py runserver $(HOST)

serve: setup
	$(PY) manage.py runserver $(HOST)

test: setup
	$(PY) -m pytest --cov --cov-report=term $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -x -q -m "not browser" $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy src/servicehall

messages: setup
	cd src/servicehall && ../../$(PY) ../../manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore 'catalog/demo/*'
	$(PY) manage.py compilemessages -v0

bench: setup
	$(PY) bench/bench_calendar.py --pairs 1000000
	$(PY) bench/bench_cases.py
	$(PY) bench/bench_frontdesk.py
	$(PY) bench/bench_stats.py --cases 10000000
	$(PY) bench/bench_supervision.py --cases 1000000
	$(PY) bench/bench_progress.py --cases 10000000 --reuse

clean-demo:
	rm -f var/servicehall.sqlite3 var/servicehall.sqlite3-wal var/servicehall.sqlite3-shm
	rm -rf var/files
