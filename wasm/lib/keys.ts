// The keys the CloudTrail scanner matches, by level of a log file (its table numbers): defined by
// the caller at start-up from the same lists the JavaScript scanner uses, so the two cannot
// disagree on a key. A key's code is its place in its table, from 1.

/** MAX_KEYS keys of at most KEY_BYTES each per table. */
const TABLES: i32 = 16;
const MAX_KEYS: i32 = 32;
const KEY_BYTES: i32 = 64;
const keyCount: usize = memory.data(TABLES * 4);
const keyLen: usize = memory.data(TABLES * MAX_KEYS * 4);
// Slot 0 is where the caller writes a key; table t's key i is at slot 1 + t * MAX_KEYS + i.
const keyText: usize = memory.data((TABLES * MAX_KEYS + 1) * KEY_BYTES);

/** Address of the key text area, where the caller writes a key before defineKey. */
export function keyArea(): usize {
  return keyText;
}

/** Adds the key at keyArea() (`len` bytes) to `table`; its code is its order in the table. */
export function defineKey(table: i32, len: i32): i32 {
  if (table < 0 || table >= TABLES) return -1;
  const n = load<i32>(keyCount + <usize>table * 4);
  if (n >= MAX_KEYS || len > KEY_BYTES || len < 1) return -1;
  const slot = <usize>(table * MAX_KEYS + n);
  memory.copy(keyText + (slot + 1) * <usize>KEY_BYTES, keyText, len);
  store<i32>(keyLen + slot * 4, len);
  store<i32>(keyCount + <usize>table * 4, n + 1);
  return n + 1;
}

/** The code of the `len` bytes at `s` in `table`, or 0. */
export function keyCode(table: i32, s: usize, len: i32): i32 {
  const n = load<i32>(keyCount + <usize>table * 4);
  for (let i = 0; i < n; i++) {
    const slot = <usize>(table * MAX_KEYS + i);
    if (load<i32>(keyLen + slot * 4) != len) continue;
    if (memory.compare(keyText + (slot + 1) * <usize>KEY_BYTES, s, <usize>len) == 0) return i + 1;
  }
  return 0;
}
