import crypto from 'node:crypto';

/**
 * HMAC-SHA256 of short ASCII messages for the hot paths: national ids hashed by the seed
 * (25 M at scale 1) and person codes verified by scan ingest (one per scan). Identical output
 * to `crypto.createHmac('sha256', key)` (the tests check it against node:crypto), but the
 * key's inner and outer pad states are computed once, so a national id costs two compressions
 * and a person code three, and no native Hmac object is allocated per message: on those paths
 * the objects cost more (creation, garbage collection) than the hashing itself. Messages
 * with non-ASCII characters or longer than a few blocks fall back to node:crypto.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

function compress(state: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15];
    const b = w[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

export class HmacSha256 {
  private readonly innerStart = new Int32Array(8);
  private readonly outerStart = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  /** The digest's bytes, reused: one native encoding makes one flat string. */
  private readonly digest = Buffer.alloc(32);

  constructor(private readonly key: Uint8Array) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? crypto.createHash('sha256').update(key).digest() : key);
    const pad = (value: number, into: Int32Array) => {
      this.w.fill(0);
      for (let i = 0; i < 64; i++) this.w[i >> 2] |= (block[i] ^ value) << (24 - 8 * (i & 3));
      into.set(IV);
      compress(into, this.w);
    };
    pad(0x36, this.innerStart);
    pad(0x5c, this.outerStart);
  }

  /** Lower-case hex HMAC-SHA256 of `message`. */
  hex(message: string): string {
    return this.compute(message) ? this.digest.toString('hex') : this.slow(message).toString('hex');
  }

  /** Unpadded base64url HMAC-SHA256 of `message` (as `digest('base64url')` gives it). */
  base64url(message: string): string {
    return this.compute(message)
      ? this.digest.toString('base64url')
      : this.slow(message).toString('base64url');
  }

  /** Fills `digest`; false when the message is not short ASCII (the caller takes the slow way). */
  private compute(message: string): boolean {
    const { w, state } = this;
    const length = message.length;
    // The message, its 0x80 marker and its 8-byte bit length, in whole 64-byte blocks.
    const blocks = (length + 9 + 63) >> 6;
    if (blocks > MAX_BLOCKS) return false;
    state.set(this.innerStart);
    for (let b = 0; b < blocks; b++) {
      const start = b << 6;
      const end = Math.min(length, start + 64);
      w.fill(0, 0, 16);
      for (let i = start; i < end; i++) {
        const code = message.charCodeAt(i);
        if (code > 0x7f) return false;
        w[(i - start) >> 2] |= code << (24 - 8 * (i & 3));
      }
      if (length >= start && length < start + 64) {
        w[(length - start) >> 2] |= 0x80 << (24 - 8 * (length & 3));
      }
      if (b === blocks - 1) w[15] = (64 + length) * 8;
      compress(state, w);
    }
    for (let i = 0; i < 8; i++) w[i] = state[i];
    w[8] = 0x80000000;
    w.fill(0, 9, 15);
    w[15] = (64 + 32) * 8;
    state.set(this.outerStart);
    compress(state, w);
    for (let i = 0; i < 8; i++) this.digest.writeInt32BE(state[i], i * 4);
    return true;
  }

  private slow(message: string): Buffer {
    return crypto.createHmac('sha256', this.key).update(message).digest();
  }
}

/** Longer messages are not what this is for; node:crypto hashes them. */
const MAX_BLOCKS = 4;
