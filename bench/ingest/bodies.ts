import fs from 'node:fs';
import { encodePersonCode } from '../../src/app/access/person-code.ts';
import type { AppContext } from '../../src/app/context.ts';
import { planScans, type SiteSlot } from './plan.ts';

/**
 * The devices' request bodies, made before the clock starts and kept in a file: on a 2-core
 * machine the clients share the CPU with the server, so signing 2.5 M person codes while timing
 * would measure the clients. Sending then costs a read from the page cache.
 */
export interface BodyRef {
  offset: number;
  length: number;
  organisationId: number;
  scans: number;
}

export async function writeBodies(
  ctx: AppContext,
  sites: Map<number, SiteSlot[]>,
  roundId: number,
  batchSize: number,
  file: string,
): Promise<BodyRef[]> {
  const fd = fs.openSync(file, 'w');
  const refs: BodyRef[] = [];
  const expiresAt = Date.now() + 2 * 86_400_000;
  let offset = 0;
  try {
    for await (const b of planScans(ctx, sites, batchSize)) {
      const collectedAt = Date.now();
      const body = Buffer.from(
        JSON.stringify({
          roundId,
          siteId: b.site.siteId,
          scans: b.scans.map((s, i) => ({
            clientId: `${b.site.siteId}:${s.tubeCode}:${i}:${s.ref}`,
            personCode: encodePersonCode(ctx.secrets.codeKey, {
              ref: s.ref,
              districtId: s.districtId,
              expiresAt,
            }),
            tubeCode: s.tubeCode,
            collectedAt,
            tubeCapacity: s.tubeCapacity,
            tubePurpose: s.tubePurpose,
          })),
        }),
      );
      fs.writeSync(fd, body);
      refs.push({
        offset,
        length: body.length,
        organisationId: b.site.organisationId,
        scans: b.scans.length,
      });
      offset += body.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return refs;
}

export function readBody(fd: number, ref: BodyRef): Buffer {
  const buffer = Buffer.allocUnsafe(ref.length);
  fs.readSync(fd, buffer, 0, ref.length, ref.offset);
  return buffer;
}
