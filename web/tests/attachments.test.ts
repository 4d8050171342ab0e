import { describe, expect, it } from "vitest";
import { MAX_BYTES, MAX_SIDE, fileProblem, fittedDimensions, formatSize, refusalMessage } from "../src/attachments";

const MiB = 1024 * 1024;

describe("downscaling a photo to fit the limit", () => {
  it("keeps an image already well within the limit as it is", () => {
    expect(fittedDimensions({ width: 1200, height: 900 }, 800_000)).toEqual({ width: 1200, height: 900 });
  });

  it("shrinks the pixel count in proportion to the bytes over the limit, keeping the aspect ratio", () => {
    // a 12 MP camera photo of 9 MiB: sides × √(0.8 · 5 / 9) ≈ 0.667
    const size = fittedDimensions({ width: 3000, height: 4000 }, 9 * MiB);
    expect(size.height).toBeLessThanOrEqual(MAX_SIDE);
    const expectedScale = Math.min(Math.sqrt((0.8 * MAX_BYTES) / (9 * MiB)), MAX_SIDE / 4000);
    expect(size.width).toBe(Math.round(3000 * expectedScale));
    expect(size.height).toBe(Math.round(4000 * expectedScale));
    expect(Math.abs(size.width / size.height - 0.75)).toBeLessThan(0.002);
    // the estimated encoded size fits under the limit
    expect(((size.width * size.height) / (3000 * 4000)) * 9 * MiB).toBeLessThan(MAX_BYTES);
  });

  it("caps the longest side even when the bytes would allow more", () => {
    expect(fittedDimensions({ width: 8000, height: 2000 }, 6 * MiB)).toEqual({ width: MAX_SIDE, height: 640 });
  });

  it("shrinks further on each retry with a smaller margin", () => {
    const first = fittedDimensions({ width: 2000, height: 1500 }, 20 * MiB, MAX_BYTES, 0.8);
    const second = fittedDimensions({ width: 2000, height: 1500 }, 20 * MiB, MAX_BYTES, 0.48);
    expect(second.width).toBeLessThan(first.width);
    expect(second.height).toBeLessThan(first.height);
  });

  it("never enlarges, and never shrinks a side below a readable size", () => {
    expect(fittedDimensions({ width: 200, height: 100 }, 50 * MiB)).toEqual({ width: 200, height: 100 });
    const tiny = fittedDimensions({ width: 4000, height: 3000 }, 5000 * MiB);
    expect(tiny.height).toBe(320);
    expect(tiny.width).toBe(427);
  });

  it("answers nothing for an image without pixels", () => {
    expect(fittedDimensions({ width: 0, height: 10 }, 6 * MiB)).toEqual({ width: 0, height: 0 });
  });
});

describe("checking a file before it is sent", () => {
  it("accepts a PDF, a JPEG and a PNG within the limit", () => {
    expect(fileProblem({ type: "application/pdf", size: MiB })).toBe("");
    expect(fileProblem({ type: "image/jpeg", size: MiB })).toBe("");
    expect(fileProblem({ type: "image/png", size: MAX_BYTES })).toBe("");
  });

  it("accepts a photo over the limit (it is downscaled) but refuses a PDF over it", () => {
    expect(fileProblem({ type: "image/jpeg", size: 12 * MiB })).toBe("");
    expect(fileProblem({ type: "application/pdf", size: MAX_BYTES + 1 })).toBe("文件超过 5 MB，无法上传；请压缩后再试");
  });

  it("refuses other types and empty files in Chinese", () => {
    expect(fileProblem({ type: "application/x-msdownload", size: 10 })).toBe("只能上传 PDF 文件或 JPEG、PNG 图片");
    expect(fileProblem({ type: "", size: 10 })).toBe("只能上传 PDF 文件或 JPEG、PNG 图片");
    expect(fileProblem({ type: "image/heic", size: 10 })).toBe("只能上传 PDF 文件或 JPEG、PNG 图片");
    expect(fileProblem({ type: "image/png", size: 0 })).toBe("文件是空的，请重新选择");
  });
});

describe("the server's refusals, in Chinese", () => {
  it("says which refusal it was", () => {
    expect(refusalMessage(413, { error: "PAYLOAD_TOO_LARGE" })).toBe("文件超过 5 MB，服务器拒收");
    expect(
      refusalMessage(415, { error: "UNSUPPORTED_MEDIA_TYPE", fields: { _body: ["the bytes are of no allowed type, not image/png"] } }),
    ).toBe("文件内容与文件类型不符（只接受真正的 PDF、JPEG 或 PNG 文件）");
    expect(
      refusalMessage(415, { error: "UNSUPPORTED_MEDIA_TYPE", fields: { _body: ["the bytes are an executable program"] } }),
    ).toBe("不能上传程序文件");
    expect(refusalMessage(400, { error: "INVALID_QUERY", fields: { kind: ["Must be one of: consent_form"] } })).toBe(
      "请选择附件类别",
    );
    expect(refusalMessage(404, { error: "NOT_FOUND" })).toBe("未找到，或不在您的权限范围内");
  });

  it("writes sizes as a person reads them", () => {
    expect(formatSize(12)).toBe("12 字节");
    expect(formatSize(2048)).toBe("2 KB");
    expect(formatSize(1.5 * MiB)).toBe("1.5 MB");
    expect(formatSize(undefined)).toBe("—");
  });
});
