# The incubator's models (programmes, incubations, offices, leases) arrive with their issue.
