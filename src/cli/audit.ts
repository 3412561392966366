import type { Command } from 'commander';
import { auditHead, verifyAuditLog } from '../app/access/audit.ts';
import { withCliContext } from './context.ts';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log (审计日志)');
  audit
    .command('verify')
    .description('recompute the hash chain and check it against the head; exits non-zero on tampering')
    .action(async () => {
      await withCliContext(async (ctx) => {
        const verdict = await verifyAuditLog(ctx);
        if (verdict.ok) {
          console.log(
            `audit log ok: ${verdict.records} records, head seq ${verdict.head.seq} hash ${verdict.head.hash}`,
          );
          return;
        }
        console.error(
          `audit log FAILED at seq ${verdict.problem.seq} (${verdict.problem.kind}): ${verdict.message}`,
        );
        console.error(`${verdict.records} records before it verified`);
        process.exitCode = 1;
      });
    });
  audit
    .command('head')
    .description('print the chain head (seq and hash) as JSON, for anchoring off-site')
    .action(async () => {
      await withCliContext(async (ctx) => {
        const head = await auditHead(ctx);
        if (!head) {
          console.error('the audit head is missing');
          process.exitCode = 1;
          return;
        }
        console.log(
          JSON.stringify({
            seq: head.seq,
            hash: head.hash,
            updatedAt: new Date(head.updatedAt).toISOString(),
          }),
        );
      });
    });
}
