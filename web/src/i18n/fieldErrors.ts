// The API explains a refused field in English (marshmallow's and the rules'
// own words); a person reads it in Chinese next to the field.
import { label } from "./labels";
import { formatMoney } from "../format";

const exact: Record<string, string> = {
  "Missing data for required field.": "必填",
  "Field may not be null.": "必填",
  "Unknown field.": "不支持的字段",
  "Not a valid string.": "应为文字",
  "Not a valid integer.": "应为整数",
  "Not a valid number.": "应为数字",
  "Not a valid date.": "日期格式不正确",
  "Not a valid datetime.": "时间格式不正确",
  "Not a valid boolean.": "应为是或否",
  "Not a valid list.": "应为列表",
  "Not a valid UUID.": "编号格式不正确",
  "Invalid value.": "取值无效",
  "Shorter than minimum length 1.": "不能为空",
  "must not be blank": "不能为空",
  "must be a UUID": "编号格式不正确",
  "String does not match expected pattern.": "格式不正确",
  // Registers as they stood (?as_of= a date, or ?as_of_position= a log position).
  "give as_of or as_of_position, not both": "截至日期和日志位置只能填写一项",
  // Ranges of the audit log and of the who-viewed log (GET /audit/...).
  "must be greater than after": "结束位置应大于起始位置",
  "must not be before since": "结束时间不能早于开始时间",
  "must not be before read_from": "结束日期不能早于开始日期",
};

