"""Errors any service may raise across RPC. Constructor arguments are kept as
`args` so nameko can rebuild the same exception on the caller's side."""


class InvalidInput(Exception):
    """The request broke a rule; `fields` maps each field to its reasons."""

    def __init__(self, fields: dict):
        super().__init__(fields)
        self.fields = fields

    def __str__(self) -> str:
        return "invalid input: " + "; ".join(
            f"{name}: {reasons}" for name, reasons in self.fields.items()
        )
