from __future__ import annotations

import pytest


@pytest.fixture
def client_en(make, clinician_a):
    return make.client(clinician_a, first_name="Zelda", last_name="Quixote", language="en")


@pytest.fixture
def client_es(make, clinician_a):
    return make.client(clinician_a, first_name="Ximena", last_name="Oliveira", language="es")
