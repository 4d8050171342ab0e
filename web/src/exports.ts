// Register downloads (.xlsx, GET <list route>/export.xlsx): a plain link, so the
// browser downloads the workbook with the session cookie (a GET needs no CSRF
// token). The gateway scopes and masks it exactly as the list on screen.

export function exportHref(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
