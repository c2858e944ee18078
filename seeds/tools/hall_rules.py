# -*- coding: utf-8 -*-
"""The rules a bureau expects of the catalog's time limits (Python 3 stdlib only).

Shared by generate_seeds.py (which applies them) and validate_seeds.py (which enforces them):

1. Statutory limits. Where a law or regulation fixes the limit of an item, the item's legalDays is
   that limit (STATUTORY, with the source of each).
2. Families. An item that changes, renews, replaces or cancels what another item issues (变更, 延续,
   补办, 换发, 注销 …, matched by name: the same stem and department) is not slower in law than the
   item it follows (its base: 核发, 设立, 设立登记, 申领 … or the bare stem): legalDays <= the base's,
   whenever the base has a limit in law (legalDays > 0).
3. 即办 (immediate, promised 0 days) goes to simple registrations, certificates and services, never
   to an approval: an item named for a licence or an approval (许可, 审批, 核准, 审查, 验收, or 设立
   that is not a 设立登记) is a promised item, unless it only cancels or replaces one (注销, 补办, 补领).
"""
import re

# (pattern over the item name, legalDays, caseType or None, source)
STATUTORY = [
    (r"建筑工程施工许可证核发", 7, "promised",
     "《建筑工程施工许可管理办法》: the issuing authority decides within 7 days of receiving the application"),
    (r"(企业|公司|个体工商户|合伙企业|个人独资企业|农民专业合作社|外商投资企业|非公司企业法人|分支机构)(设立|变更|注销|简易注销|迁移)登记",
     3, None,
     "《市场主体登记管理条例》: registered on the spot, or within 3 working days when it cannot be on the spot"),
    (r"不动产.*登记", 30, None,
     "《不动产登记暂行条例》: completed within 30 working days of acceptance"),
    (r"结婚登记", 0, "immediate", "《婚姻登记条例》: the certificate is issued on the spot"),
]

VARIANTS = ("简易注销登记", "变更登记", "注销登记", "迁移登记", "遗失补领", "变更", "延续", "注销", "补办", "补领",
            "换发", "换领", "校验")
BASES = ("设立登记", "核发", "设立", "首次申领", "申领", "")
APPROVAL = re.compile(r"许可|审批|核准|审查|验收|设立(?!登记)")
SIMPLE_VARIANT = ("注销", "补办", "补领")


def statutory(name):
    """(legalDays, caseType or None, source) when a statute fixes the item's limit, else None."""
    for pattern, days, case_type, source in STATUTORY:
        if re.fullmatch(pattern, name):
            return days, case_type, source
    return None


def family_base(item, by_name):
    """The item a variant follows (same stem and department), or None."""
    name = item["name"]
    for variant in VARIANTS:
        if name.endswith(variant) and len(name) > len(variant):
            stem = name[: -len(variant)]
            for base in BASES:
                other = by_name.get(stem + base)
                if other is not None and other is not item and other["department"] == item["department"]:
                    return other
            return None
    return None


def is_approval(name):
    return bool(APPROVAL.search(name)) and not name.endswith(SIMPLE_VARIANT)


def violations(items):
    """Every break of the rules above, one message each, naming the items."""
    by_name = {it["name"]: it for it in items}
    out = []
    for it in items:
        fixed = statutory(it["name"])
        if fixed is not None:
            days, case_type, source = fixed
            if it["legalDays"] != days:
                out.append("statutory limit: %s %s has legalDays %d, the statute fixes %d (%s)"
                           % (it["code"], it["name"], it["legalDays"], days, source))
            if case_type is not None and it["caseType"] != case_type:
                out.append("statutory limit: %s %s is %s, the statute makes it %s" % (it["code"], it["name"], it["caseType"], case_type))
        base = family_base(it, by_name)
        if base is not None and base["legalDays"] > 0 and it["legalDays"] > base["legalDays"]:
            out.append("family: %s %s (legalDays %d) is slower in law than %s %s (legalDays %d)"
                       % (it["code"], it["name"], it["legalDays"], base["code"], base["name"], base["legalDays"]))
        if it["caseType"] == "immediate" and is_approval(it["name"]):
            out.append("即办: %s %s is an approval, not a simple registration or certificate; it must be promised"
                       % (it["code"], it["name"]))
    return out


def apply(items, promised_for):
    """Makes `items` keep the rules: statutory limits, approvals promised, then each variant no
    slower in law than its base. `promised_for(legal)` draws a promised limit for an item that
    becomes promised or whose legal limit changes. Returns the codes of the items changed."""
    by_name = {it["name"]: it for it in items}
    before = {it["code"]: (it["legalDays"], it["promisedDays"], it["caseType"]) for it in items}
    for it in items:
        fixed = statutory(it["name"])
        if fixed is not None:
            days, case_type, _ = fixed
            if case_type is None:
                case_type = it["caseType"] if days > 0 else "immediate"
            set_limits(it, days, case_type, promised_for)
        elif it["caseType"] == "immediate" and is_approval(it["name"]):
            set_limits(it, it["legalDays"] if it["legalDays"] > 0 else 20, "promised", promised_for)
    # Bases before their variants; a base's limit never changes here, so one pass suffices.
    for it in items:
        base = family_base(it, by_name)
        if base is not None and base["legalDays"] > 0 and it["legalDays"] > base["legalDays"] and statutory(it["name"]) is None:
            set_limits(it, base["legalDays"], it["caseType"], promised_for)
    return {it["code"] for it in items if before[it["code"]] != (it["legalDays"], it["promisedDays"], it["caseType"])}


def set_limits(it, legal, case_type, promised_for):
    it["legalDays"] = legal
    if case_type == "immediate" or legal == 0:
        it["caseType"], it["promisedDays"] = "immediate", 0
    else:
        it["caseType"] = "promised"
        it["promisedDays"] = min(legal, max(1, it["promisedDays"]) if it["promisedDays"] <= legal and it["promisedDays"] > 0
                                 else promised_for(legal))
