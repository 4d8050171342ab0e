"""nameko entrypoints for finance."""
from services.finance.application import FinanceApplication
from shared.nameko_deps import ServiceStore
from shared import service_base


class FinanceService(service_base.EventSourcedService):
    name = "finance"
    store = ServiceStore(FinanceApplication)
