// Eligibility's reasons (services/grants/domain/eligibility.py writes them in
// English, one per rule, parts joined by "; ") in Chinese: what the bureau
// reads per rule, and what a rejected applicant is told. A reason this table
// does not know is kept in the service's own words.
import { label } from "./labels";

const TYPES: Record<string, string> = {
  social_group: "社会团体",
  private_non_enterprise: "民办非企业单位",
  foundation: "基金会",
  other_civil_affairs: "其他民政登记组织",
  not_civil_affairs: "非民政登记组织",
};
const INSPECTION: Record<string, string> = { qualified: "合格", basically_qualified: "基本合格", unqualified: "不合格" };
const SUBJECTS: Record<string, string> = {
  "the organisation": "机构",
  "the legal representative": "法定代表人",
  "the project lead": "项目负责人",
};
const REGIMES: Record<string, string> = {
  enterprise_accounting: "企业会计制度",
  government_accounting: "政府会计制度",
  other: "其他会计制度",
};

const subjects = (list: string) =>
  list
    .split(", ")
    .map((s) => SUBJECTS[s] ?? s)
    .join("、");

type Rule = [RegExp, (m: RegExpMatchArray) => string];

// Whole reasons, tried first.
const whole: Rule[] = [
  [/^registered with civil affairs as (\w+) \((\d+)\)$/, (m) => `已在民政部门登记为${TYPES[m[1]] ?? m[1]}（${m[2]}）`],
  [
    /^credit code (\w+)… is a (\w+); only social groups/,
    (m) => `统一社会信用代码以 ${m[1]} 开头，为${TYPES[m[2]] ?? m[2]}；只有在民政部门登记的社会团体（51）和民办非企业单位（52）可以申报`,
  ],
  [
    /^annual inspections not passed: (.*)$/,
    (m) =>
      "年检未通过：" +
      m[1]
        .split("; ")
        .map((part) => {
          const missing = part.match(/^(\d{4}): no annual inspection on record$/);
          if (missing) return `${missing[1]}年无年检记录`;
          const result = part.match(/^(\d{4}): inspection result (\w+)$/);
          if (result) return `${result[1]}年年检结果为${INSPECTION[result[2]] ?? result[2]}`;
          return part;
        })
        .join("；"),
  ],
  [/^annual inspections qualified for (.*)$/, (m) => `${m[1].split(", ").map((y) => `${y}年`).join("、")}年检合格`],
  [
    /^no misconduct or credit-list entries for (.*?)(?:; credit lists checked for (.*))?$/,
    (m) => `${subjects(m[1])}无违法违规或失信记录` + (m[2] ? `；已查询信用名单：${subjects(m[2])}` : ""),
  ],
  [/^non-profit accounting system with financial rules and a qualified accountant$/, () => "执行民间非营利组织会计制度，有财务管理制度和具备资质的会计人员"],
  [/^needs an independent bank account with an account-opening permit$/, () => "须有独立银行账户和开户许可证"],
  [/^independent account at (.+) with opening permit$/, (m) => `在${m[1]}开立独立账户，有开户许可证`],
  [/^all required documents submitted$/, () => "申报材料齐全"],
  [/^no ban in force$/, () => "无禁入记录"],
  [
    /^banned from government service purchases from (\S+) until (\S+): (.*)$/,
    (m) => `${m[1]} 至 ${m[2]} 禁止参与政府购买服务：${label(m[3])}`,
  ],
  [/^no evaluation grade valid on this date$/, () => "申报日无有效的社会组织评估等级"],
  [/^grade (\d)A is below 3A$/, (m) => `评估等级为${m[1]}A，低于3A`],
  [/^grade (\d)A claimed without proof among the documents$/, (m) => `评估等级${m[1]}A，但申报材料中无证明`],
  [/^valid evaluation grade (\d)A$/, (m) => `有效评估等级${m[1]}A`],
  [/^honours: (.*)$/, (m) => `荣誉：${m[1]}`],
  [/^no honours on record$/, () => "无荣誉记录"],
  [/^honours claimed without certificates$/, () => "有荣誉但未附证书"],
  [/^well-run public-benefit projects: (.*)$/, (m) => `实施效果良好的公益项目：${m[1]}`],
  [/^no public-benefit project with a good outcome on record$/, () => "无实施效果良好的公益项目记录"],
];

// Parts of a reason that joins several problems with "; ".
const parts: Rule[] = [
  [/^bad records: (.*)$/, (m) => `不良记录：${apply(parts, m[1]) ?? m[1]}`],
  [
    /^(the organisation|the legal representative|the project lead): (.*) \((.+), (\S+)\)$/,
    (m) => `${SUBJECTS[m[1]]}：${m[2]}（${m[3]}，${m[4]}）`,
  ],
  [/^no credit-list check of the organisation verified by the bureau$/, () => "无经民政局核实的机构信用名单查询"],
  [/^(the organisation|the legal representative|the project lead) is on (.+) \(checked (\S+)\)$/, (m) => `${SUBJECTS[m[1]]}列入${m[2]}（${m[3]} 查询）`],
  [/^keeps (\w+), not the non-profit accounting system$/, (m) => `执行${REGIMES[m[1]] ?? m[1]}，而非民间非营利组织会计制度`],
  [/^has no written financial rules$/, () => "无书面财务管理制度"],
  [/^accountant has no stated qualification$/, () => "会计人员无资质说明"],
  [/^missing documents: (.*)$/, (m) => `缺少材料：${m[1].split(", ").map((k) => label(k)).join("、")}`],
  [/^application form is not signed by the legal representative and sealed$/, () => "申报书未经法定代表人签字并加盖公章"],
];

function apply(rules: Rule[], text: string): string | undefined {
  for (const [pattern, say] of rules) {
    const match = text.match(pattern);
    if (match) return say(match);
  }
  return undefined;
}

/** One eligibility reason in Chinese (the service's words when not known here). */
export function ruleReason(reason: string): string {
  const said = apply(whole, reason);
  if (said !== undefined) return said;
  const pieces = reason.split("; ").map((piece) => apply(parts, piece));
  return pieces.every((p) => p !== undefined) ? pieces.join("；") : reason;
}
