// The API explains a refused field in English (marshmallow's and the rules'
// own words); a person reads it in Chinese next to the field.
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
  [/id number|ID number|check digit|checksum/i, () => "身份证号不正确（校验位不符）"],
  [/already (registered|has a file|exists)/i, () => "已经建档"],
  [/outside your (village|scope)|not your village/i, () => "不在您负责的村（社区）"],
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
