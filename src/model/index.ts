/**
 * Warden's domain model: the zod schemas every other module validates against, and their types.
 * It imports nothing of ours.
 */
export * from './vocabulary.js';
export * from './records.js';
export { stableId, newId, toUtc } from './ids.js';
export { fingerprintSecret, maskSecret } from './fingerprint.js';
export { recordId, nodeId, type NodeRef } from './keys.js';
export { seededRandom } from './random.js';
