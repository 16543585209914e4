#!/usr/bin/python3
"""Generates participants at scale (issue 6): by default 100,000 participants
in 10 new schemes of one employer, each with a registration and 0-3 later
changes (salary and part-time changes, address changes, partners, terminations
that make them dormant or ended, a few re-hires, retroactive changes that went
through review, cancellations and rejections), loaded with COPY in one
transaction.

The rows are what the API would have written had every change been entered
through it, one at a time, on its registration date:

* participants: number from the per-scheme counter (1000001 up, in
  registration order), BSN passing the 11-proef, version = 1 + one per
  rebuild (every registration, change, decision and cancellation);
* participant_changes: the payloads the API stores (normalised decimals and
  dates, display name, address with a normalised postal code), registered by
  the employer's hr user (yearly indexations by a batch), decided by insurer
  staff, in registration order (so seq follows registered_at);
* participant_periods: for every rebuild the full set of periods that
  portal_participant_rebuild() derives from the changes known at that moment
  (a Python port of it), each period superseded at the first rebuild that
  derives it differently; so
  the current periods hold the exclusion constraint and every earlier belief
  is there for "as known at" questions;
* participant_number_counters and one audit event per change as the API
  writes them.

`verify()` then proves the derivation right: for a random sample of
participants it runs portal_participant_rebuild() inside a transaction that is
rolled back and compares the periods it derives with the loaded ones.

Participant ids are md5('p' || n)::uuid for n = 1..count, so pgbench can
address a random participant without an extra lookup; n <= ACTIVE_RESERVED
(20,000, fewer when the largest scheme is smaller) are in the largest scheme,
started in the past and never terminated: the pool the salary-change
benchmark draws from.

Usage: /usr/bin/python3 bench/generate.py DATABASE_URL [--participants N]
       [--schemes N] [--seed N] [--organisation ID]
"""
import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time
import unicodedata
import uuid
from zoneinfo import ZoneInfo

ACTIVE_RESERVED = 20000
DEMO_EMPLOYER_KVK = "12345678"

# ---- names, places -------------------------------------------------------

MALE = ("Jan Johannes Pieter Cornelis Hendrik Willem Gerrit Dirk Kees Bas Daan Sem Lucas Thijs "
        "Ruben Joris Maarten Wouter Erik Arjen Sander Niels Jeroen Frank Henk Teun Sjoerd Gijs "
        "Bram Lars Stijn Tim Koen Luuk Jesse Mohamed Youssef Ahmed Mehmet Emre Daniël Noël "
        "Marco Rob Ron Peter Paul Mark Michiel Rutger Floris Jasper Hidde Jelle Wessel Tijmen "
        "Rik Job Mees Siem Olivier Lodewijk Frits Ad Harm Wim Ewout Jurriaan").split()
FEMALE = ("Anna Maria Johanna Sanne Lotte Emma Julia Fleur Noor Sophie Eva Femke Marieke "
          "Ingrid Els Anouk Iris Fatima Saskia Linda Petra Hanneke Ilse Mirjam Esther Yvonne "
          "Karin Zoë Chloë Anne Lieke Roos Tess Sara Nina Laura Lisa Mila Yara Ayşe Özlem "
          "Samira Nadia Wilma Gerda Truus Dineke Marjolein Evelien Renske Margriet Annemieke "
          "Jolanda Miriam Natasja Bregje Maud Floor Merel Jet Isa Fenna Liv Nienke Wendy").split()
SURNAMES = ("Jansen Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer "
            "Dijkstra Kok Jacobs Vermeulen Schouten Willems Hoekstra Koster Prins Huisman "
            "Kuipers Postma Veenstra Kramer Timmermans Groen Verhoeven Janssen Smits Maas "
            "Gerritsen Boer Koopman Scholten Wijnen Peeters Claassen Wouters Sanders Martens "
            "Hermans Evers Bosman Jonker Kaya Yılmaz Öztürk Çelik Şahin Doğan Aydın Bulut "
            "Bouzid Benali Haddou Ramdin Sewdien Nguyen Müller Schmidt Ruiz Kowalski "
            "Nowak Rossi Fernandes Oosterhuis Zwart Blom Hofman Kroon Brands Verbeek Lammers "
            "Molenaar Wolters Post Dijkman Hoogendoorn Kloosterman Boersma Wiersma Zijlstra "
            "Terpstra Bijl Riemersma Faber Stam Koning Groot Mol Kooistra Vink Roos").split()
SURNAMES += ["El Amrani", "El Idrissi", "Ben Said", "Da Silva", "Dos Santos"]  # two words
PREFIXED = {
    "de": "Vries Jong Haan Boer Groot Wit Bruijn Lange Graaf Ruiter Bruin Kok Wilde Rooij "
          "Klerk Leeuw Waal Beer Jager Koning Winter Zwaan".split(),
    "van": "Dijk Beek Leeuwen Dam Vliet Wijk Loon Rijn Gils Dongen Es Hout Os Berkel Vugt "
           "Kampen Zanten Schaik Bommel Essen Houten Dalen Doorn".split(),
    "van den": "Berg Heuvel Broek Bosch Brink Hoek Bergh Akker Boom Eijnden Hurk".split(),
    "van der": "Meer Linden Wal Velde Heijden Veen Steen Wiel Laan Pol Ven Woude Weerd Horst "
               "Zee Molen Burg Sluis Kolk Plas Ploeg".split(),
    "van de": "Ven Kamp Pol Laar Wetering Sande Water Velde Graaf".split(),
    "ter": "Horst Haar Beek Steege Hofstede Braak".split(),
    "ten": "Brink Hove Cate Bosch Have Berge".split(),
    "te": "Velde Riele Winkel".split(),
    "in 't": "Veld Hout Zand".split(),
    "van 't": "Hof Zand Hek Wout".split(),
    "op den": "Kamp Brouw Velde".split(),
    "den": "Hartog Boer Dulk Uyl".split(),
}
PREFIX_WEIGHTS = {"de": 30, "van": 22, "van den": 12, "van der": 16, "van de": 6, "ter": 3,
                  "ten": 3, "te": 1, "in 't": 1, "van 't": 1, "op den": 1, "den": 2}
