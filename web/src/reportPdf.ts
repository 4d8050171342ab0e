// The quarterly report as the gateway's PDF (GET /contracts/{id}/reports/quarterly/{period}.pdf):
// a plain link, so the browser downloads it with the session cookie (a GET needs no CSRF token).
// Pinned to the log position of the report on screen, so the PDF has the same numbers.
export function reportPdfHref(contractId: string, period: string, asOfPosition?: number): string {
  const path = `/contracts/${encodeURIComponent(contractId)}/reports/quarterly/${encodeURIComponent(period)}.pdf`;
  return asOfPosition === undefined ? path : `${path}?as_of_position=${asOfPosition}`;
}

/** The generated report a written quarterly report cites (its period and log
 *  position), as the PDF and the service-line .xlsx with the very figures the
 *  provider cited; null for a report submitted before citations existed. */
export function citedReportHrefs(
  contractId: string,
  written: { year: number; quarter: number; generated_report?: { as_of_position: number } | null },
): { pdf: string; xlsx: string } | null {
  const position = written.generated_report?.as_of_position;
  if (position === undefined || position === null) return null;
  const period = `${written.year}-Q${written.quarter}`;
  const xlsx = `/contracts/${encodeURIComponent(contractId)}/reports/quarterly/${encodeURIComponent(period)}/export.xlsx`;
  return { pdf: reportPdfHref(contractId, period, position), xlsx: `${xlsx}?as_of_position=${position}` };
}
