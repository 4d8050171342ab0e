// What an offline conflict (GET /offline-conflicts) was, in Chinese.
const ROUTES: Record<string, string> = {
  "POST /children": "儿童建档",
  "POST /children/{child_id}/visits": "走访记录",
};

export function conflictWhat(route: string): string {
  return ROUTES[route] ?? route;
}

/** The child a visit was for, from the request path (/children/<id>/visits). */
export function childOf(path: string): string | null {
  const found = /^\/children\/([0-9a-f-]{36})\//.exec(path);
  return found ? found[1] : null;
}

const FIELDS: Record<string, string> = {
  name: "姓名",
  gender: "性别",
  date_of_birth: "出生日期",
  id_number: "身份证号",
  town: "乡镇",
  village: "村（社区）",
  categories: "儿童类别",
  visited_on: "走访日期",
  visitor: "走访人",
  findings: "走访情况",
  follow_up: "后续跟进",
};

export function fieldName(field: string): string {
  return FIELDS[field] ?? field;
}