CITIES = [("Rotterdam", 3011), ("Amsterdam", 1012), ("Utrecht", 3511), ("Den Haag", 2511),
          ("Eindhoven", 5611), ("Groningen", 9711), ("Zwolle", 8011), ("Arnhem", 6811),
          ("Leeuwarden", 8911), ("Middelburg", 4331), ("Maastricht", 6211), ("Haarlem", 2011),
          ("Tilburg", 5011), ("Breda", 4811), ("Nijmegen", 6511), ("Amersfoort", 3811),
          ("Apeldoorn", 7311), ("Enschede", 7511), ("Leiden", 2311), ("Dordrecht", 3311),
          ("Delft", 2611), ("'s-Hertogenbosch", 5211), ("Alkmaar", 1811), ("Assen", 9401)]
STREETS = ("Kerkstraat Dorpsstraat Molenweg Stationsweg Schoolstraat Nieuwstraat Julianalaan "
           "Beatrixstraat Wilhelminapark Lindelaan Eikenlaan Havenkade Marktplein Kastanjelaan "
           "Prinsengracht Oranjestraat Emmastraat Parallelweg Industrieweg Sportlaan Burgwal "
           "Tulpstraat Rozenlaan Vondelstraat Spoorstraat Irenestraat Prins Hendrikkade "
           "Koningin Julianaplein Van Goghstraat Rembrandtlaan").split(" ")
EMAIL_DOMAINS = ["voorbeeld.nl", "ziggo.example", "kpnmail.example", "gmail.example",
                 "outlook.example", "hetnet.example", "xs4all.example"]
PARTTIMES = ["100.000"] * 12 + ["80.000"] * 4 + ["90.000", "60.000", "50.000", "88.889",
                                                  "72.500", "40.000", "36.111", "94.444"] * 1
RELATIONSHIPS = ["married"] * 5 + ["registered_partnership"] * 2 + ["cohabiting"] * 3
CANCEL_REASONS = ["Verkeerd bedrag doorgegeven", "Dubbel ingevoerd", "Onjuiste ingangsdatum",
                  "Wijziging gaat niet door"]
REJECT_REASONS = ["Geen onderbouwing ontvangen voor de terugwerkende kracht",
                  "Ingangsdatum ligt vóór de laatste verwerkte periode"]
REVIEW_LATE = "{effective_date_more_than_three_months_back}"

SCHEMES = [  # name, number, kind, start, share of the participants
    ("Pensioenregeling Korenbloem Groep", "PR-5101", "pension", "2008-01-01", 0.55),
    ("Pensioenregeling Korenbloem Logistiek", "PR-5102", "pension", "2011-01-01", 0.15),
    ("Verzuimverzekering Korenbloem Groep", "VZ-6101", "income", "2014-01-01", 0.08),
    ("Pensioenregeling Korenbloem Retail", "PR-5103", "pension", "2012-07-01", 0.06),
    ("WIA-excedentverzekering Korenbloem", "WI-7101", "income", "2016-01-01", 0.05),
    ("Pensioenregeling Korenbloem Productie", "PR-5104", "pension", "2015-01-01", 0.04),
    ("Verzuimverzekering Korenbloem Logistiek", "VZ-6102", "income", "2018-01-01", 0.03),
    ("Pensioenregeling Korenbloem Directie", "PR-5105", "pension", "2010-01-01", 0.02),
    ("Anw-hiaatverzekering Korenbloem", "AN-8101", "pension", "2019-01-01", 0.012),
    ("WGA-hiaatverzekering Korenbloem", "WG-8201", "income", "2020-01-01", 0.008),
]

# ---- helpers --------------------------------------------------------------


def participant_id(n):
    """The id of participant n: md5('p' || n)::uuid in PostgreSQL."""
    h = hashlib.md5(b"p%d" % n).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def bsn_check(first8):
    """The ninth digit that makes first8 pass the 11-proef, or None."""
    s = sum(int(d) * w for d, w in zip(first8, (9, 8, 7, 6, 5, 4, 3, 2)))
    last = s % 11
    return None if last == 10 else str(last)


def initials_of(first_names):
    return "".join(p[0].upper() + "." for p in first_names.replace("-", " ").split())


