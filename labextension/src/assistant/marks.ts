/**
 * What the review marks on its lines (@codemirror/lint diagnostics): the
 * guardrails' findings and the language server's diagnostics.
 */
import { Diagnostic } from '@codemirror/lint';
import { Text } from '@codemirror/state';

import { IFinding, ILanguageDiagnostic } from '../client';

/**
 * Findings as diagnostics: from the finding's column to the end of its line; one
 * that blocks is an error, the others warnings. A line the text no longer has (the
 * report is older than the last edit) is left out.
 */
export function diagnosticsOf(
  findings: readonly IFinding[],
  doc: Text
): Diagnostic[] {
  return findings
    .filter(finding => finding.line >= 1 && finding.line <= doc.lines)
    .map(finding => {
      const line = doc.line(finding.line);
      const from = Math.min(
        line.from + Math.max(finding.column - 1, 0),
        line.to
      );
      return {
        from,
        to: line.to,
        severity: finding.blocks ? 'error' : 'warning',
        source: finding.rule,
        message: finding.message
      };
    });
}

/** A language server's diagnostics as marks: their own range, clamped to the text. */
export function languageMarks(
  diagnostics: readonly ILanguageDiagnostic[],
  doc: Text
): Diagnostic[] {
  const offset = (line: number, column: number) => {
    const at = doc.line(Math.min(Math.max(line, 1), doc.lines));
    return Math.min(at.from + Math.max(column, 0), at.to);
  };
  return diagnostics
    .filter(found => found.line >= 1 && found.line <= doc.lines)
    .map(found => {
      const from = offset(found.line, found.column);
      const to = Math.max(from, offset(found.end_line, found.end_column));
      return {
        from,
        to,
        severity:
          found.severity === 'error'
            ? 'error'
            : found.severity === 'warning'
              ? 'warning'
              : 'info',
        source: found.source,
        message: found.message
      };
    });
}
