// What the finance officer's screens say about a contract's money, without
// Vue: amounts typed in 元 read into integer fen, what each tranche waits on,
// why a payment was refused, and the trial balance grouped by fund.
import type { ApiError, Schemas } from "./api/client";
import { formatDate, formatMoney } from "./format";
import { fieldErrors } from "./i18n/fieldErrors";
import { errorMessage, label } from "./i18n/labels";

export type Tranche = Schemas["Tranche"];

const YUAN = /^\d{1,11}(\.\d{1,2})?$/;

/** "1,234.5" (元, as typed) → 123450 fen; null for anything that is not a
 *  positive amount with at most two decimals (never a float in the API). */
export function fenFromYuan(typed: string): number | null {
  const text = typed.trim().replace(/[,，\s]/g, "").replace(/元$/, "");
  if (!YUAN.test(text)) return null;
  const [whole, cents = ""] = text.split(".");
  const fen = Number(whole) * 100 + Number(cents.padEnd(2, "0"));
  return fen > 0 ? fen : null;
}

/** What a gate means, as the notice (卫沙民社函〔2025〕11号 §六) says when each tranche is paid. */
export const GATES: Record<string, string> = {
  signing: "合同签订后支付",
  mid_term_passed: "中期评估合格后支付",
  final_passed: "项目结项且成效评估合格后支付",
};

export function gateText(gate: string): string {
  return GATES[gate] ?? label(gate);
}

const WITHHELD: [RegExp, string][] = [
  [/^mid-term evaluation not passed/, "中期评估不合格，待再次评估合格"],
  [/^effectiveness evaluation not passed/, "成效评估不合格"],
  [/^contract suspended/, "合同已暂停，恢复后再支付"],
  [/^contract terminated/, "合同已终止，不再支付"],
  [/^gate failed/, "支付条件未满足"],
];

export function withheldText(reason: string | null | undefined): string {
  if (!reason) return "暂缓支付";
  const found = WITHHELD.find(([pattern]) => pattern.test(reason));
  return found ? found[1] : `暂缓支付（${reason}）`;
}

/** The one line a tranche's row says: paid when and by which voucher, payable
 *  since when, what it still waits on, or why it is withheld. */
export function trancheWaits(t: Pick<Tranche, "status" | "gate" | "payable_on" | "paid_on" | "voucher" | "withheld_reason">): string {
  switch (t.status) {
    case "paid":
      return `已于 ${formatDate(t.paid_on)} 支付，凭证号 ${t.voucher ?? "—"}`;
    case "payable":
      return `条件已满足，${formatDate(t.payable_on)} 起可支付`;
    case "withheld":
      return withheldText(t.withheld_reason);
    default:
      return `等待：${gateText(t.gate).replace(/后支付$/, "")}`;
  }
}

/** What to tell the officer when a payment is refused: a second payment of
 *  the same tranche names the voucher that already paid it. */
export function paymentRefusal(error: (ApiError & { voucher?: string }) | undefined): string {
  if (error?.error === "TRANCHE_ALREADY_PAID") {
    const voucher = error.voucher ? `（凭证号 ${error.voucher}）` : "";
    return `该笔拨款已支付${voucher}，不能重复支付`;
  }
  return errorMessage(error?.error);
}

export const ALREADY_SENDING = "正在办理支付，请勿重复点击";

/** One payment per tranche from this screen: a click while one is in flight,
 *  or after the tranche was paid, is refused here and said so, and never sent. */
export class PaymentOnce {
  private sending = new Set<string>();
  private paid = new Map<string, string>();

  /** Why this click must not be sent, or null when it may go. */
  refuse(trancheId: string): string | null {
    if (this.sending.has(trancheId)) return ALREADY_SENDING;
    const voucher = this.paid.get(trancheId);
    if (voucher !== undefined) return `该笔拨款已支付（凭证号 ${voucher}），不能重复支付`;
    return null;
  }

  start(trancheId: string): boolean {
    if (this.refuse(trancheId) !== null) return false;
    this.sending.add(trancheId);
    return true;
  }

