.PHONY: run test bench admin

run:
	scripts/run.sh

test:
	scripts/test.sh

# The bench makes its own vhost through RabbitMQ's management API: ensure_servers enables it.
bench:
	scripts/bootstrap.sh && scripts/ensure_servers.sh && .venv/bin/python bench/throughput.py

# The first bureau administrator (asks for a password), on the same store as `make run`.
admin:
	scripts/bootstrap.sh && .venv/bin/python -m services.gateway.users create $${ADMIN_NAME:-admin} --role bureau_admin
