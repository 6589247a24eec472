import { describe, expect, it } from 'vitest';
import { compileConditions, evalConditions, lookupOf, type RequestContext } from './conditions.js';

const run = (block: unknown, ctx: RequestContext) => {
  const issues: string[] = [];
  const c = compileConditions(block, issues);
  const why: string[] = [];
  return { r: evalConditions(c, lookupOf(ctx), why), why, issues };
};

describe('condition operators', () => {
  it('String, Arn, Numeric, Date, Bool, IpAddress, Null', () => {
    expect(run({ StringEquals: { 'aws:username': ['a', 'b'] } }, { 'aws:username': 'b' }).r).toBe(1);
    expect(run({ StringNotEquals: { 'aws:username': ['a', 'b'] } }, { 'aws:username': 'b' }).r).toBe(0);
    expect(run({ StringEqualsIgnoreCase: { 'aws:username': 'BOB' } }, { 'aws:username': 'bob' }).r).toBe(1);
    expect(run({ StringLike: { 's3:prefix': 'home/*' } }, { 's3:prefix': 'home/x' }).r).toBe(1);
    expect(
      run({ ArnLike: { 'aws:sourcearn': 'arn:aws:s3:::b*' } }, { 'aws:sourcearn': 'arn:aws:s3:::bucket' }).r,
    ).toBe(1);
    expect(run({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '5' }).r).toBe(1);
    expect(
      run(
        { DateGreaterThan: { 'aws:currenttime': '2020-01-01T00:00:00Z' } },
        { 'aws:currenttime': '2024-01-01T00:00:00Z' },
      ).r,
    ).toBe(1);
    expect(run({ Bool: { 'aws:securetransport': 'true' } }, { 'aws:securetransport': 'true' }).r).toBe(1);
    expect(run({ IpAddress: { 'aws:sourceip': '10.0.0.0/8' } }, { 'aws:sourceip': '10.2.3.4' }).r).toBe(1);
    expect(run({ NotIpAddress: { 'aws:sourceip': '10.0.0.0/8' } }, { 'aws:sourceip': '10.2.3.4' }).r).toBe(0);
    expect(run({ Null: { 'aws:tokenissuetime': 'true' } }, { 'aws:tokenissuetime': null }).r).toBe(1);
  });
  it('missing keys, IfExists, ForAllValues, ForAnyValue', () => {
    expect(run({ StringEquals: { 'aws:username': 'a' } }, { 'aws:username': null }).r).toBe(0);
    expect(run({ StringNotEquals: { 'aws:username': 'a' } }, { 'aws:username': null }).r).toBe(1);
    expect(run({ StringEqualsIfExists: { 'aws:username': 'a' } }, { 'aws:username': null }).r).toBe(1);
    expect(
      run({ 'ForAllValues:StringEquals': { 'aws:tagkeys': ['a', 'b'] } }, { 'aws:tagkeys': ['a'] }).r,
    ).toBe(1);
    expect(
      run({ 'ForAllValues:StringEquals': { 'aws:tagkeys': ['a'] } }, { 'aws:tagkeys': ['a', 'c'] }).r,
    ).toBe(0);
    expect(run({ 'ForAllValues:StringEquals': { 'aws:tagkeys': ['a'] } }, { 'aws:tagkeys': null }).r).toBe(1);
    expect(
      run({ 'ForAnyValue:StringEquals': { 'aws:tagkeys': ['a'] } }, { 'aws:tagkeys': ['c', 'a'] }).r,
    ).toBe(1);
    expect(run({ 'ForAnyValue:StringEquals': { 'aws:tagkeys': ['a'] } }, { 'aws:tagkeys': null }).r).toBe(0);
  });
  it('keys are ANDed, false beats unknown, unknown keys and operators say why', () => {
    expect(
      run(
        { StringEquals: { 'aws:username': 'a' }, Bool: { 'aws:multifactorauthpresent': 'true' } },
        { 'aws:username': 'b' },
      ).r,
    ).toBe(0);
    const u = run(
      { StringEquals: { 'aws:username': 'a' }, Bool: { 'aws:multifactorauthpresent': 'true' } },
      { 'aws:username': 'a' },
    );
    expect(u.r).toBe(2);
    expect(u.why.join()).toMatch(/multifactorauthpresent/);
    const bad = run({ StringSortaEquals: { 'aws:username': 'a' } }, { 'aws:username': 'a' });
    expect(bad.r).toBe(2);
    expect(bad.issues.join()).toMatch(/unknown condition operator/);
  });
});