const patterns: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Must be one of: /, () => "请从选项中选择"],
  [/^Longer than maximum length (\d+)\.$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^Shorter than minimum length (\d+)\.$/, (m) => `至少 ${m[1]} 个字`],
  [/^Length must be between 1 and (\d+)\.$/, (m) => `必填，不超过 ${m[1]} 个字`],
  [/^Length must be between (\d+) and (\d+)\.$/, (m) => `长度应为 ${m[1]}–${m[2]} 个字`],
  [/^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$/, (m) => `应在 ${m[1]} 到 ${m[2]} 之间`],
  [/^Must be greater than or equal to (\S+)\.$/, (m) => `不能小于 ${m[1]}`],
  [/^Must be less than or equal to (\S+)\.$/, (m) => `不能大于 ${m[1]}`],
  [/in the future/i, () => "不能是将来的日期"],
  [/^is after today \((\S+)\): a register cannot be rebuilt ahead of its log$/, (m) => `不能晚于今天（${m[1]}）：台账只能还原到已有的记录`],
  [/^is beyond the end of \w+'s log \((\d+)\)$/, (m) => `超出日志末尾（目前最大位置为 ${m[1]}）`],
  [/id number|ID number|check digit|checksum/i, () => "身份证号不正确（校验位不符）"],
  [/already (registered|has a file|exists)/i, () => "已经建档"],
  [/outside your (village|scope)|not your village/i, () => "不在您负责的村（社区）"],
  [/service area of (your organisation's contracts|the contract)/i, () => "不在本服务合同的服务区域内"],
  // The registry's category rules (家庭情况 a category rests on).
  [/^left_behind needs both parents migrant/, () => "留守儿童须父母双方外出务工，或一方外出务工、另一方无法履行抚养责任"],
  [/^unattended \(事实无人抚养\) needs both parents unable to care/, () => "事实无人抚养儿童须父母双方均无法履行抚养责任"],
  [/^poverty needs the household's economic status/, () => "家庭贫困须为低保家庭或特困供养"],
  [/^left_behind and unattended \(and poverty\) need the household/, () => "请填写家庭情况（父母情况和家庭经济状况）"],
  [/^left_behind applies only to children under 16$/, () => "留守儿童须未满16周岁"],
  [/^a guardian must be an adult/, () => "监护人须年满18周岁"],
  // Casework's rules (individual, group and community work; care).
  [/^safety education covers at least one of/, () => "请至少选择一个安全教育主题"],
  [/^topics are for safety education only$/, () => "只有安全教育活动选择安全主题"],
  [/^the monthly 塞上护童 activity names its theme$/, () => "请填写本月“塞上护童”主题"],
  [/^safety education for guardians needs guardians attending$/, () => "监护人安全教育须有监护人参加"],
  [/^an activity has someone attending$/, () => "请填写参加的儿童、监护人或社区居民"],
  [/^name the community social organisation that held it$/, () => "请选择举办活动的社区社会组织"],
  [/^only a social organisation's activity names one$/, () => "只有社会组织参与活动选择社区社会组织"],
  [/is not a community social organisation known here$/, () => "不是已登记的社区社会组织，请刷新后重新选择"],
  [/gives money or goods: state their value/, () => "请填写资助的金额或物资价值"],
  [/gives no money or goods; leave value_fen empty/, () => "此类服务不填价值"],
  [/^an assessment names at least one need$/, () => "请至少填写一项服务需求"],
  [/^assess the case before setting a plan$/, () => "请先完成需求评估，再制定服务计划"],
  [/^a plan has at least one goal$/, () => "请至少填写一个服务目标"],
  [/^a goal's target date is before the plan date$/, () => "目标完成期限不能早于计划日期"],
  [/^set a plan before reviewing it$/, () => "请先制定服务计划，再回顾进展"],
  [/^not goals of this case's plan/, () => "包含不属于本个案计划的目标，请刷新后重试"],
  [/^goals_met needs a plan whose goals a review marked achieved$/, () => "所有目标经回顾标记为“已达成”后，才能以“目标达成”结案"],
  [/^age band must satisfy/, () => "年龄范围不正确（最小年龄不能大于最大年龄，且小于18岁）"],
  [/^already members:/, () => "已经是组员"],
  [/^name at least one child$/, () => "请至少选择一名儿童"],
  [/^a session has at least one child attending$/, () => "请至少勾选一名出勤的组员"],
  [/^not members of this group:/, () => "出勤名单中有非本组组员"],
  [/before the case was opened|before .* was opened/, () => "不能早于接案日期"],
  // Grants' contract close-out: evaluations, completion, audit, closure, force majeure.
  [/^a (mid_term|effectiveness) evaluation needs evaluators from (.*)$/, (m) => `须有以下单位的评估人员：${[...m[2].matchAll(/\((\w+)\)/g)].map((b) => label(b[1], "evaluator_body")).join("、")}`],
  [/^name who evaluated, each with their body$/, () => "请填写评估人员及其单位"],
  [/^\d+: name the evaluator$/, () => "请填写评估人员姓名"],
  [/^score every leaf indicator/, () => "请为每一项评估指标评分"],
  [/^([\w.]+): 0 to (\S+) in steps of 0\.1$/, (m) => `${m[1]}：应在 0 到 ${m[2]} 之间，最多一位小数`],
  [/^mid-term evaluation needs two accepted quarterly reports$/, () => "中期评估须有两份已通过审核的季度书面报告"],
  [/^the mid-term evaluation failed; a re-evaluation must first be opened/, () => "中期评估未通过：须先说明理由开启重新评估"],
  [/^the re-evaluation was opened by (.*); a different person records it$/, (m) => `重新评估由 ${m[1]} 开启，须由另一名工作人员记录`],
  [/^the mid-term evaluation has not been passed$/, () => "中期评估尚未通过"],
  [/^quarterly reports not accepted: (.*)$/, (m) => `以下季度书面报告尚未通过审核：${m[1].replace(/, /g, "、")}`],
  [/^the service period runs until (\S+)$/, (m) => `服务期至 ${m[1]} 结束，结束后方可记录完成`],
  [/^a written final report is required$/, () => "请填写结项报告"],
  [/^a modified audit opinion needs its findings$/, () => "非无保留意见须写明审计发现"],
  [/^the audit opinion is (\w+); settle it first$/, (m) => `审计意见为“${label(m[1])}”，须先整改后方可结项`],
  [/^is before (the audit|completion|the last mid-term evaluation) /, (m) => `不能早于${{ "the audit": "审计", completion: "项目完成", "the last mid-term evaluation": "上次中期评估" }[m[1]]}日期`],
  [/^state the value of the services delivered, 0 to the contract amount/, () => "请填写已提供服务的价值（不超过合同金额）"],
  // Finance: a scanned payment voucher is attached to a paid tranche only.
  [/^tranche (\d+) is (\w+): a voucher is attached to a paid tranche$/, (m) => `第 ${m[1]} 期${label(m[2], "tranche_status")}，付款凭证只能附在已支付的期次上`],
  // Grants' rules (the call, review, panel, notice and determination).
  [/^cannot pass an ineligible application; failing rules: (.*)$/, (m) => `不符合资格条件，不能通过初审（未通过：${m[1].split(", ").map((r) => label(r)).join("、")}）`],
  [/^a rejection must tell the applicant why$/, () => "不通过须写明理由（申报机构可见）"],
  [/^is before the application was submitted$/, () => "不能早于申报日期"],
  [/^review must start after submissions close$/, () => "评审开始须晚于申报截止"],
  [/^must not be before (submission_opens|review_opens)$/, () => "不能早于开始日期"],
  [/^a conflict of interest must be described$/, () => "请说明利益关系"],
  [/^has already declared for this application$/, () => "已就该申报作过申报"],
  [/^must declare any conflict of interest with this application before scoring$/, () => "评分前须先申报利益关系"],
  [/^declared a conflict of interest with this application and cannot score it$/, () => "已申报利益冲突，不能评分"],
  [/^conflict of interest declared$/, () => "已申报利益冲突，回避评审"],
  [/^outside the review window (\S+) to (\S+)$/, (m) => `不在评审期内（${m[1]} 至 ${m[2]}）`],
  [/^the panel has no member for: (.*)$/, (m) => `评审小组尚缺：${m[1].split(", ").map((r) => label(r)).join("、")}`],
  [/^awaiting preliminary review: /, () => "还有申报未完成初审"],
  [/^fewer than (\d+) panel scores/, (m) => `有申报的评分人数不足 ${m[1]} 人`],
  [/^applications tie at place (\d+)/, (m) => `第 ${m[1]} 名同分，请评审小组重新评分区分`],
  [/^must be 1 to (\d+), the applications under review$/, (m) => `应为 1 到 ${m[1]}（评审中的申报数）`],
  [/^is before the shortlist was decided$/, () => "不能早于入围决定日期"],
  [/^objections are taken during the notice, (\S+) to (\S+)$/, (m) => `只在公示期内（${m[1]} 至 ${m[2]}）受理异议`],
  [/^is before the objection was lodged$/, () => "不能早于异议提出日期"],
  [/^say how the objection was resolved and why$/, () => "请写明处理意见和理由"],
  [/^an objection must state its grounds$/, () => "请写明异议理由"],
  [/^the public notice runs until (\S+); determine from (\S+)$/, (m) => `公示期至 ${m[1]}，${m[2]} 起才能确定`],
  [/^(\d+) objection\(s\) still open; resolve them first$/, (m) => `还有 ${m[1]} 条异议未处理，处理完毕后才能确定`],
  [/^an objection against it was upheld$/, () => "针对该机构的异议成立，不能确定"],
  [/^is not on the public notice$/, () => "不在公示名单中"],
  [/^a returned report needs a reason$/, () => "退回报告须写明理由"],
  [/^say why the contract is reinstated$/, () => "请写明恢复理由"],
  // The registry's corrections, assessments, merges, transfers and duplicate reviews; casework's referrals.
  [/^is the same as the current value$/, () => "与档案中现有内容相同，无需更正"],
  [/^a (correction|merge|dismissal|withdrawal) needs a reason$/, () => "请写明原因"],
  [/^child directors cannot correct (town|village); ask the bureau$/, () => "儿童主任不能更改乡镇或村（社区），请联系区民政局办理"],
  [/^the file was merged into (another|\S+)/, () => "该档案已并入另一份档案，请在保留的档案上办理"],
  [/^the file is (closed|not active) \((\w+)\)/, (m) => `该档案已${label(m[2]).replace(/^已/, "")}，不能再办理`],
  [/^a file cannot be merged into itself$/, () => "不能把档案并入它自己"],
  [/^the two files have different ID numbers/, () => "两份档案的身份证号不同，不是同一名儿童，不能合并"],
  [/^is the same file as first_id/, () => "请选择两份不同的档案"],
  [/^name where the child moved to$/, () => "请填写迁往何处"],
  [/^is before the file was opened$/, () => "不能早于建档日期"],
  [/^is before the child's date of birth$/, () => "不能早于出生日期"],
  [/^is earlier than the current assessment$/, () => "不能早于当前评估的日期"],
  [/^an assessment needs at least one reason$/, () => "请至少填写一条评估理由"],
  [/^must be 1 \(high\), 2 or 3$/, () => "请选择风险等级"],
  [/^say why the child is referred to this contract$/, () => "请写明转介理由"],
  [/^the child is already referred to this contract$/, () => "该儿童已转介给这份合同"],
  [/^the child has left the programme$/, () => "该儿童已不在服务范围内（已销档或转出）"],
  [/is not a signed contract known to casework$/, () => "没有这份已签订的服务合同，请核对合同编号"],
  [/^the child is not referred to this contract$/, () => "该儿童没有转介给这份合同"],
  [/^say why the referral is withdrawn$/, () => "请写明撤回原因"],
  // Grants' organisations, their evidence, and applications (services/grants/domain/organizations.py, proposals.py).
  [/^must be 18 characters$/, () => "统一社会信用代码应为 18 位"],
  [/^contains characters outside 0-9A-HJ-NPQRTUWXY/, () => "含有不允许的字符（不使用 I、O、S、V、Z）"],
  [/^characters 3-8 must be an administrative division code/, () => "第 3–8 位应为行政区划代码（数字）"],
  [/^organisation code \(characters 9-17\) fails/, () => "组织机构代码（第 9–17 位）校验不符"],
  [/^check character does not match/, () => "校验码（第 18 位）不符，请核对"],
  [/^is required for \w+ evidence$/, () => "必填"],
  // An account's scope (services/gateway/domain/roles.py).
  [/^required for (\w+)$/, (m) => `${label(m[1])}账号必须填写此项`],
  [/^not used by (\w+)$/, (m) => `${label(m[1])}账号不使用此项`],
  [/^does not apply to \w+ evidence$/, () => "此类材料不填此项"],
  [/^an inspection concludes after the year it covers$/, () => "年检年度不能晚于年检结论日期所在年度"],
  [/^must be 1 to 5 \(1A to 5A\)$/, () => "应为 1A 到 5A"],
  [/^is before the grade was awarded$/, () => "不能早于评定日期"],
  [/^no such evidence on this organisation$/, () => "该机构没有这项材料，请刷新后重试"],
  [/^was already (verified|rejected)$/, (m) => `该材料已${m[1] === "verified" ? "核实" : "驳回"}，每项材料只核实一次`],
  [/^name the source the evidence was checked against$/, () => "请写明核实依据（如“信用中国”查询日期、年检结果公告）"],
  [/^say why the evidence is rejected$/, () => "驳回须写明理由（申报机构可见）"],
  [/^total (\d+) fen exceeds the call's budget (\d+) fen$/, (m) => `预算合计 ${formatMoney(Number(m[1]))}，超过公告预算 ${formatMoney(Number(m[2]))}`],
  [/^every budget line must be positive$/, () => "每项预算金额须大于 0"],
  [/^service lines not in this call: (.*)$/, (m) => `包含本公告未列的服务内容：${m[1].split(", ").map((l) => label(l)).join("、")}`],
  [/^no activities for: (.*)$/, (m) => `以下服务内容尚无活动安排：${m[1].split(", ").map((l) => label(l)).join("、")}`],
  [/^outside the submission window (\S+) to (\S+)$/, (m) => `不在申报期内（${m[1]} 至 ${m[2]}）`],
  [/^a withdrawal needs a reason$/, () => "撤回须写明理由"],
  [/^a disqualification must say what was found$/, () => "请写明查实的情况"],
  [/^closing a call needs a reason$/, () => "请写明关闭理由"],
  [/^(must be|is not) your organisation$|^provider staff see their own organisation only$/, () => "只能办理本机构的事项"],
  // The provider's own contract: written reports, force majeure, transfer, supervision.
  [/^is outside the contract period$/, () => "该季度不在合同服务期内"],
  [/^the quarter has not begun$/, () => "该季度尚未开始，不能报送"],
  [/^already has a report that is (\w+)$/, (m) => `该季度已有${label(m[1], "report_status")}的书面报告，不能重复报送`],
  [/^a written report is required$/, () => "请填写书面报告"],
  [/^content_hash does not match the /, () => "报告数据已变化：请重新读取本季度报告后再报送"],
  [/^as_of_position \d+ is beyond the end of/, () => "报告数据位置无效：请重新读取本季度报告后再报送"],
  [/^describe the event and its impact on the services$/, () => "请说明事件及其对服务的影响"],
  [/^the project may not be transferred or subcontracted/, () => "项目不得转让或分包给其他机构或个人；确实无法履行的，请向区民社局报告不可抗力"],
  [/^at least one child director attends$/, () => "请至少选择一名参加的儿童主任"],
  [/^cross-learning brings together directors of two or more villages$/, () => "交流学习须有两个以上村（社区）的儿童主任参加"],
  [/^not child directors known here: /, () => "包含未登记的儿童主任，请刷新后重选"],
  [/^name what it addressed: /, () => "请至少选择一项督导内容"],
  [/^is outside the contract's service period \((\S+) to (\S+)\)$/, (m) => `不在合同服务期内（${m[1]} 至 ${m[2]}）`],
  // Finance: reversing a payment or an expenditure recorded in error.
  [/^a reversal needs a reason$/, () => "请填写冲销原因"],
  [/^tranche (\d+) is (\w+), not paid$/, (m) => `第 ${m[1]} 笔拨款${label(m[2], "tranche_status")}，尚未支付，无需冲销`],
  [/^the contract is terminated; recover the money instead$/, () => "合同已终止：已拨资金通过追回款收回，不能冲销"],
  [/^is already reversed$/, () => "该笔支出已冲销"],
];

/** One reason in Chinese; an unknown one keeps the API's words after a Chinese lead. */
export function fieldReason(reason: string): string {
  if (exact[reason]) return exact[reason];
  for (const [pattern, say] of patterns) {
    const match = reason.match(pattern);
    if (match) return say(match);
  }
  return `不符合要求（${reason}）`;
}

type Reasons = string[] | { [key: string]: Reasons } | string;

/** The API's `fields` flattened to "a.b" → Chinese reasons, so a form shows each next to its field. */
export function fieldErrors(fields: Record<string, Reasons> | undefined, prefix = ""): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, reasons] of Object.entries(fields ?? {})) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof reasons === "string") found[key] = fieldReason(reasons);
    else if (Array.isArray(reasons)) {
      const texts = reasons.map((r) => (typeof r === "string" ? fieldReason(r) : "")).filter(Boolean);
      const nested = reasons.filter((r) => typeof r === "object") as unknown as Record<string, Reasons>[];
      if (texts.length) found[key] = texts.join("；");
      for (const inner of nested) Object.assign(found, fieldErrors(inner, key));
    } else Object.assign(found, fieldErrors(reasons, key));
  }
  return found;
}
