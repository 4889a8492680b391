/**
 * How an ingest run looks on a terminal: a progress bar on stderr while it runs (TTY only), then either the exact
 * JSON summary of DESIGN.md on stdout (`--json`) or a short human summary. Shared by `ingest` and `sync`.
 */
import cliProgress from 'cli-progress';
import type { IngestProgress, IngestReport } from '../../ingestion/pipeline-types.js';
import { toSummaryJson } from '../../ingestion/pipeline-types.js';
import { NothingIndexedError } from '../errors.js';

export interface ProgressReporter {
  onProgress(progress: IngestProgress): void;
  stop(): void;
}

/** A progress bar when stderr is a terminal; silent otherwise (CI logs, pipes). */
export function progressReporter(
  total: number | undefined,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  if (!stream.isTTY || !total) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream, format: 'indexing {bar} {value}/{total} {file}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { file: '' });
  return {
    onProgress: (p) => bar.update(p.done, { file: p.file.length > 40 ? `…${p.file.slice(-39)}` : p.file }),
    stop: () => bar.stop(),
  };
}

export function formatIngestReport(report: IngestReport, what: string): string {
  const lines = [
    `${what}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.removed} removed, ${report.failed} failed in ${report.seconds.toFixed(1)} s`,
    `index: ${report.documents} documents, ${report.chunks} chunks`,
  ];
  if (report.aclUpdated > 0)
    lines.push(`access updated without re-embedding: ${report.aclUpdated} documents`);
  if (report.noAccess > 0) {
    lines.push(
      `warning: ${report.noAccess} documents match no role in the access file and are readable by no one (default-deny)`,
    );
  }
  if (report.failures.length > 0) {
    lines.push('skipped:');
    report.failures.forEach((f, i) => {
      const message = report.failureMessages[i] ?? '';
      const detail = message.startsWith(`${f.file}: `) ? message.slice(f.file.length + 2) : message;
      lines.push(`  ${f.file} — ${f.reason}${detail ? `: ${detail}` : ''}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/** Prints the run's result; throws `NothingIndexedError` (exit code 3) when the index ends up empty. */
export function printIngestReport(report: IngestReport, options: { json: boolean; what: string }): void {
  process.stdout.write(
    options.json ? `${JSON.stringify(toSummaryJson(report))}\n` : formatIngestReport(report, options.what),
  );
  if (options.json && report.noAccess > 0) {
    // stdout carries only the JSON contract; the default-deny count still has to reach a person.
    process.stderr.write(
      `warning: ${report.noAccess} documents match no role in the access file and are readable by no one\n`,
    );
  }
  if (report.documents === 0) {
    throw new NothingIndexedError(
      report.failed > 0
        ? `Nothing could be indexed: all ${report.failed} documents failed (see the list above).`
        : 'Nothing was indexed: no supported documents (md, txt, html, pdf, docx) were found.',
    );
  }
}
