import { describe, expect, it } from "vitest";
import {
  ALREADY_SENDING,
  PaymentOnce,
  asOfFromLink,
  asOfProblem,
  balanceText,
  byFund,
  exportHref,
  expenditureReversalQuestion,
  fenFromYuan,
  gateText,
  paymentRefusal,
  paymentReversalQuestion,
  reversalReasonProblem,
  trancheWaits,
  withheldText,
} from "../src/finance";
import { label } from "../src/i18n/labels";
import { fieldReason } from "../src/i18n/fieldErrors";

describe("amounts typed in 元 become integer fen", () => {
  it("reads whole yuan, one or two decimals, and thousands separators", () => {
    expect(fenFromYuan("100000")).toBe(10_000_000);
    expect(fenFromYuan("1,234.5")).toBe(123_450);
    expect(fenFromYuan(" 0.07 元")).toBe(7);
    expect(fenFromYuan("1，000")).toBe(100_000);
  });
  it("never rounds a third decimal, and refuses nothing, zero, negatives and words", () => {
    for (const bad of ["", "0", "0.00", "-5", "1.005", "1e3", "abc", "1.2.3", "999999999999"]) {
      expect(fenFromYuan(bad), bad).toBeNull();
    }
  });
  it("keeps large amounts exact (no float drift)", () => {
    expect(fenFromYuan("250000.01")).toBe(25_000_001);
    expect(fenFromYuan("0.29")).toBe(29);
  });
});

describe("what each tranche waits on", () => {
  const base = { gate: "mid_term_passed", payable_on: null, paid_on: null, voucher: null, withheld_reason: null };
  it("describes each gate of the notice", () => {
    expect(gateText("signing")).toBe("合同签订后支付");
    expect(gateText("final_passed")).toBe("项目结项且成效评估合格后支付");
  });
  it("says what a pending tranche waits for", () => {
    expect(trancheWaits({ ...base, status: "pending" })).toBe("等待：中期评估合格");
  });
  it("says since when a tranche is payable", () => {
    expect(trancheWaits({ ...base, status: "payable", payable_on: "2026-03-01" })).toBe(
      "条件已满足，2026年03月01日 起可支付",
    );
  });
  it("names the date and voucher of a paid tranche", () => {
    expect(trancheWaits({ ...base, status: "paid", paid_on: "2026-03-02", voucher: "PV-1" })).toBe(
      "已于 2026年03月02日 支付，凭证号 PV-1",
    );
  });
  it("says why a tranche is withheld, in Chinese", () => {
    expect(trancheWaits({ ...base, status: "withheld", withheld_reason: "mid-term evaluation not passed" })).toBe(
      "中期评估不合格，待再次评估合格",
    );
    expect(withheldText("contract suspended: 材料不实调查中")).toBe("合同已暂停，恢复后再支付");
    expect(withheldText("contract terminated: misuse")).toBe("合同已终止，不再支付");
    expect(withheldText("something new")).toBe("暂缓支付（something new）");
  });
  it("labels each status", () => {
    expect(label("payable", "tranche_status")).toBe("可支付");
    expect(label("withheld", "tranche_status")).toBe("暂缓支付");
  });
});

describe("a tranche is paid once", () => {
  it("refuses a second click while the first is in flight", () => {
    const once = new PaymentOnce();
    expect(once.start("t1")).toBe(true);
    expect(once.start("t1")).toBe(false);
    expect(once.refuse("t1")).toBe(ALREADY_SENDING);
    expect(once.start("t2")).toBe(true); // another tranche is its own payment
  });
  it("refuses a click after the tranche was paid, naming the voucher", () => {
    const once = new PaymentOnce();
    once.start("t1");
    once.finish("t1", "PV-9");
    expect(once.start("t1")).toBe(false);
    expect(once.refuse("t1")).toBe("该笔拨款已支付（凭证号 PV-9），不能重复支付");
  });
  it("lets the officer try again after a refusal (e.g. a duplicate voucher)", () => {
    const once = new PaymentOnce();
    once.start("t1");
    once.finish("t1", null);
    expect(once.refuse("t1")).toBeNull();
    expect(once.start("t1")).toBe(true);
  });
  it("says the server's refusal of a second payment with the voucher that paid", () => {
    expect(paymentRefusal({ error: "TRANCHE_ALREADY_PAID", voucher: "PV-2025-001" })).toBe(
      "该笔拨款已支付（凭证号 PV-2025-001），不能重复支付",
    );
    expect(paymentRefusal({ error: "TRANCHE_NOT_PAYABLE" })).toBe("该笔款项尚不能支付");
    expect(paymentRefusal(undefined)).toBe("出错了");
  });
});

