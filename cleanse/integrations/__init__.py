"""Integrations with distributed engines and pipeline frameworks, each an optional extra; the core never
imports them."""
