// The programme's calendar is Asia/Shanghai whatever the device's zone; money is integer fen.
const ZONE = "Asia/Shanghai";

const dateFormat = new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
const timeFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
});

function parts(format: Intl.DateTimeFormat, value: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(value).map((p) => [p.type, p.value]));
}

/** "2026-03-05" (a calendar date, as the API sends it) or an instant → "2026年03月05日" in Beijing time. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return `${y}年${m}月${d}日`;
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  const p = parts(dateFormat, instant);
  return `${p.year}年${p.month}月${p.day}日`;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  const p = parts(timeFormat, instant);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** Today on the programme's calendar, as the API writes dates ("YYYY-MM-DD"). */
export function todayInShanghai(now: Date = new Date()): string {
  const p = parts(dateFormat, now);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Integer fen → "¥1,234.50 元"-style text: two decimals, thousands grouped, 元. */
export function formatMoney(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return "—";
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100).toLocaleString("en-US");
  const cents = String(abs % 100).padStart(2, "0");
  return `${sign}${yuan}.${cents} 元`;
}