describe("the trial balance by fund", () => {
  const row = (fund: string, account: string, debit: number, credit: number) => ({
    fund,
    account,
    kind: "asset",
    normal_side: "debit",
    debit_fen: debit,
    credit_fen: credit,
    balance_fen: debit - credit,
  });
  it("keeps the funds apart, fiscal first, each with its totals", () => {
    const blocks = byFund([
      row("donation", "donation_cash", 200, 0),
      row("fiscal", "fiscal_cash", 500, 100),
      row("donation", "restricted_donations", 0, 200),
      row("fiscal", "fund_balance", 0, 400),
    ]);
    expect(blocks.map((b) => [b.fund, b.debit_fen, b.credit_fen, b.balanced])).toEqual([
      ["fiscal", 500, 500, true],
      ["donation", 200, 200, true],
    ]);
  });
  it("shows a fund out of balance", () => {
    expect(byFund([row("fiscal", "fiscal_cash", 5, 0)])[0].balanced).toBe(false);
  });
  it("writes a balance on its side", () => {
    expect(balanceText(150)).toBe("借 1.50 元");
    expect(balanceText(-150)).toBe("贷 1.50 元");
    expect(balanceText(0)).toBe("平");
  });
  it("labels accounts and entry kinds in Chinese", () => {
    expect(label("tranches_payable", "account")).toBe("应付拨款");
    expect(label("tranche_paid", "journal_kind")).toBe("拨款支付");
  });
});

describe("the tables' .xlsx links", () => {
  it("carry the filters applied, and nothing for an empty one", () => {
    expect(exportHref("/ledger/trial-balance", { as_of: "2026-03-01" })).toBe("/ledger/trial-balance/export.xlsx?as_of=2026-03-01");
    expect(exportHref("/ledger/journal", { since: "", until: undefined })).toBe("/ledger/journal/export.xlsx");
    expect(exportHref("/recoveries", { status: "all" })).toBe("/recoveries/export.xlsx?status=all");
  });
});

describe("reversing a payment or an expenditure recorded in error", () => {
  it("needs a reason of at most 500 字", () => {
    expect(reversalReasonProblem("  ")).toBe("请填写冲销原因");
    expect(reversalReasonProblem("x".repeat(501))).toBe("不能超过 500 个字");
    expect(reversalReasonProblem("付错账户")).toBe("");
  });
  it("asks the officer to confirm what will be reversed, naming the amount and voucher", () => {
    expect(paymentReversalQuestion({ number: 1, amount_fen: 10_000_000, voucher: "PV-1" })).toContain(
      "确认冲销第 1 笔拨款 100,000.00 元（凭证号 PV-1）？冲销后该笔拨款恢复为可支付",
    );
    expect(expenditureReversalQuestion({ amount_fen: 100_000, voucher: "E-1", budget_line: "activities" })).toContain(
      "确认冲销支出 1,000.00 元（activities，凭证号 E-1）",
    );
  });
  it("lets a reversed tranche be paid again from the same screen", () => {
    const once = new PaymentOnce();
    once.start("t");
    once.finish("t", "PV-1");
    expect(once.refuse("t")).toBe("该笔拨款已支付（凭证号 PV-1），不能重复支付");
    once.reversed("t");
    expect(once.refuse("t")).toBeNull();
  });
  it("says the API's refusals in Chinese", () => {
    expect(fieldReason("tranche 2 is pending, not paid")).toBe(`第 2 笔拨款${label("pending", "tranche_status")}，尚未支付，无需冲销`);
    expect(fieldReason("the contract is terminated; recover the money instead")).toBe("合同已终止：已拨资金通过追回款收回，不能冲销");
    expect(fieldReason("is already reversed")).toBe("该笔支出已冲销");
    expect(fieldReason("a reversal needs a reason")).toBe("请填写冲销原因");
  });
});

describe("a register's date refused by the API is said at the date picker", () => {
  it("says a future date in Chinese, with today's date", () => {
    const refused = { error: "RULE_VIOLATION", fields: { as_of: ["is after today (2026-12-06): a register cannot be rebuilt ahead of its log"] } };
    expect(asOfProblem(refused)).toBe("不能晚于今天（2026-12-06）：台账只能还原到已有的记录");
  });
  it("says an impossible date", () => {
    expect(asOfProblem({ error: "INVALID_QUERY", fields: { as_of: ["Not a valid date."] } })).toBe("日期格式不正确");
  });
  it("says nothing at the picker for another refusal", () => {
    expect(asOfProblem({ error: "FORBIDDEN" })).toBe("");
    expect(asOfProblem(undefined)).toBe("");
  });
});

describe("a register screen opens as of the link's date", () => {
  it("takes a date written as the API writes it, else today", () => {
    expect(asOfFromLink("2026-11-30", "2026-12-06")).toBe("2026-11-30");
    expect(asOfFromLink("昨天", "2026-12-06")).toBe("2026-12-06");
    expect(asOfFromLink(undefined, "2026-12-06")).toBe("2026-12-06");
    expect(asOfFromLink(["2026-11-30"], "2026-12-06")).toBe("2026-12-06");
  });
});
