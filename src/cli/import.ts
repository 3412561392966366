import fs from 'node:fs';
import { Transform } from 'node:stream';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { ImportOptions, ImportSummary } from '../app/registry/import-csv.ts';
import { importPeopleCsv } from '../app/registry/import-people.ts';
import { importPlacesCsv } from '../app/registry/import-places.ts';
import { importRegionsCsv } from '../app/registry/import-regions.ts';
import type { AppContext } from '../app/context.ts';
import { DomainError } from '../domain/errors.ts';
import { withCliContext } from './context.ts';

const IMPORTERS = {
  regions: importRegionsCsv,
  places: importPlacesCsv,
  people: importPeopleCsv,
} satisfies Record<
  string,
  (ctx: AppContext, input: NodeJS.ReadableStream, options: ImportOptions) => Promise<ImportSummary>
>;

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import regions, places or people from a CSV file (all or nothing; formats in docs/IMPORT.md)',
    )
    .argument('<kind>', 'regions | places | people')
    .argument('<file>', 'the CSV file (UTF-8, header row)')
    .action(async (kind: string, file: string) => {
      if (!(kind in IMPORTERS)) {
        throw new DomainError('validation_failed', `kind: expected regions, places or people, not ${kind}`, [
          { field: 'kind', message: 'expected regions, places or people' },
        ]);
      }
      if (!fs.existsSync(file)) {
        throw new DomainError('validation_failed', `file: ${file} does not exist`, [
          { field: 'file', message: 'no such file' },
        ]);
      }
      const size = fs.statSync(file).size;
      await withCliContext(async (ctx) => {
        // The bar follows the bytes read while the file is checked; then it shows the write.
        const bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `import ${kind} |{bar}| {percentage}% | {phase} | {rows} rows`,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(size, 0, { phase: 'reading', rows: 0 });
        let read = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            read += chunk.length;
            bar.update(read);
            callback(null, chunk);
          },
        });
        const input = fs.createReadStream(file).pipe(counter);
        try {
          const summary = await IMPORTERS[kind as keyof typeof IMPORTERS](ctx, input, {
            onProgress: (p) =>
              bar.update(p.phase === 'reading' ? read : size, { phase: p.phase, rows: p.rows }),
          });
          bar.stop();
          const created = Object.entries(summary.created)
            .map(([table, n]) => `${n.toLocaleString('en')} ${table}`)
            .join(', ');
          console.log(`imported ${file}: ${summary.rows.toLocaleString('en')} rows → ${created}`);
        } finally {
          bar.stop();
        }
      });
    });
}
