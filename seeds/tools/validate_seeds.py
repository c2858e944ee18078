#!/usr/bin/env python3
"""Checks the generated seeds/ files (Python 3 stdlib only): python3 seeds/tools/validate_seeds.py [SEEDS_DIR]

Besides the shapes and the report's figures, it enforces the bureau's rules of hall_rules.py:
statutory limits, 即办 never for an approval, variants no slower in law than the item they follow.
"""
import datetime
import json
import os
import re
import sys

import hall_rules

D = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def load(p):
    raw = open(os.path.join(D, p), "rb").read()
    check(not raw.startswith(b"\xef\xbb\xbf"), p + ": BOM")
    return raw.decode("utf-8")


catalog_lines = [json.loads(l) for l in load("catalog.jsonl").splitlines()]
header = catalog_lines[0] if catalog_lines else {}
check(set(header) == {"catalog", "effective"}, "catalog.jsonl: the first line names the catalog and its effective date")
check(header.get("catalog") == "政务服务事项基本目录(2023年版)", "catalog.jsonl: the 2023 basic catalog")
check(re.fullmatch(r"\d{4}-\d\d-\d\d", str(header.get("effective", ""))) is not None, "catalog.jsonl: effective YYYY-MM-DD")
items = catalog_lines[1:]
themes = json.loads(load("themes.json"))
windows = json.loads(load("windows.json"))
demand = json.loads(load("demand.json"))
rules = json.loads(load("rules.json"))

KEYS = ["code", "name", "department", "level", "legalDays", "promisedDays", "caseType", "onlineCapable",
        "maxVisits", "crossProvince", "metroCircle", "themes"]
DEPTS = {"市场监管", "人社", "医保", "自然资源和规划", "不动产登记", "住建", "交通运输", "农业农村", "水务", "供电", "公安户政",
         "民政", "卫健", "税务", "发改", "教育", "文旅", "应急管理", "生态环境", "退役军人事务", "残联", "城管执法"}
check(len(items) == 894, "894 items")
check([i["code"] for i in items] == sorted(i["code"] for i in items), "sorted by code")
for lvl, pre, n in (("district", "LZH-Q", 781), ("town", "LZH-Z", 75), ("village", "LZH-C", 38)):
    codes = [i["code"] for i in items if i["level"] == lvl]
    check(len(codes) == n, "%s count %d" % (lvl, len(codes)))
    check(codes == ["%s-%04d" % (pre, k) for k in range(1, n + 1)], "%s codes contiguous" % lvl)
check(len({i["name"] for i in items}) == 894, "names unique")
check(len({i["code"] for i in items}) == 894, "codes unique")
for i in items:
    check(list(i) == KEYS, "keys " + i["code"])
    check(i["department"] in DEPTS, "dept " + i["code"])
    check(not re.search(r"事项\d", i["name"]), "placeholder " + i["name"])
    check(i["onlineCapable"] is True, "online " + i["code"])
    check(0 <= i["promisedDays"] <= i["legalDays"] or i["legalDays"] == 0 == i["promisedDays"], "limits " + i["code"])
    check(i["caseType"] in ("immediate", "promised"), "caseType " + i["code"])
    check((i["caseType"] == "immediate") == (i["promisedDays"] == 0), "immediate<->0 " + i["code"])
    check(i["maxVisits"] in (0, 1, 2), "visits " + i["code"])
legal = sum(i["legalDays"] for i in items if i["legalDays"] > 0)
prom = sum(i["promisedDays"] for i in items if i["legalDays"] > 0)
pct = 100 * (1 - prom / legal)
check(round(pct, 1) == 92.4, "compression %.4f" % pct)
check(sum(i["crossProvince"] for i in items) == 332, "crossProvince")
check(sum(i["metroCircle"] for i in items) == 410, "metroCircle")
names = {i["name"]: i for i in items}
for n in ("社会保障卡申领", "社会保障卡密码重置", "武汉通公交卡办理", "企业设立登记", "个体工商户设立登记", "不动产转移登记",
          "不动产抵押权登记", "行业综合许可证核发"):
    check(n in names, "required " + n)
