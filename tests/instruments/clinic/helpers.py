"""A practice's own instrument, as a clinic would write one, for the MBC_INSTRUMENTS_DIR tests.

Made up for the tests (tagged "ours"): it is no clinical measure.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

OPTIONS = """options = [
  { value = 0, label = { en = "Not at all" } },
  { value = 1, label = { en = "A little" } },
  { value = 2, label = { en = "Quite a lot" } },
  { value = 3, label = { en = "Very much" } },
]"""

CLINIC_MOOD = f"""code = "clinic_mood"
version = "1"
licence = "ours"
enabled_by_default = true
credit = "Written by Riverside Counseling for its own use; not a validated measure."
sources = [{{ tag = "ours", text = "Riverside Counseling, 2026." }}]

[languages]
en = "ours"

[title]
en = "Riverside weekly check (RWC)"

[lead_in]
en = "This past week, how much:"

[[items]]
id = "rwc_worry"
text = {{ en = "have you worried?" }}
{OPTIONS}

[[items]]
id = "rwc_sleep"
text = {{ en = "has poor sleep bothered you?" }}
{OPTIONS}

[[items]]
id = "rwc_coping"
reverse = true
text = {{ en = "have you felt able to cope?" }}
{OPTIONS}

[[items]]
id = "rwc_harm"
text = {{ en = "have you thought about harming yourself?" }}
{OPTIONS}

[[items]]
id = "rwc_note"
kind = "text"
max_length = 500
text = {{ en = "Anything you want your clinician to know?" }}

[scoring]
method = "sum"
direction = "higher_is_worse"
total_range = [0, 12]

[scoring.subscales]
distress = ["rwc_worry", "rwc_sleep"]

[[scoring.bands]]
key = "low"
min = 0
max = 5
label = {{ en = "Low" }}

[[scoring.bands]]
key = "high"
min = 6
max = 12
label = {{ en = "High" }}

[[scoring.thresholds]]
flag = "meets_cutoff"
op = ">="
value = 6
source = {{ tag = "ours", text = "Our cut-off." }}

[scoring.missing]
max_prorated = 1
reason = "too_many_missing"
source = {{ tag = "ours", text = "One missing answer is prorated." }}

[[scoring.critical_items]]
item = "rwc_harm"
answers = [2, 3]
flag = "critical_item"
unanswered_flag = "critical_item_unanswered"
source = {{ tag = "ours", text = "Quite a lot or Very much: assess risk at once." }}

[scoring.change]
sd = 2.5
reliability = 0.8
source = {{ tag = "ours", text = "SD 2.5 and reliability 0.8 from our own data (Jacobson-Truax)." }}
"""


def drop(folder: Path, text: str = CLINIC_MOOD, *, release: bool = True) -> Path:
    """Write ``text`` as clinic_mood/1.toml in ``folder``, released (its checksum recorded)."""
    path = folder / "clinic_mood" / "1.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if release:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        (folder / "RELEASED.sha256").write_text(f"{digest}  clinic_mood/1.toml\n")
    return path
