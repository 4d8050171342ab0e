// The one zh-CN dictionary: every code the API uses (categories, tiers, roles,
// statuses, error codes…) → what a person reads. tests/unit/web/test_labels.py
// fails when /openapi.json has a code without a label here.
import dictionary from "./labels.zh-CN.json";

type Table = Record<string, string>;
const codes: Table = dictionary.codes;
const byContext: Record<string, Table> = dictionary.byContext;
const errors: Table = dictionary.errors;

/** The Chinese label of an API code; `context` (the field's name) picks a
 *  meaning where one code means different things in different fields. */
export function label(code: string | number | null | undefined, context?: string): string {
  if (code === null || code === undefined || code === "") return "—";
  const key = String(code);
  return (context && byContext[context]?.[key]) || codes[key] || key;
}

export function labels(list: readonly (string | number)[] | null | undefined, context?: string): string {
  return (list ?? []).map((code) => label(code, context)).join("、") || "—";
}

/** What to tell the person for an API error code. */
export function errorMessage(code: string | undefined): string {
  return (code && errors[code]) || errors.ERROR;
}

export function hasLabel(code: string): boolean {
  return code in codes;
}

/** Options for a select or checkbox group, in the order given. */
export function options<T extends string | number>(list: readonly T[], context?: string) {
  return list.map((value) => ({ value, label: label(value, context) }));
}
