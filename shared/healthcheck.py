"""Is this service alive? The container healthcheck (docker-compose.yml):

    python -m shared.healthcheck registry     # asks registry.health over RPC
    python -m shared.healthcheck gateway      # asks the gateway's /health over HTTP

Exit 0 when the service answers, 1 (with one line saying why) when it does not
within the timeout. Alive is not the same as healthy: a service that answers
but reports a parked event or a refused seal is alive (restarting it would not
help; its health says what an operator must do), and the gateway's 503
"degraded" is an answer too. Over RPC the answer may come from any replica of
the service; a replica that no longer takes requests is found by its own
process exiting (nameko stops on a lost broker connection).
"""

from __future__ import annotations

import argparse
import logging
import sys
import urllib.error
import urllib.request
import warnings

from shared.config import SERVICES, load_settings, refuse_default_broker_user

DEFAULT_TIMEOUT = 5.0
GATEWAY_ALIVE = (200, 503)  # 503: degraded (some service or feed not well), but answering


def check_service(service: str, timeout: float) -> str | None:
    """None if the service answered its health RPC, else why not."""
    warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")  # nameko's import says so
    from shared.rpc_proxies import ClusterRpcProxy

    settings = load_settings()
    refuse_default_broker_user(settings.amqp_uri)
    try:
        with ClusterRpcProxy({"AMQP_URI": settings.amqp_uri}, caller=service, timeout=timeout) as rpc:
            getattr(rpc, service).health()
    except Exception as error:  # noqa: BLE001 - any failure is "not answering", said in one line
        return f"{service} did not answer its health RPC within {timeout:g}s: {type(error).__name__}: {error}"
    return None


def check_gateway(timeout: float) -> str | None:
    settings = load_settings()
    host = "127.0.0.1" if settings.gateway_host in ("0.0.0.0", "") else settings.gateway_host
    url = f"http://{host}:{settings.gateway_port}/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        return f"the gateway did not answer {url} within {timeout:g}s: {error}"
    return None if status in GATEWAY_ALIVE else f"the gateway answered {url} with HTTP {status}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.healthcheck", description=__doc__.splitlines()[0])
    parser.add_argument("service", choices=(*SERVICES, "gateway"))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for the answer")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # the answer is the one line below, not amqp's chatter
    problem = check_gateway(args.timeout) if args.service == "gateway" else check_service(args.service, args.timeout)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print(f"{args.service} is alive")
    return 0


if __name__ == "__main__":
    sys.exit(main())
