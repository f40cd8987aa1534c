"""Archive packages (E-ARK SIP in the FGS Paketstruktur's shape) of justerade protocols and
closed cases, for the municipality's e-arkiv."""