  finish(trancheId: string, paidWith: string | null): void {
    this.sending.delete(trancheId);
    if (paidWith !== null) this.paid.set(trancheId, paidWith);
  }

  /** A payment reversed: the tranche may be paid again (with a new voucher). */
  reversed(trancheId: string): void {
    this.paid.delete(trancheId);
  }

  isSending(trancheId: string): boolean {
    return this.sending.has(trancheId);
  }
}

export type TrialRow = Schemas["TrialBalanceRow"];

export interface FundBlock {
  fund: string;
  rows: TrialRow[];
  debit_fen: number;
  credit_fen: number;
  balanced: boolean;
}

/** The trial balance's rows by fund (fiscal first: the two funds never mix),
 *  each with its totals and whether debits equal credits. */
export function byFund(rows: TrialRow[]): FundBlock[] {
  const funds = new Map<string, TrialRow[]>();
  for (const row of rows) {
    const fund = row.fund ?? "";
    funds.set(fund, [...(funds.get(fund) ?? []), row]);
  }
  const order = (fund: string) => (fund === "fiscal" ? 0 : fund === "donation" ? 1 : 2);
  return [...funds.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([fund, list]) => {
      const debit = list.reduce((sum, r) => sum + (r.debit_fen ?? 0), 0);
      const credit = list.reduce((sum, r) => sum + (r.credit_fen ?? 0), 0);
      return { fund, rows: list, debit_fen: debit, credit_fen: credit, balanced: debit === credit };
    });
}

/** A balance on its account's normal side: "借 1,000.00 元" / "贷 …" / "平". */
export function balanceText(balanceFen: number | undefined): string {
  if (!balanceFen) return "平";
  return `${balanceFen > 0 ? "借" : "贷"} ${formatMoney(Math.abs(balanceFen))}`;
}

/** Why the API refused the date a register was asked as of (?as_of=: a
 *  future or impossible date), in Chinese, to show at the date picker; "" when
 *  the refusal is not about the date (the screen says that instead). */
export function asOfProblem(error: unknown): string {
  const fields = (error as ApiError | undefined)?.fields;
  return fieldErrors(fields as never).as_of ?? "";
}

/** The date a screen opens as of: the link's ?as_of= when it is written as
 *  the API writes dates (the API still judges it), otherwise today. */
export function asOfFromLink(value: unknown, today: string): string {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : today;
}

/** A short form of a long record id, as a table cell shows it. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : "—";
}

/** A finance table's .xlsx with the filters now applied (GET <table>/export.xlsx):
 *  a plain link, so the browser downloads it with the session cookie. */
export function exportHref(table: string, filters: Record<string, string | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  const text = query.toString();
  return `${table}/export.xlsx${text ? `?${text}` : ""}`;
}

// -- reversals (a payment or an expenditure recorded in error) ---------------------------------

export const REVERSAL_REASON_MAX = 500;

/** What is wrong with a reversal's reason before it is sent; "" when it may go. */
export function reversalReasonProblem(reason: string): string {
  if (!reason.trim()) return "请填写冲销原因";
  if (reason.length > REVERSAL_REASON_MAX) return `不能超过 ${REVERSAL_REASON_MAX} 个字`;
  return "";
}

/** The question the officer confirms before a paid tranche is reversed. */
export function paymentReversalQuestion(t: Pick<Tranche, "number" | "amount_fen" | "voucher">): string {
  return `确认冲销第 ${t.number} 笔拨款 ${formatMoney(t.amount_fen)}（凭证号 ${t.voucher ?? "—"}）？冲销后该笔拨款恢复为可支付，原支付和冲销分录都保留在会计分录中。`;
}

export type Expenditure = Schemas["Expenditure"];

/** The question the officer confirms before an expenditure is reversed. */
export function expenditureReversalQuestion(e: Pick<Expenditure, "amount_fen" | "voucher" | "budget_line">): string {
  return `确认冲销支出 ${formatMoney(e.amount_fen)}（${e.budget_line ?? "—"}，凭证号 ${e.voucher ?? "—"}）？冲销后该凭证号不能再次使用，原支出和冲销分录都保留在会计分录中。`;
}
