// Attachments (issue 17) on a child's file, a tranche's payment (a scanned
// voucher) or any record that keeps them: what may be sent (checked in the
// browser before anything leaves the phone, in Chinese), how a camera photo
// larger than the limit is made to fit (downscaled on a canvas), and the
// server's refusals said in Chinese. The gateway checks everything again
// (services/gateway/api/attachments.py): these checks only spare a slow upload.
import type { ApiError, Schemas } from "./api/client";
import { errorMessage, label } from "./i18n/labels";

/** A message of this screen, from labels.zh-CN.json (byContext.attachment). */
export const say = (code: string): string => label(code, "attachment");

export type Attachment = Schemas["Attachment"];
export type AttachmentKind = NonNullable<Attachment["kind"]>;

export const KINDS: readonly AttachmentKind[] = ["consent_form", "visit_photo", "other"];
export type TrancheAttachment = Schemas["TrancheAttachment"];
export const TRANCHE_KINDS: readonly NonNullable<TrancheAttachment["kind"]>[] = ["payment_voucher", "other"];

/** What the attachments panel (components/AttachmentsPanel.vue) shows of any record's attachment. */
export interface AttachedFile {
  id: string;
  attachment_id?: string;
  kind?: string;
  content_type?: string;
  size?: number;
  attached_on?: string;
}
type Answered<T> = { data?: T; error?: unknown; response: Response };
/** Where a record's attachments are: its list, an upload of one file as a kind, a download link. */
export interface AttachmentSource {
  list: () => Promise<{ data?: { items?: AttachedFile[] }; error?: unknown }>;
  upload: (kind: string, body: File, idempotencyKey: string) => Promise<Answered<AttachedFile>>;
  downloadUrl: (attachmentId: string) => string;
}
export const ALLOWED_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
/** The gateway's ATTACHMENT_MAX_BYTES default (docs/registry.md). */
export const MAX_BYTES = 5 * 1024 * 1024;
/** What the file picker offers: on a phone, the camera as well as files. */
export const ACCEPT = "image/*,application/pdf";

const IMAGE_TYPES = new Set(["image/jpeg", "image/png"]);

export function isAllowedType(type: string): boolean {
  return (ALLOWED_TYPES as readonly string[]).includes(type);
}

/** Whether the browser can make this file fit (a JPEG or PNG image). */
export function canDownscale(type: string): boolean {
  return IMAGE_TYPES.has(type);
}

/** "1.5 MB", "820 KB", "12 字节": a size as a person reads it. */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Why a chosen file cannot be sent as it is, or "" when it can (an image
 *  over the limit can: it is downscaled first). */
export function fileProblem(file: { type: string; size: number }, limit = MAX_BYTES): string {
  if (!isAllowedType(file.type)) return say("type_not_allowed");
  if (file.size === 0) return say("empty");
  if (file.size > limit && !canDownscale(file.type))
    return say("too_large");
  return "";
}

export interface Dimensions {
  width: number;
  height: number;
}

/** The longest side a downscaled photo keeps: plenty to read a signed form. */
export const MAX_SIDE = 2560;
const SMALLEST_SIDE = 320;

/**
 * The size to redraw an image at so that its encoded bytes fit under `limit`:
 * the encoded size is taken to grow with the pixel count, so the sides shrink
 * by √(target / bytes), with a margin for the estimate's error (`margin`,
 * shrunk further on each retry); never larger than the image, never a side
 * over MAX_SIDE, never a side under SMALLEST_SIDE (unless the image is), the
 * aspect ratio kept.
 */
export function fittedDimensions(image: Dimensions, bytes: number, limit = MAX_BYTES, margin = 0.8): Dimensions {
  const { width, height } = image;
  if (width <= 0 || height <= 0) return { width: 0, height: 0 };
  const byBytes = bytes > limit * margin ? Math.sqrt((limit * margin) / bytes) : 1;
  const bySide = Math.min(1, MAX_SIDE / Math.max(width, height));
  const floor = Math.min(1, SMALLEST_SIDE / Math.min(width, height));
  const scale = Math.max(Math.min(byBytes, bySide, 1), floor);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** The server's refusal of an upload, in Chinese. */
export function refusalMessage(status: number, error: unknown): string {
  const found = (error ?? {}) as ApiError;
  if (status === 413) return say("refused_too_large");
  if (status === 415) {
    const said = JSON.stringify(found.fields ?? {});
    if (/executable|program/i.test(said + (found.message ?? ""))) return say("program");
    if (/the bytes are/i.test(said)) return say("not_what_it_says");
    return say("type_not_allowed");
  }
  if (status === 422 || status === 400) {
    const fields = found.fields ?? {};
    if ("kind" in fields) return say("no_kind");
    if ("_body" in fields) return say("empty");
  }
  return errorMessage(found.error);
}

/** A JPEG or PNG over the limit, redrawn smaller as a JPEG until it fits
 *  (a few tries, each smaller); a file already within the limit is kept. */
export async function fitted(file: File, limit = MAX_BYTES): Promise<File> {
  if (file.size <= limit || !canDownscale(file.type)) return file;
  const bitmap = await createImageBitmap(file);
  try {
    let margin = 0.8;
    for (let attempt = 0; attempt < 5; attempt++) {
      const size = fittedDimensions(bitmap, file.size, limit, margin);
      const canvas = document.createElement("canvas");
      canvas.width = size.width;
      canvas.height = size.height;
      const context = canvas.getContext("2d");
      if (!context) break;
      context.fillStyle = "#fff"; // a transparent PNG becomes a JPEG on white, not black
      context.fillRect(0, 0, size.width, size.height);
      context.drawImage(bitmap, 0, 0, size.width, size.height);
      const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, "image/jpeg", 0.85));
      if (blob && blob.size <= limit) {
        const name = file.name.replace(/\.(png|jpe?g)$/i, "") + ".jpg";
        return new File([blob], name, { type: "image/jpeg" });
      }
      margin *= 0.6;
    }
  } finally {
    bitmap.close();
  }
  return file; // could not be made to fit: the size check refuses it
}