def ascii_lower(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(c for c in s.lower() if c.isalnum())


_DATES = {}


def dstr(ordinal):
    s = _DATES.get(ordinal)
    if s is None:
        s = _DATES[ordinal] = dt.date.fromordinal(ordinal).isoformat()
    return s


EPOCH_ORD = dt.date(1970, 1, 1).toordinal()
DAY_US = 86400 * 1000000


def ts_at(ordinal, rng):
    """A moment in office hours (UTC) on that day, in microseconds."""
    return (ordinal - EPOCH_ORD) * DAY_US + rng.randrange(7 * 3600 * 1000000, 16 * 3600 * 1000000)


def tstr(us):
    day, rest = divmod(us, DAY_US)
    sec, micro = divmod(rest, 1000000)
    h, rem = divmod(sec, 3600)
    m, s = divmod(rem, 60)
    return f"{dstr(day + EPOCH_ORD)} {h:02d}:{m:02d}:{s:02d}.{micro:06d}+00"


def first_of_month_after(ordinal, rng, span_days):
    d = dt.date.fromordinal(ordinal + rng.randrange(20, max(21, span_days)))
    return dt.date(d.year, d.month, 1).toordinal()


def money(cents):
    return f"{cents // 100}.{cents % 100:02d}"


# ---- the model --------------------------------------------------------------


class Change:
    __slots__ = ("p", "type", "eff", "reg", "kind", "user", "batch", "label", "initial",
                 "final", "decided", "reasons", "reject_reason", "cancelled", "cancel_reason",
                 "payload", "payload_text", "seq_key")

    def __init__(self, p, type_, eff, reg, payload, actor):
        self.p = p
        self.type = type_
        self.eff = eff
        self.reg = reg
        self.kind, self.user, self.batch, self.label = actor
        self.initial = "processed"
        self.final = None
        self.decided = None
        self.reasons = "{}"
        self.reject_reason = None
        self.cancelled = None
        self.cancel_reason = None
        self.payload = payload
        self.payload_text = None

    def status_at(self, t):
        if self.cancelled is not None and self.cancelled <= t:
            return "cancelled"
        if self.decided is not None and self.decided <= t:
            return self.final
        return self.initial

    def status_now(self):
        if self.cancelled is not None:
            return "cancelled"
        if self.decided is not None:
            return self.final
        return self.initial


class Participant:
    __slots__ = ("n", "id", "scheme", "number", "bsn", "created", "changes", "person",
                 "display", "first_name", "initials", "prefix", "surname", "birth", "gender",
                 "email", "address", "version")


def rebuild(p, t, pension):
    """Python port of portal_participant_rebuild(): the periods derived from
    the changes of p known at time t (microseconds), as dicts."""
    applying = []
    for c in p.changes:
        if c.reg > t:
            continue
        st = c.status_at(t)
        if st == "processed" or (c.type == "registration" and st == "pending_review"):
            applying.append((c.eff + 1 if c.type == "termination" else c.eff, c.reg, c, st))
    applying.sort(key=lambda x: (x[0], x[1]))
    rows = []
    s = None
    for frm, _, c, st in applying:
        if s is None and c.type != "registration":
            continue
        if s is None:
            s = {"lower": frm, "first": True, "partner": None, "children": "[]", "address": None}
        elif frm > s["lower"]:
            r = dict(s)
            r["upper"] = frm
            rows.append(r)
            s["lower"] = frm
            s["first"] = False
        pl = c.payload
        if c.type == "registration":
            s["start"] = c.eff
            s["end"] = None
            s["salary"] = pl["employment"]["salary"]
            s["parttime"] = pl["employment"]["parttime_percentage"]
            s["address"] = pl["person"].get("address")
            s["email"] = pl["person"].get("email")
            s["status"] = {"processed": "active", "pending_review": "pending_review"}.get(st, "rejected")
        elif c.type == "salary_change":
            s["salary"] = pl.get("salary", s["salary"])
            s["parttime"] = pl.get("parttime_percentage", s["parttime"])
        elif c.type == "termination":
            s["end"] = c.eff
            if s["status"] != "rejected":
                s["status"] = "dormant" if pension else "ended"
        elif c.type == "address_change":
            s["address"] = pl["address"]
        elif c.type == "partner_registration":
            s["partner"] = dict(pl["partner"], effective_date=dstr(c.eff))
    if s is None:
        return []
    s = dict(s)
    s["upper"] = None
    rows.append(s)
    ends = {}
    for r in rows:
        if r["end"] is not None:
            ends[r["start"]] = max(ends.get(r["start"], r["end"]), r["end"])
    for r in rows:
        if r["end"] is None:
            r["end"] = ends.get(r["start"])
    return rows


class Generator:
    def __init__(self, count, today, now_us, seed, users, scheme_ids):
        self.rng = random.Random(seed)
        self.count = count
        self.today = today
        self.now = now_us
        self.users = users
        self.scheme_ids = scheme_ids
        self.used_bsn = set()
        self.participants = []
        self.changes = []
        self.batches = {}
        prefixes = list(PREFIX_WEIGHTS)
        self.prefix_cum = []
        acc = 0
        for k in prefixes:
            acc += PREFIX_WEIGHTS[k]
            self.prefix_cum.append((acc, k))
        self.prefix_total = acc

    # -- people
    def new_bsn(self):
        rng = self.rng
        while True:
            first8 = str(rng.randrange(10000000, 69999999)).zfill(8)
            last = bsn_check(first8)
            if last is None:
                continue
            b = first8 + last
            if b not in self.used_bsn:
                self.used_bsn.add(b)
                return b

    def name(self, female):
        rng = self.rng
        pool = FEMALE if female else MALE
        first = rng.choice(pool)
        if rng.random() < 0.25:
            second = rng.choice(pool)
            if second != first:
                first = first + " " + second
        if rng.random() < 0.31:
            x = rng.randrange(self.prefix_total)
            prefix = next(k for acc, k in self.prefix_cum if x < acc)
            surname = rng.choice(PREFIXED[prefix])
        else:
            prefix = None
            surname = rng.choice(SURNAMES)
            if rng.random() < 0.03:  # a double surname
                other = rng.choice(SURNAMES)
                if other != surname:
                    surname = f"{surname}-{other}"
        return first, prefix, surname

    def address(self):
        rng = self.rng
        city, postal = rng.choice(CITIES)
        letters = "ABCDEFGHJKLMNPRTVWXZ"
        a = rng.choice(letters)
        b = rng.choice(letters)
        if a == "S" and b in "ADS":
            b = "B"
        house = str(rng.randrange(1, 240))
        if rng.random() < 0.12:
            house += rng.choice(["A", "B", "-1", "-2", " bis", "C"])
        return {"street": rng.choice(STREETS), "house_number": house,
                "postal_code": f"{postal + rng.randrange(0, 80):04d} {a}{b}", "city": city,
                "country": "NL"}

    # -- actors
    def hr(self):
        return ("user", self.users["hr"], None, self.users["hr_label"])

    def batch(self, scheme, year):
        key = (scheme, year)
        if key not in self.batches:
            self.batches[key] = str(self.uuid())
        return ("batch", None, self.batches[key], f"Salarisbestand indexatie {year}")

    def uuid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def registered(self, eff, rng, late=False, floor_us=None):
        """When a change with this effective date was registered: shortly
        before or after it, never in the future; late ones months later."""
        if late:
            day = eff + rng.randrange(95, 200)
        else:
            day = eff + int(rng.triangular(-25, 25, 3))
        us = ts_at(day, rng)
        if floor_us is not None and us <= floor_us:
            us = floor_us + rng.randrange(3600 * 1000000, 5 * DAY_US)
        if us > self.now - 60 * 1000000:
            us = self.now - rng.randrange(60, 3 * 86400) * 1000000
            if floor_us is not None and us <= floor_us:
                us = floor_us + (self.now - floor_us) // 2
        return us

    def review(self, c, rng, reject=False):
        """A change registered more than three months after its date: pending
        review, decided by insurer staff a few days later."""
        c.initial = "pending_review"
        c.reasons = REVIEW_LATE
        c.decided = c.reg + rng.randrange(DAY_US // 4, 9 * DAY_US)
        if c.decided > self.now - 1000000:
            c.decided = None  # still waiting in the review queue
            return
        c.final = "rejected" if reject else "processed"
        if reject:
            c.reject_reason = rng.choice(REJECT_REASONS)

    # -- one participant with its history
    def participant(self, n, scheme_index):
        rng = self.rng
        name, _, kind, scheme_start, _ = SCHEMES[scheme_index]
        pension = kind == "pension"
        reserved = n <= self.reserved
        p = Participant()
        p.n = n
        p.id = participant_id(n)
        p.scheme = scheme_index
        p.bsn = self.new_bsn()
        female = rng.random() < 0.47
        gender = "female" if female else "male"
        if rng.random() < 0.004:
            gender = "unknown"
        first, prefix, surname = self.name(female)
        initials = initials_of(first)
        if rng.random() < 0.12:
            first = None  # known by initials only, as payroll files often have them
        display = surname + ", " + initials + (", " + prefix if prefix else "")
        today = self.today
        scheme_from = dt.date.fromisoformat(scheme_start).toordinal()
        # Age 19..66 today; hired at 18 at the earliest, recent hires likelier.
        birth = today - rng.randrange(19 * 365 + 5, 66 * 365)
        adult = birth + 18 * 365 + 5
        back = int(rng.expovariate(1 / (6.5 * 365)))
        start = max(today - 14 - back, scheme_from, adult)
        if not reserved and rng.random() < 0.006:
            start = today + rng.randrange(1, 60)  # starts soon, registered already
        start = min(start, today + 60)
        if reserved:
            start = min(start, today - 30)
        email = None
        if rng.random() < 0.6:
            email = f"{ascii_lower(first.split()[0]) if first else initials[0].lower()}." \
                    f"{ascii_lower(prefix or '')}{ascii_lower(surname)}@{rng.choice(EMAIL_DOMAINS)}"
        address = self.address() if rng.random() < 0.93 else None
        salary = int(min(max(rng.lognormvariate(10.75, 0.38), 21000), 240000) * 100)
        salary -= salary % 100 if rng.random() < 0.7 else 0
        parttime = rng.choice(PARTTIMES)
        person = {}
        if first:
            person["first_name"] = first
        person["initials"] = initials
        if prefix:
            person["surname_prefix"] = prefix
        person["surname"] = surname
        person["birth_date"] = dstr(birth)
        person["gender"] = gender
        if email:
            person["email"] = email
        if address:
            person["address"] = address
        p.person = person
        p.first_name, p.initials, p.prefix, p.surname = first, initials, prefix, surname
        p.display, p.birth, p.gender, p.email, p.address = display, birth, gender, email, address
        reg_payload = {"display_name": display, "person": person,
                       "employment": {"start_date": dstr(start), "salary": money(salary),
                                      "parttime_percentage": parttime}}
        late = not reserved and start < today - 200 and rng.random() < 0.02
        reg = Change(p, "registration", start, self.registered(start, rng, late), reg_payload,
                     self.hr())
        if late:
            self.review(reg, rng)
        p.changes = [reg]
        p.created = reg.reg - rng.randrange(2000, 9000)
        # Later changes, in effective-date order.
        k = rng.choices((0, 1, 2, 3), (30, 35, 20, 15))[0]
        terminate = not reserved and start < today - 200 and rng.random() < 0.16
        horizon = today + 30
        end = None
        if terminate:
            end = start + rng.randrange(180, max(181, today - 20 - start))
            end = min(end, today - 20)
            horizon = end
        eff = start
        last_reg = reg.reg
        cur_salary, cur_pt = salary, parttime
        for _ in range(k):
            if horizon - eff < 40:
                break
            roll = rng.random()
            if roll < 0.45:  # yearly raise on 1 January, often sent by batch
                y = dt.date.fromordinal(eff).year + 1
                jan = dt.date(y, 1, 1).toordinal()
                if jan > horizon:
                    eff2 = first_of_month_after(eff, rng, horizon - eff)
                    batch = False
                else:
                    eff2 = jan
                    batch = rng.random() < 0.6
                if eff2 > horizon:
                    break
                cur_salary = int(cur_salary * rng.uniform(1.015, 1.075))
                payload = {"salary": money(cur_salary)}
                actor = self.batch(scheme_index, dt.date.fromordinal(eff2).year) if batch else self.hr()
                ctype = "salary_change"
            elif roll < 0.62:  # promotion or part-time change on the 1st of a month
                eff2 = first_of_month_after(eff, rng, min(horizon - eff, 900))
                if eff2 > horizon:
                    break
                payload = {}
                if rng.random() < 0.6:
                    cur_salary = int(cur_salary * rng.uniform(1.03, 1.15))
                    payload["salary"] = money(cur_salary)
                if not payload or rng.random() < 0.4:
                    new_pt = rng.choice(PARTTIMES)
                    if new_pt == cur_pt:
                        new_pt = "100.000" if cur_pt != "100.000" else "80.000"
                    cur_pt = new_pt
                    payload["parttime_percentage"] = cur_pt
                actor = self.hr()
                ctype = "salary_change"
            elif roll < 0.8 or not pension:  # moved house
                eff2 = eff + rng.randrange(20, max(21, min(horizon - eff, 1500)))
                if eff2 > horizon:
                    break
                payload = {"address": self.address()}
                actor = self.hr()
                ctype = "address_change"
            else:  # a partner
                eff2 = eff + rng.randrange(20, max(21, min(horizon - eff, 2000)))
                if eff2 > horizon or p.changes[-1].type == "partner_registration":
                    break
                pf, pp, ps = self.name(not female)
                partner = {"first_name": pf.split()[0], "surname": surname if rng.random() < 0.3 else ps,
                           "birth_date": dstr(birth + rng.randrange(-1500, 1500)), "bsn": self.new_bsn(),
                           "relationship": rng.choice(RELATIONSHIPS)}
                if pp and partner["surname"] == ps:
                    partner["surname_prefix"] = pp
                elif prefix and partner["surname"] == surname:
                    partner["surname_prefix"] = prefix
                payload = {"partner": partner}
                actor = self.hr()
                ctype = "partner_registration"
            retro = not reserved and rng.random() < 0.06
            c = Change(p, ctype, eff2, 0, payload, actor)
            c.reg = self.registered(eff2, rng, retro, last_reg)
            late = c.reg - (eff2 - EPOCH_ORD) * DAY_US > 92 * DAY_US
            if late:  # more than three months back: the insurer reviewed it
                self.review(c, rng, reject=retro and rng.random() < 0.08)
            elif c.reg < ts_at(eff2, rng) - 92 * DAY_US:
                c.reg = ts_at(eff2 - rng.randrange(1, 60), rng)  # at most three months ahead
                if c.reg <= last_reg:
                    c.reg = last_reg + rng.randrange(3600 * 1000000, DAY_US)
            if ctype == "salary_change" and c.final != "rejected" and rng.random() < 0.02 and \
                    c.reg + 2 * DAY_US < self.now:
                c.cancelled = c.reg + rng.randrange(3600 * 1000000, 20 * DAY_US)
                if c.decided is not None and c.cancelled < c.decided:
                    c.cancelled = c.decided + 3600 * 1000000
                if c.cancelled > self.now - 1000000:
                    c.cancelled = None
                else:
                    c.cancel_reason = rng.choice(CANCEL_REASONS)
            p.changes.append(c)
            eff = eff2
            last_reg = max(last_reg, c.reg)
        if terminate:
            c = Change(p, "termination", end, 0, {}, self.hr())
            c.reg = self.registered(end, rng, False, last_reg)
            if (c.reg - (end - EPOCH_ORD) * DAY_US) > 92 * DAY_US:
                self.review(c, rng)
            p.changes.append(c)
            last_reg = max(last_reg, c.reg)
            # Some come back: a new employment on the same participant.
            if end < today - 400 and c.status_now() == "processed" and rng.random() < 0.08:
                back = end + rng.randrange(120, today - end - 30)
                salary2 = int(cur_salary * rng.uniform(0.95, 1.2))
                person2 = dict(person)
                if address and rng.random() < 0.5:
                    person2["address"] = self.address()
                payload = {"display_name": display, "person": person2,
                           "employment": {"start_date": dstr(back), "salary": money(salary2),
                                          "parttime_percentage": rng.choice(PARTTIMES)}}
                c2 = Change(p, "registration", back, 0, payload, self.hr())
                c2.reg = self.registered(back, rng, False, max(last_reg, c.decided or 0))
                if (c2.reg - (back - EPOCH_ORD) * DAY_US) > 92 * DAY_US:
                    self.review(c2, rng)
                p.changes.append(c2)
        return p

    def run(self):
        sizes = [int(round(self.count * s[4])) for s in SCHEMES]
        sizes[0] += self.count - sum(sizes)
        self.reserved = min(ACTIVE_RESERVED, sizes[0])
        n = 0
        for si, size in enumerate(sizes):
            for _ in range(size):
                n += 1
                self.participants.append(self.participant(n, si))
        return sizes


# ---- loading ---------------------------------------------------------------

BULK_TABLES = ("participant_changes", "participant_periods", "audit_events")


def psql_cmd(url):
    return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]


def query(url, sql):
    out = subprocess.run(psql_cmd(url) + ["-A", "-t", "-F", "\t", "-c", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def sql_literal(s):
    return "NULL" if s is None else "'" + str(s).replace("'", "''") + "'"


def bulk_ddl(url):
    """What the bulk load drops and puts back on the big tables: their
    foreign keys, their constraint indexes that no other table's foreign key
    needs (primary keys, unique, the exclusion constraint) and their plain
    indexes, read from the catalogue so the schema stays the migrations'.
    Returns (drop statements, create statements), in order. Building an index
    once over loaded rows is several times cheaper than growing it row by
    row, and a foreign key added afterwards is checked with one join instead
    of a lookup per row (what pg_restore does)."""
    tables = ",".join(f"'{t}'::regclass" for t in BULK_TABLES)
    rows = query(url, f"""
SELECT 1, c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)
  FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid IN ({tables})
UNION ALL
SELECT 2, c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)
  FROM pg_constraint c WHERE c.contype IN ('p', 'u') AND c.conrelid IN ({tables})
   AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
                   AND f.conrelid NOT IN ({tables}))
UNION ALL
SELECT 3, i.indrelid::regclass, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
  FROM pg_index i WHERE i.indrelid IN ({tables})
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
UNION ALL
SELECT 4, c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)
  FROM pg_constraint c WHERE c.contype = 'x' AND c.conrelid IN ({tables})
ORDER BY 1, 2, 3""")
    drops, creates = [], {}
    for line in rows.splitlines():
        kind, table, name, definition = line.split("\t")
        if kind == "3":
            drops.append(f"DROP INDEX {name};")
            creates.setdefault(kind, []).append(definition + ";")
        else:
            drops.append(f"ALTER TABLE {table} DROP CONSTRAINT {name};")
            creates.setdefault(kind, []).append(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition};")
    # Unique keys and indexes first, the exclusion constraint, foreign keys last.
    return drops, creates.get("2", []) + creates.get("3", []) + creates.get("4", []) + \
        creates.get("1", [])


class CopyOut:
    """Rows for one COPY ... FROM STDIN (CSV: None is NULL), written to w in
    large pieces so psql and the server work while Python generates."""

    def __init__(self, w, table, columns, freeze=False):
        self.w = w
        self.buf = io.StringIO()
        self.csv = csv.writer(self.buf, lineterminator="\n")
        self.row = self.csv.writerow
        w.write(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv"
                f"{', FREEZE' if freeze else ''});\n")

    def flush(self):
        if self.buf.tell() > 1 << 20:
            self.w.write(self.buf.getvalue())
            self.buf.seek(0)
            self.buf.truncate()

    def close(self):
        self.w.write(self.buf.getvalue())
        self.w.write("\\.\n")


def generate(url, count=100000, seed=20260101, organisation=None, log=print):
    """Generates and loads; returns a dict with what it made and timings."""
    t0 = time.time()
    if organisation is None:
        organisation = query(url, "SELECT id FROM organisations WHERE kind = 'employer'"
                                  f" AND registration_number = '{DEMO_EMPLOYER_KVK}'")
    if not organisation:
        raise RuntimeError("no employer to put the schemes in (run portal-api seed-demo first)")
    users = {}
    users["hr"], users["hr_label"] = query(
        url, "SELECT u.id, u.first_name || ' ' || u.last_name FROM users u"
             f" WHERE u.organisation_id = '{organisation}' AND u.deleted_at IS NULL"
             " AND EXISTS (SELECT 1 FROM user_rights r WHERE r.user_id = u.id AND r.right_id = 'hr')"
             " ORDER BY u.username = 'werkgever.hr' DESC, u.created_at LIMIT 1").split("\t")
    users["staff"], users["staff_label"] = query(
        url, "SELECT u.id, u.first_name || ' ' || u.last_name FROM users u"
             " JOIN organisations o ON o.id = u.organisation_id"
             " WHERE o.kind = 'insurer' ORDER BY u.created_at LIMIT 1").split("\t")
    drops, creates = bulk_ddl(url)
    # Into empty tables nothing else references, COPY FREEZE: the rows go in
    # frozen and all-visible, as VACUUM would leave them, without a second
    # pass over them (the tables must be emptied in this transaction for it).
    freeze = set(query(url, """
SELECT string_agg(t, ' ') FROM unnest(ARRAY['participant_changes', 'participant_periods']) t
 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype = 'f'
                    AND c.confrelid = t::regclass AND c.conrelid <> t::regclass)
   AND NOT EXISTS (SELECT 1 FROM participant_changes WHERE t = 'participant_changes')
   AND NOT EXISTS (SELECT 1 FROM participant_periods WHERE t = 'participant_periods')""").split())
    tz = ZoneInfo("Europe/Amsterdam")
    now = dt.datetime.now(dt.timezone.utc)
    today = now.astimezone(tz).date().toordinal()
    now_us = int(now.timestamp() * 1000000)
    rng = random.Random(seed)
    scheme_ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in SCHEMES]

    # psql starts on the schema work while the model is made.
    if os.environ.get("GEN_DUMP"):
        proc = None
        w = open(os.environ["GEN_DUMP"], "w")
    else:
        proc = subprocess.Popen(psql_cmd(url), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                text=True, bufsize=1 << 20)
        w = proc.stdin
    w.write("BEGIN;\nSET LOCAL synchronous_commit = off;\nSET LOCAL maintenance_work_mem = '256MB';\n")
    for (name, number, kind, start, _), sid in zip(SCHEMES, scheme_ids):
        if kind == "pension":
            cov = [{"name": "Ouderdomspensioen", "description": "Middelloon, opbouw per jaar",
                    "figures": {"accrual_rate": "1.875", "franchise": "17545.00"}},
                   {"name": "Partnerpensioen", "description": "70% van het ouderdomspensioen",
                    "figures": {"percentage": "70.000"}}]
            prem = {"employer_share": "66.667", "frequency": "monthly"}
            extra = "NULL, NULL"
        else:
            cov = [{"name": "Loondoorbetaling bij ziekte", "description": "Eerste en tweede ziektejaar",
                    "figures": {"insured_percentage": "100.000", "waiting_days": "14"}}]
            prem = {"rate": "2.350"}
            extra = "'stop_loss', 'uniform_wage'"
        w.write("INSERT INTO schemes (id, organisation_id, name, number, kind, start_date, coverages,"
                " premium, variant, insured_wage_type) VALUES ("
                f"'{sid}', '{organisation}', {sql_literal(name)}, '{number}', '{kind}', '{start}',"
                f" {sql_literal(json.dumps(cov))}, {sql_literal(json.dumps(prem))}, {extra});\n")
    w.write("\n".join(drops) + "\n")
    if freeze:
        w.write(f"TRUNCATE {', '.join(sorted(freeze))};\n")
    w.flush()

    gen = Generator(count, today, now_us, seed, users, scheme_ids)
    sizes = gen.run()
    t_model = time.time()

    # Every change in registration order (seq follows registered_at).
    changes = [c for p in gen.participants for c in p.changes]
    changes.sort(key=lambda c: c.reg)
    parts = sorted(gen.participants, key=lambda p: p.changes[0].reg)
    counters = [0] * len(SCHEMES)
    for p in parts:
        counters[p.scheme] += 1
        p.number = str(1000000 + counters[p.scheme])

    out = CopyOut(w, "participants", ("id", "scheme_id", "participant_number", "bsn", "created_at",
                                      "version"))
    for p in parts:
        rebuilds = sum(1 + (c.decided is not None) + (c.cancelled is not None) for c in p.changes)
        p.version = 1 + rebuilds
        out.row((p.id, scheme_ids[p.scheme], p.number, p.bsn, tstr(p.created), p.version))
    out.close()
    w.write("INSERT INTO participant_number_counters (scheme_id, last_number) VALUES "
            + ", ".join(f"('{sid}', {1000000 + c})" for sid, c in zip(scheme_ids, counters))
            + ";\n")

    # Changes, and the audit events the API writes with them.
    out = CopyOut(w, "participant_changes", (
        "id", "participant_id", "scheme_id", "type", "effective_date", "registered_at",
        "registered_by_kind", "registered_by_user_id", "registered_by_batch_id",
        "registered_by_label", "status", "review_reasons", "decided_at", "decided_by_user_id",
        "decided_by_label", "rejection_reason", "cancelled_at", "cancelled_by_kind",
        "cancelled_by_user_id", "cancelled_by_label", "cancel_reason", "payload"),
        "participant_changes" in freeze)
    audits = []
    hr_id, staff_id = users["hr"], users["staff"]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    for i, c in enumerate(changes):
        p = c.p
        cid = gen.uuid()
        decided = c.decided is not None
        cancelled = c.cancelled is not None
        out.row((
            cid, p.id, scheme_ids[p.scheme], c.type, dstr(c.eff), tstr(c.reg), c.kind, c.user,
            c.batch, c.label, c.status_now(), c.reasons, tstr(c.decided) if decided else None,
            staff_id if decided else None, users["staff_label"] if decided else None,
            c.reject_reason, tstr(c.cancelled) if cancelled else None,
            "user" if cancelled else None, hr_id if cancelled else None,
            users["hr_label"] if cancelled else None, c.cancel_reason, dumps(c.payload)))
        if c.type == "registration":
            ch = {"participant_number": {"from": None, "to": p.number},
                  "start_date": {"from": None, "to": dstr(c.eff)},
                  "status": {"from": None, "to": c.initial}, "change_id": {"from": None, "to": cid}}
            action = "participant.registered" if c is p.changes[0] else "participant.rehired"
        else:
            ch = {"change_id": {"from": None, "to": cid}, "type": {"from": None, "to": c.type},
                  "effective_date": {"from": None, "to": dstr(c.eff)},
                  "status": {"from": None, "to": c.initial}}
            for key in ("salary", "parttime_percentage"):
                if key in c.payload:
                    ch[key] = {"from": None, "to": c.payload[key]}
            action = "participant.change_registered"
        audits.append((c.reg, hr_id, action, p.id, ch))
        if decided:
            ch = {"change_id": {"from": None, "to": cid}, "type": {"from": None, "to": c.type},
                  "status": {"from": "pending_review", "to": c.final}}
            if c.final == "rejected":
                ch["rejection_reason"] = {"from": None, "to": c.reject_reason}
            audits.append((c.decided, staff_id,
                           "review.approved" if c.final == "processed" else "review.rejected",
                           p.id, ch))
        if cancelled:
            ch = {"change_id": {"from": None, "to": cid}, "type": {"from": None, "to": c.type},
                  "status": {"from": c.status_at(c.cancelled - 1), "to": "cancelled"},
                  "cancel_reason": {"from": None, "to": c.cancel_reason}}
            audits.append((c.cancelled, hr_id, "participant.change_cancelled", p.id, ch))
        if i % 4096 == 0:
            out.flush()
    out.close()

    # Periods: each rebuild supersedes the current periods it derives
    # differently and adds the ones it derives anew (migration 0022); a
    # period derived the same stays the row it was.
    out = CopyOut(w, "participant_periods", (
        "participant_id", "scheme_id", "participant_number", "valid", "first_period",
        "registered_at", "superseded_at", "status", "first_name", "initials", "surname_prefix",
        "surname", "display_name", "birth_date", "gender", "email", "address", "employment_start",
        "employment_end", "salary", "parttime_percentage", "partner", "children"),
        "participant_periods" in freeze)
    n_periods = n_current = 0
    pension = [s[2] == "pension" for s in SCHEMES]
    row = out.row
    for i, p in enumerate(parts):
        events = sorted({c.reg for c in p.changes} | {c.decided for c in p.changes if c.decided}
                        | {c.cancelled for c in p.changes if c.cancelled})
        head = (p.id, scheme_ids[p.scheme], p.number)
        person = (p.first_name, p.initials, p.prefix, p.surname, p.display, dstr(p.birth), p.gender)
        current = {}  # period columns -> registered_at
        for t in events:
            # The rebuild runs just after the statement that registered the fact.
            now = tstr(t + 250)
            derived = [(f"[{dstr(r['lower'])},{dstr(r['upper']) if r['upper'] else ''})",
                        "t" if r["first"] else "f", r["status"]) + person
                       + (r["email"], dumps(r["address"]) if r["address"] is not None else None,
                          dstr(r["start"]), dstr(r["end"]) if r["end"] else None,
                          r["salary"], r["parttime"],
                          dumps(r["partner"]) if r["partner"] else None, r["children"])
                       for r in rebuild(p, t, pension[p.scheme])]
            keep = set(derived)
            for period, registered in list(current.items()):
                if period not in keep:
                    row(head + period[:2] + (registered, now) + period[2:])
                    n_periods += 1
                    del current[period]
            for period in derived:
                current.setdefault(period, now)
        for period, registered in current.items():
            row(head + period[:2] + (registered, None) + period[2:])
            n_periods += 1
            n_current += 1
        if i % 1024 == 0:
            out.flush()
    out.close()

    out = CopyOut(w, "audit_events", ("occurred_at", "actor_user_id", "actor_label",
                                      "organisation_id", "action", "target_type", "target_id",
                                      "request_id", "client_address", "changes"))
    audits.sort(key=lambda a: a[0])
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    r = gen.rng
    for i, (at, actor, action, target, ch) in enumerate(audits):
        out.row((tstr(at), actor, "user", organisation, action, "participant", target,
                 "".join(r.choices(alphabet, k=16)), "10.20.0.%d" % r.randrange(2, 250), dumps(ch)))
        if i % 4096 == 0:
            out.flush()
    out.close()
    t_written = time.time()
    w.write("\n".join(creates) + "\nCOMMIT;\n")
    w.close()
    if proc and proc.wait() != 0:
        raise RuntimeError("loading the generated data failed")
    t_loaded = time.time()
    subprocess.run(psql_cmd(url) + ["-c", "VACUUM (ANALYZE) participants, participant_changes,"
                                          " participant_periods, audit_events, schemes,"
                                          " participant_number_counters"],
                   check=True, capture_output=True)
    t_done = time.time()
    info = {
        "organisation": organisation, "scheme_ids": scheme_ids, "sizes": sizes,
        "participants": len(parts), "changes": len(changes), "periods": n_periods,
        "current_periods": n_current, "audit_events": len(audits),
        "reserved_ids": [participant_id(n) for n in range(1, gen.reserved + 1)],
        "all_ids": [p.id for p in gen.participants],
        "seconds": {"model": t_model - t0, "generate_and_copy": t_written - t_model,
                    "indexes_and_keys": t_loaded - t_written, "vacuum_analyze": t_done - t_loaded,
                    "total": t_done - t0},
        "expected": {p.id: expected_now(p, today, pension[p.scheme], scheme_ids) for p in
                     random.Random(seed + 1).sample(gen.participants, min(50, len(parts)))},
    }
    log(f"generated {len(parts)} participants in {len(SCHEMES)} schemes, {len(changes)} changes,"
        f" {n_periods} periods ({n_current} current), {len(audits)} audit events in"
        f" {t_done - t0:.1f} s (model {t_model - t0:.1f} s, rows and COPY {t_written - t_model:.1f} s,"
        f" indexes and keys {t_loaded - t_written:.1f} s, VACUUM ANALYZE {t_done - t_loaded:.1f} s)")
    return info


def expected_now(p, today, pension, scheme_ids):
    """What the API should show for p today (the period valid today, or the
    first one when it starts later), and its history length."""
    rows = rebuild(p, 1 << 62, pension)
    row = None
    for r in rows:
        if r["lower"] <= today and (r["upper"] is None or today < r["upper"]):
            row = r
    if row is None and rows and rows[0]["lower"] > today:
        row = rows[0]
    return {"participant_number": p.number, "bsn": p.bsn, "display_name": p.display,
            "scheme_id": scheme_ids[p.scheme], "status": row["status"] if row else None,
            "salary": row["salary"] if row else None,
            "parttime_percentage": row["parttime"] if row else None,
            "start_date": dstr(row["start"]) if row else None,
            "end_date": dstr(row["end"]) if row and row["end"] else None,
            "history": len(p.changes)}


def verify(url, scheme_ids, sample=300, seed=7):
    """Re-derives the periods of a sample with portal_participant_rebuild()
    (rolled back) and counts participants whose current periods differ; also
    checks BSNs, counters, versions and seq order, all within the generated
    schemes (seed-demo adds participants of its own)."""
    ids = "'{" + ",".join(scheme_ids) + "}'::uuid[]"
    sql = f"""
BEGIN;
CREATE TEMP TABLE sample ON COMMIT DROP AS
  SELECT id FROM participants WHERE scheme_id = ANY ({ids})
   ORDER BY md5(id::text || '{seed}') LIMIT {sample};
CREATE TEMP TABLE before ON COMMIT DROP AS
  SELECT participant_id, valid, first_period, status, first_name, initials, surname_prefix,
         surname, display_name, birth_date, gender, email, address, employment_start,
         employment_end, salary, parttime_percentage, partner, children
    FROM participant_periods WHERE superseded_at IS NULL AND participant_id IN (SELECT id FROM sample);
CREATE TEMP TABLE versions ON COMMIT DROP AS SELECT id, version FROM participants WHERE id IN (SELECT id FROM sample);
SELECT count(*) FROM (SELECT portal_participant_rebuild(id) FROM sample) x \\gset
CREATE TEMP TABLE after ON COMMIT DROP AS
  SELECT participant_id, valid, first_period, status, first_name, initials, surname_prefix,
         surname, display_name, birth_date, gender, email, address, employment_start,
         employment_end, salary, parttime_percentage, partner, children
    FROM participant_periods WHERE superseded_at IS NULL AND participant_id IN (SELECT id FROM sample);
SELECT 'rewritten', count(*) FROM participant_periods
 WHERE participant_id IN (SELECT id FROM sample) AND superseded_at >= now();
SELECT 'mismatch', count(DISTINCT participant_id) FROM
  ((SELECT * FROM before EXCEPT SELECT * FROM after) UNION ALL
   (SELECT * FROM after EXCEPT SELECT * FROM before)) d;
ROLLBACK;
SELECT 'bad_bsn', count(*) FROM participants WHERE scheme_id = ANY ({ids}) AND
  (9*substr(bsn,1,1)::int + 8*substr(bsn,2,1)::int + 7*substr(bsn,3,1)::int + 6*substr(bsn,4,1)::int
 + 5*substr(bsn,5,1)::int + 4*substr(bsn,6,1)::int + 3*substr(bsn,7,1)::int + 2*substr(bsn,8,1)::int
 - substr(bsn,9,1)::int) % 11 <> 0;
SELECT 'bad_counter', count(*) FROM participant_number_counters c
  WHERE c.scheme_id = ANY ({ids}) AND c.last_number <> (SELECT max(participant_number::bigint) FROM participants p WHERE p.scheme_id = c.scheme_id);
SELECT 'no_current', count(*) FROM participants p WHERE p.scheme_id = ANY ({ids}) AND NOT EXISTS
  (SELECT 1 FROM participant_periods x WHERE x.participant_id = p.id AND x.superseded_at IS NULL);
SELECT 'bad_version', count(*) FROM participants p WHERE p.scheme_id = ANY ({ids}) AND version <> 1 +
  (SELECT count(*) + count(decided_at) + count(cancelled_at) FROM participant_changes c WHERE c.participant_id = p.id);
SELECT 'superseded', count(*) FROM participant_periods WHERE scheme_id = ANY ({ids}) AND superseded_at IS NOT NULL;
SELECT 'seq_order_breaks', count(*) FROM (SELECT registered_at < lag(registered_at) OVER (ORDER BY seq) AS b
  FROM participant_changes WHERE scheme_id = ANY ({ids})) x WHERE b;
"""
    out = subprocess.run(psql_cmd(url) + ["-A", "-t", "-F", "|"], input=sql, check=True,
                         capture_output=True, text=True).stdout
    result = {}
    for line in out.splitlines():
        if "|" in line:
            k, v = line.split("|", 1)
            result[k] = int(v)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("--participants", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--organisation")
    ap.add_argument("--verify", action="store_true")
    args = ap.parse_args()
    info = generate(args.url, args.participants, args.seed, args.organisation)
    print(json.dumps({k: v for k, v in info.items()
                      if k not in ("reserved_ids", "all_ids", "expected")}, indent=1))
    if args.verify:
        print(verify(args.url, info["scheme_ids"]))


if __name__ == "__main__":
    sys.exit(main())
