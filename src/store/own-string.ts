/**
 * A copy of `s` that shares no memory with the text it was cut from. V8 represents a slice of 13
 * characters or more as a view into its parent string, so a log field kept as a map key (a user
 * agent, a resource ARN) would keep its whole decoded log file alive: a batch of a thousand
 * CloudTrail files held hundreds of megabytes that way, and every lookup then touched cold memory.
 * Concatenating makes a two-part string; slicing that flattens it into a new string of `s`'s length.
 */
export function own(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
