"""Date and number formats of the interface (Django's FORMAT_MODULE_PATH): Django's own, except where
these modules say otherwise."""