tids = [t["id"] for t in themes]
check(tids == ["T%02d" % k for k in range(1, 61)], "60 theme ids")
check(len({t["name"] for t in themes}) == 60, "theme names unique")
for t in tids:
    k = sum(t in i["themes"] for i in items)
    check(2 <= k <= 8, "theme %s has %d items" % (t, k))
check(all(t in tids for i in items for t in i["themes"]), "theme refs")
themed = sum(bool(i["themes"]) for i in items)
check(themed < 894 / 2, "most items have no theme")
# windows
check(len(windows) == 24 and windows[0]["id"] == "W01" and windows[0].get("fallback") is True, "W01 fallback")
owner = {}
for w in windows:
    for d in w["departments"]:
        check(d not in owner, "dept %s in two windows" % d)
        owner[d] = w["id"]
    check(2 <= len(w["clerks"]) <= 5, "clerks per window " + w["id"])
clerks = [c for w in windows for c in w["clerks"]]
check(len(clerks) == len(set(clerks)) and all(re.fullmatch(r"clerk-\d\d", c) for c in clerks), "clerk ids")
for d in {i["department"] for i in items}:
    check(d in owner, "department without window: " + d)
# the bureau's rules of time limits
for message in hall_rules.violations(items):
    check(False, message)
# 首席服务员: each chief is a clerk of a department window, granted departments the window does not host
grants = json.loads(load("grants.json"))
window_of = {c: w for w in windows for c in w["clerks"]}
check(grants.get("grantedBy") and set(grants) == {"grantedBy", "chiefs"}, "grants.json keys")
for chief in grants.get("chiefs", []):
    w = window_of.get(chief["clerk"])
    check(w is not None, "grants.json: %s is no clerk" % chief["clerk"])
    for d in chief["departments"]:
        check(d in owner, "grants.json: %s is no department of a window" % d)
        check(w is None or d not in w["departments"], "grants.json: %s's window already hosts %s" % (chief["clerk"], d))
for d in ("市场监管", "人社", "自然资源和规划", "水务", "供电"):
    check(any(d in w_["departments"] and any(c["clerk"] in w_["clerks"] for c in grants.get("chiefs", [])) for w_ in windows),
          "grants.json: the %s window has a chief clerk" % d)
# demand
check(set(demand) == {"defaultWeight", "weights", "channels", "hourProfile", "weekdayProfile"}, "demand keys")
codes = {i["code"] for i in items}
check(all(c in codes for c in demand["weights"]), "demand codes")
check(abs(sum(demand["channels"].values()) - 1) < 1e-9, "channels sum 1")
h = demand["hourProfile"]
check(len(h) == 24 and all(h[k] == 0 for k in range(24) if k < 8 or k > 18), "hours")
check(len(demand["weekdayProfile"]) == 7, "weekdays")
check(demand["weights"][names["社会保障卡申领"]["code"]] >= 50, "busy weight")
# calendars
for y in (2023, 2024, 2025, 2026):
    c = json.loads(load("calendars/%d.json" % y))
    check(c["year"] == y and c["holidays"] == sorted(set(c["holidays"])), "calendar %d" % y)
    for d in c["adjustedWorkdays"]:
        check(datetime.date.fromisoformat(d).weekday() >= 5, "adjusted %s is a weekend day" % d)
        check(d not in c["holidays"], "adjusted %s also holiday" % d)
    print(y, len(c["holidays"]), "holidays,", len(c["adjustedWorkdays"]), "adjusted;", c["source"])
check(rules["goldWindow"]["goldCount"] == 3 and sum(rules["goldWindow"]["weights"].values()) == 100, "rules")

imm = sum(i["caseType"] == "immediate" for i in items)
print("items %d; compression 1 - %d/%d = %.4f%% (-> %.1f%%); immediate %d (%.1f%%); cross %d; metro %d; "
      "themed items %d; windows %d; clerks %d" % (len(items), prom, legal, pct, pct, imm, 100 * imm / len(items),
                                                  sum(i["crossProvince"] for i in items),
                                                  sum(i["metroCircle"] for i in items), themed, len(windows),
                                                  len(clerks)))
if errors:
    print("\n".join("FAIL: " + e for e in errors))
    sys.exit(1)
print("OK")
