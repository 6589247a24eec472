import { describe, expect, it } from 'vitest';
import { parseGitleaksConfig } from './gitleaks-config.js';
import { unsafeRegexReason } from './regex-safety.js';
import { translateGoRegex, userRule } from './user-rules.js';

describe('user rules', () => {
  it.each([
    ['(a+)+$', /nested quantifier/],
    ['(\\w*)*x', /nested quantifier/],
    ['(a|a)*b', /alternation/],
    ['(\\w|\\d)+z', /alternation/],
    ['(?:x+y?)+', /nested quantifier/],
  ])('rejects %s as catastrophic', (src, reason) => {
    expect(unsafeRegexReason(src)).toMatch(reason);
    expect(() => userRule({ id: 'bad', regex: src }, 'config', 'warden.yaml')).toThrow(
      /WARDEN_RULE_INVALID|pattern rejected/,
    );
  });

  it.each(['acme_[a-z0-9]{32}', '(?:foo|bar)_[A-Z]{10}', '(ab|cd)+', 'key\\s*=\\s*"([^"]{8,64})"'])(
    'accepts %s',
    (src) => {
      expect(unsafeRegexReason(src)).toBeUndefined();
    },
  );

  it('names the rule when a pattern does not compile', () => {
    expect(() => userRule({ id: 'broken', regex: '([a-z]' }, 'config', 'warden.yaml')).toThrow(/broken/);
  });

  it('translates Go RE2 syntax used by gitleaks', () => {
    expect(translateGoRegex('(?i)\\b(foo[[:alnum:]]{4})\\z')).toEqual({
      source: '\\b(foo[A-Za-z0-9]{4})$',
      flags: 'i',
    });
  });

  it('reads a gitleaks configuration with per-rule and global allowlists', () => {
    const cfg = parseGitleaksConfig(
      [
        'title = "x"',
        '[extend]',
        'useDefault = true',
        '[[rules]]',
        'id = "acme"',
        'description = "ACME key"',
        "regex = '''(?i)acme_([a-z0-9]{16})'''",
        'secretGroup = 1',
        'entropy = 2.5',
        'keywords = ["acme_"]',
        "path = '''\\.env$'''",
        '[[rules.allowlists]]',
        'regexTarget = "line"',
        "regexes = ['''test''']",
        'stopwords = ["sample"]',
        '[[rules]]',
        'id = "evil"',
        "regex = '''(a+)+'''",
        '[allowlist]',
        "paths = ['''fixtures/''']",
      ].join('\n'),
      '.gitleaks.toml',
    );
    expect(cfg.useDefault).toBe(true);
    expect(cfg.rules).toHaveLength(1);
    expect(cfg.rules[0]).toMatchObject({
      id: 'acme',
      flags: 'i',
      secretGroup: 1,
      entropy: 2.5,
      keywords: ['acme_'],
      path: '\\.env$',
    });
    expect(cfg.rules[0]!.allow).toEqual([{ regexTarget: 'line', regexes: ['test'], stopwords: ['sample'] }]);
    expect(cfg.rejected).toEqual([{ id: 'evil', reason: expect.stringMatching(/nested quantifier/) }]);
    expect(cfg.allowlists).toEqual([{ paths: ['fixtures/'] }]);
  });

  it('reports invalid TOML with its line', () => {
    expect(() => parseGitleaksConfig('[[rules]]\nid = \n', 'x.toml')).toThrow(/x\.toml:2/);
  });
});
