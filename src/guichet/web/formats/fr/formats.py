"""French numbers with a narrow no-break space between thousands (1 234,5), as French typography has it;
everything else is Django's ``fr``."""

THOUSAND_SEPARATOR = "\u202f"
