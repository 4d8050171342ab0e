"""Trust without trusting the database: a hash chain over each service's stored
events (sealer), its verification, signed anchors of the chain head, replay of
any aggregate to any past moment, and export for auditors."""
