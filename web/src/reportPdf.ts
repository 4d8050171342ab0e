// The quarterly report as the gateway's PDF (GET /contracts/{id}/reports/quarterly/{period}.pdf):
// a plain link, so the browser downloads it with the session cookie (a GET needs no CSRF token).
// Pinned to the log position of the report on screen, so the PDF has the same numbers.
export function reportPdfHref(contractId: string, period: string, asOfPosition?: number): string {
  const path = `/contracts/${encodeURIComponent(contractId)}/reports/quarterly/${encodeURIComponent(period)}.pdf`;
  return asOfPosition === undefined ? path : `${path}?as_of_position=${asOfPosition}`;
}
