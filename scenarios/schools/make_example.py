"""Write ``example_300/``: an elementary school's files as an administrator would export them.

The school is fictional but built from the operating numbers in the project's literature
review, section A, so that it looks like a real K-5 school's caseload:

- 14 classes, kindergarten to grade 5, 20-23 students each (elementary class size 21), 300 students.
- 45 students (15%) with an IEP (NCES 2024: 13-15% of enrolment).
- Speech mandates of 2 x 30 minutes in a group, severe 3 x 30, mild 1 x 30 (Brandel & Loeb 2011).
- SETSS of at least 3 hours a week in groups of at most 8 (UFT, New York City).
- How many IEP students receive each service (speech 55%, SETSS 35%, OT 30%, counseling 25%,
  PT 7%) and the OT, PT and counseling mandates are estimates: no source gives the mix.
- Therapists: a full-time school speech-language pathologist and a part-week agency one, an
  agency OT three days a week, an agency PT one day, a school counselor three days, and a
  full-time SETSS teacher. Contracted minutes are on-site minutes for sessions, travel and
  co-planning.

The files are committed; rerun this script only to change the example. It is deterministic
(fixed seed), so rerunning it without changes rewrites the same bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20240901
OUT = Path(__file__).resolve().parent / "example_300"

SERVICES = ("speech", "ot", "pt", "counseling", "setss")
CLASS_SIZES = {
    "KA": 20, "KB": 21, "KC": 20,
    "1A": 21, "1B": 22, "1C": 21,
    "2A": 22, "2B": 23,
    "3A": 22, "3B": 22,
    "4A": 22, "4B": 21,
    "5A": 22, "5B": 21,
}
IEP_STUDENTS = 45
#: Share of IEP students receiving each service (estimate).
SERVICE_SHARE = {"speech": 0.55, "ot": 0.30, "pt": 0.07, "counseling": 0.25, "setss": 0.35}
#: Per service: (sessions a week, minutes a session, largest group, probability).
MANDATE_OPTIONS = {
    "speech": [(2, 30, 3, 0.6), (3, 30, 2, 0.2), (1, 30, 3, 0.2)],
    "ot": [(1, 30, 1, 0.4), (2, 30, 2, 0.4), (2, 30, 1, 0.2)],
    "pt": [(1, 30, 1, 0.7), (2, 30, 1, 0.3)],
    "counseling": [(1, 30, 4, 0.6), (1, 30, 1, 0.4)],
    "setss": [(4, 45, 8, 0.6), (5, 45, 5, 0.4)],
}
THERAPISTS = [
    ("R01", "speech", 1500, "Mon;Tue;Wed;Thu;Fri", "school"),
    ("R02", "SLP", 600, "Mon;Thu", "agency"),
    ("R03", "OT", 900, "Mon;Wed;Fri", "agency"),
    ("R04", "PT", 300, "Tue", "agency"),
    ("R05", "counseling", 900, "Mon;Tue;Wed", "school"),
    ("R06", "SETSS", 1500, "Mon;Tue;Wed;Thu;Fri", "school"),
]
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
#: Bell schedule: a 60-minute literacy block, then 45-minute periods; Wednesday ends early.
PERIOD_MINUTES = {day: [60, 45, 45, 45, 45, 45, 45] for day in DAYS} | {
    "Wed": [60, 45, 45, 45, 45, 45, 30]
}
SPECIALS = {"Mon": "PE", "Tue": "Art", "Wed": "PE", "Thu": "Music", "Fri": "Library"}
CONTENT = {"Mon": "science", "Tue": "Social Studies", "Wed": "science",
           "Thu": "Social Studies", "Fri": "science"}


def grade_of(class_id: str) -> str:
    """Grade as written in the files: K for kindergarten."""
    return class_id[0]


def students(rng: np.random.Generator) -> list[dict[str, object]]:
    """Every student, 45 of them with related-service mandates."""
    rows: list[dict[str, object]] = []
    ids = rng.choice(np.arange(10000, 100000), size=sum(CLASS_SIZES.values()), replace=False)
    for class_id, size in CLASS_SIZES.items():
        for _ in range(size):
            rows.append({"student_id": f"S{ids[len(rows)]}", "class_id": class_id,
                         "grade": grade_of(class_id)})
    for index in rng.choice(len(rows), size=IEP_STUDENTS, replace=False):
        services = [s for s in SERVICES if rng.random() < SERVICE_SHARE[s]]
        if not services:
            services = [str(rng.choice(["speech", "setss"]))]
        for service in services:
            options = MANDATE_OPTIONS[service]
            choice = rng.choice(len(options), p=[o[3] for o in options])
            sessions, minutes, group, _ = options[choice]
            rows[index] |= {f"{service}_sessions": sessions, f"{service}_minutes": minutes,
                            f"{service}_max_group": group}
    return rows


def staff() -> list[dict[str, object]]:
    """One teacher per class, then the related-service providers."""
    rows: list[dict[str, object]] = [
        {"staff_id": f"T{n:02d}", "role": "teacher", "class_id": class_id}
        for n, class_id in enumerate(CLASS_SIZES, start=1)
    ]
    for staff_id, discipline, minutes, days, employment in THERAPISTS:
        rows.append({"staff_id": staff_id, "role": "therapist", "discipline": discipline,
                     "minutes_per_week": minutes, "days_on_site": days,
                     "employment": employment})
    return rows


def timetable(rng: np.random.Generator) -> list[dict[str, object]]:
    """Each class keeps one daily order of lessons; lunch is period 4 (K-2) or 5 (3-5)."""
    rows: list[dict[str, object]] = []
    for class_id in CLASS_SIZES:
        lunch = 4 if grade_of(class_id) in "K12" else 5
        order = [str(s) for s in rng.permutation(["ela", "writing", "math", "content",
                                                  "specials"])]
        for day in DAYS:
            lessons = iter(order)
            for period, minutes in enumerate(PERIOD_MINUTES[day], start=1):
                if period == 1:
                    subject = "Reading"
                elif period == lunch:
                    subject = "Lunch/Recess"
                else:
                    subject = next(lessons)
                    subject = {"content": CONTENT[day], "specials": SPECIALS[day]}.get(
                        subject, subject)
                rows.append({"class_id": class_id, "day": day, "period": period,
                             "minutes": minutes, "subject": subject})
    return rows


def write(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    """Write rows as a spreadsheet would: comma-separated, blank for no value."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Write the three files of the example school."""
    rng = np.random.default_rng(SEED)
    OUT.mkdir(exist_ok=True)
    mandate_columns = [f"{s}_{f}" for s in SERVICES for f in ("sessions", "minutes", "max_group")]
    write(OUT / "students.csv", ["student_id", "class_id", "grade", *mandate_columns],
          students(rng))
    write(OUT / "staff.csv", ["staff_id", "role", "class_id", "discipline", "minutes_per_week",
                              "days_on_site", "employment"], staff())
    write(OUT / "timetable.csv", ["class_id", "day", "period", "minutes", "subject"],
          timetable(rng))


if __name__ == "__main__":
    main()
