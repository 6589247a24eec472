// Tables of recent values, one per kind of field, so that a field whose values are new in most
// records (a session's access key in some logs, event times in busy ones) pushes out only its own.
// A field whose bytes are in its slot gives the slot, and the caller reuses the string it made for
// that slot, so most records need no new string at all.

const KINDS: i32 = 9;
const SLOTS: i32 = 2048;
/** A slot: length (-1: empty), the scan that last used it, then the bytes. */
const SLOT_BYTES: i32 = 384;
const SLOT_MAX: i32 = SLOT_BYTES - 8;
const slotArea: usize = memory.data(KINDS * SLOTS * SLOT_BYTES, 8);
/** Slots stored by the current scan: (slot, start, end) each, in the order stored. */
const storeLog: usize = memory.data(KINDS * SLOTS * 12, 8);
export let stored: i32 = 0;
let scanId: i32 = 0;
/** Given for a value that has no slot. */
export const NO_SLOT: i32 = 0xffffff;

/** Starts a scan: the slots it finds or stores keep their values until the next one. */
export function startScan(): void {
  if (scanId == 0) for (let i = 0; i < KINDS * SLOTS; i++) store<i32>(slotArea + <usize>i * SLOT_BYTES, -1);
  scanId++;
  stored = 0;
}

/** Empties the slots the last scan stored: after a failed scan, whose log the caller does not read. */
export function forget(): void {
  for (let i = 0; i < stored; i++) {
    const slot = load<i32>(storeLog + <usize>i * 12);
    store<i32>(slotArea + <usize>slot * SLOT_BYTES, -1);
  }
  stored = 0;
}

/** Address of the log of slots the last scan stored. */
export function storeLogArea(): usize {
  return storeLog;
}

/**
 * The slot of a value of `kind` (`len` bytes at `s`, input offset `at`) in its kind's table: found
 * there, or stored there now (and logged, so the caller makes its string before it reads the
 * records). A slot keeps the first value a scan finds or stores in it, so every record that names
 * the slot means the same value; a colliding value gets no slot for the rest of the scan.
 */
export function keep(kind: i32, s: usize, len: i32, at: i32): i32 {
  if (kind == 0 || len > SLOT_MAX) return NO_SLOT;
  // A hash of at most 17 bytes, from the end (values of one kind often share a long prefix).
  let h: u32 = <u32>len;
  const step: i32 = len > 16 ? len >> 4 : 1;
  for (let j = len - 1; j >= 0; j -= step) h = h * 31 + <u32>load<u8>(s + <usize>j);
  const slot = (kind % KINDS) * SLOTS + <i32>(h & <u32>(SLOTS - 1));
  const a = slotArea + <usize>slot * SLOT_BYTES;
  if (load<i32>(a) == len && same(a + 8, s, len)) {
    store<i32>(a + 4, scanId);
    return slot;
  }
  if (load<i32>(a + 4) == scanId) return NO_SLOT;
  store<i32>(a, len);
  store<i32>(a + 4, scanId);
  memory.copy(a + 8, s, <usize>len);
  const l = storeLog + <usize>stored * 12;
  store<i32>(l, slot);
  store<i32>(l + 4, at);
  store<i32>(l + 8, at + len);
  stored++;
  return slot;
}

/** Whether `len` bytes at `a` and `b` are the same. */
function same(a: usize, b: usize, len: i32): bool {
  let i: usize = 0;
  const n = <usize>len;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}
