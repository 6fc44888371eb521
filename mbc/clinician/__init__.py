"""The clinician blueprint: the clinician's clients and a client's page."""
