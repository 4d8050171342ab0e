"""The gateway: REST + JSON for web clients, RPC to the services.

Routes live in `services/gateway/api/<area>.py`, one mixin per area; add a new
area's mixin here. (Modules, not classes, are imported so that `nameko run`
does not mistake a mixin for a service.)"""
from services.gateway import base
from services.gateway.api import audit, auth, casework, finance, grants, ops, registry


class GatewayService(
    auth.AuthRoutes,
    registry.RegistryRoutes,
    casework.CaseworkRoutes,
    finance.FinanceRoutes,
    grants.GrantsRoutes,
    ops.OpsRoutes,
    audit.AuditRoutes,
    base.GatewayBase,
):
    name = "gateway"
