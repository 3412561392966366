/**
 * Run as its own process (`node --import tsx hold-elsewhere.ts DATA_DIR PERSON_ID NOW`): opens
 * the same SQLite database as the test and commits a pool-hold episode with its event,
 * as another Cordon process sharing the file would.
 */
import { closeContext, createContext } from '../../../src/app/bootstrap.ts';
import { inTransaction } from '../../../src/app/context.ts';
import { openEpisode } from '../../../src/app/kernel/control-episodes.ts';
import { secretsFromMaster } from '../../../src/app/secrets.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { testConfig } from '../../support/harness.ts';

const [dataDir, personId, now] = process.argv.slice(2);
const ctx = await createContext({
  config: testConfig(dataDir),
  clock: new ManualClock(Number(now)),
  secrets: secretsFromMaster('test-secret'),
  migrate: false,
});
await inTransaction(ctx, (uow) =>
  openEpisode(uow, {
    personId: Number(personId),
    kind: 'pool_hold',
    until: null,
    source: { type: 'pool', id: 'another-process' },
  }),
);
await closeContext(ctx);
