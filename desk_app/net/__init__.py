"""The desk's one way onto the network: URL rules, TLS, the token rules and overall deadlines."""
