import { describe, expect, it } from "vitest";
import { errorMessage, label, labels, options } from "../src/i18n/labels";
import { fieldErrors, fieldReason } from "../src/i18n/fieldErrors";

describe("the zh-CN dictionary", () => {
  it("labels categories, tiers and roles", () => {
    expect(label("left_behind")).toBe("留守儿童");
    expect(label(1)).toBe("一级（高风险）");
    expect(label("child_director")).toBe("儿童主任");
    expect(labels(["left_behind", "distressed"])).toBe("留守儿童、困境儿童");
  });
  it("picks the meaning a field gives a shared code", () => {
    expect(label("missing")).toBe("失踪");
    expect(label("missing", "guardianship_status")).toBe("监护缺失");
  });
  it("shows a dash for nothing and the code itself for an unknown one", () => {
    expect(label(null)).toBe("—");
    expect(label("something_new")).toBe("something_new");
  });
  it("says every error in Chinese, and something for an unknown one", () => {
    expect(errorMessage("DUPLICATE_ID_NUMBER")).toBe("该身份证号已建档");
    expect(errorMessage("NO_SUCH_CODE")).toBe("出错了");
  });
  it("builds select options in order", () => {
    expect(options(["male", "female"])).toEqual([
      { value: "male", label: "男" },
      { value: "female", label: "女" },
    ]);
  });
});

describe("the API's field errors, next to their fields in Chinese", () => {
  it("translates the common reasons", () => {
    expect(fieldReason("Missing data for required field.")).toBe("必填");
    expect(fieldReason("Longer than maximum length 100.")).toBe("不能超过 100 个字");
    expect(fieldReason("Must be one of: male, female.")).toBe("请从选项中选择");
    expect(fieldReason("Length must be between 1 and 2000.")).toBe("必填，不超过 2000 个字");
  });
  it("says which community organisation an activity must name, in Chinese", () => {
    expect(fieldReason("name the community social organisation that held it")).toBe("请选择举办活动的社区社会组织");
    expect(fieldReason("only a social organisation's activity names one")).toBe("只有社会组织参与活动选择社区社会组织");
    expect(fieldReason("3f2a0c1e-0000-4000-8000-000000000001 is not a community social organisation known here")).toBe(
      "不是已登记的社区社会组织，请刷新后重新选择",
    );
  });
  it("says why a register cannot be rebuilt at a point, in Chinese", () => {
    expect(fieldReason("is after today (2026-12-06): a register cannot be rebuilt ahead of its log")).toBe(
      "不能晚于今天（2026-12-06）：台账只能还原到已有的记录",
    );
    expect(fieldReason("is beyond the end of finance's log (42)")).toBe("超出日志末尾（目前最大位置为 42）");
    expect(fieldReason("give as_of or as_of_position, not both")).toBe("截至日期和日志位置只能填写一项");
  });
  it("says a backwards range of the audit logs in Chinese", () => {
    expect(fieldReason("must be greater than after")).toBe("结束位置应大于起始位置");
    expect(fieldReason("must not be before since")).toBe("结束时间不能早于开始时间");
    expect(fieldReason("must not be before read_from")).toBe("结束日期不能早于开始日期");
  });
  it("says casework's refusals in Chinese", () => {
    expect(fieldReason("assess the case before setting a plan")).toBe("请先完成需求评估，再制定服务计划");
    expect(fieldReason("safety education covers at least one of drowning, bullying")).toBe("请至少选择一个安全教育主题");
    expect(fieldReason("2026-01-01 is before the case was opened (2026-02-01)")).toBe("不能早于接案日期");
    expect(fieldReason("goals_met needs a plan whose goals a review marked achieved")).toContain("已达成");
  });
  it("says the registry's category rules in Chinese, in the API's exact words", () => {
    expect(
      fieldReason(
        "left_behind needs both parents migrant, or one migrant and the other unable to care " +
          "(deceased, missing, incarcerated, severely ill or disabled)",
      ),
    ).toContain("留守儿童须父母双方外出务工");
    expect(
      fieldReason(
        "left_behind and unattended (and poverty) need the household: each parent's status (e.g. migrant) " +
          "and the economic status",
      ),
    ).toBe("请填写家庭情况（父母情况和家庭经济状况）");
    expect(fieldReason("unattended (事实无人抚养) needs both parents unable to care (deceased)")).toContain("事实无人抚养");
    expect(fieldReason("a guardian must be an adult (18 or over)")).toBe("监护人须年满18周岁");
  });
  it("says why a voucher cannot be attached to an unpaid tranche", () => {
    expect(fieldReason("tranche 2 is payable: a voucher is attached to a paid tranche")).toBe(
      "第 2 期可支付，付款凭证只能附在已支付的期次上",
    );
  });
  it("keeps an unknown reason's words after a Chinese lead", () => {
    expect(fieldReason("odd rule")).toBe("不符合要求（odd rule）");
  });
  it("flattens nested fields to dotted names", () => {
    expect(
      fieldErrors({
        findings: ["Missing data for required field."],
        household: { father: { status: ["Must be one of: at_home."] } },
      }),
    ).toEqual({ findings: "必填", "household.father.status": "请从选项中选择" });
  });
});
