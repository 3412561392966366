/**
 * Stateless draws keyed by (seed, what, who, when). The model uses them where an answer must not
 * depend on the order things are asked in — a sample's PCR outcome is the same whether the model
 * or a lab actor re-tubing a rejected scan asks first — which a shared stream cannot promise.
 */
export function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [0, 1) for the key. */
export function keyedUniform(seed: number, what: number, who: number, when: number): number {
  return mix32(mix32(mix32(seed, what), who), when) / 4294967296;
}

/** What a keyed draw is for (distinct streams). */
export const DRAW = {
  pcr: 1,
  ct: 2,
  invalid: 3,
  everyN: 4,
  clinic: 5,
  antigen: 6,
} as const;

/** A stable number for a text (seed words, labels). */
export function hashText(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
